import { Body, Controller, Get, Header, HttpCode, Param, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { diskStorage } from 'multer';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ValidationFailed } from '../../common/errors/domain-error.js';
import { ApiAnswer, ApiCsv } from '../../common/http/openapi.js';
import { UuidParamDto } from '../../common/http/uuid-param.dto.js';
import { IMPORT } from '../../openapi/schemas.js';
import { Audit } from '../audit/audit.decorator.js';
import type { Actor } from '../identity/actor.js';
import { CurrentActor, Roles } from '../identity/auth.decorators.js';
import { ImportsService } from './imports.service.js';

class StartImportDto {
  @Matches(/^[0-9]{4}$/, { message: 'regencyCode must be a 4-digit regency code' })
  regencyCode!: string;
}

const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

@ApiTags('imports')
@ApiBearerAuth()
@Controller('api/v1/imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post('eppgbm')
  @HttpCode(202)
  @Roles('admin', 'case_manager')
  @UseInterceptors(FileInterceptor('file', { storage: diskStorage({ destination: tmpdir() }), limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', required: ['file', 'regencyCode'], properties: { file: { type: 'string', format: 'binary' }, regencyCode: { type: 'string', example: '3216' } } },
  })
  @ApiOperation({ summary: 'Upload an e-PPGBM CSV export; answers at once with the import id, follow it at GET /imports/:id' })
  @ApiAnswer(202, IMPORT, 'accepted: queued or running')
  async start(@CurrentActor() actor: Actor, @UploadedFile() file: Express.Multer.File | undefined, @Body() dto: StartImportDto) {
    if (!file) throw ValidationFailed.field('file', 'is required (multipart field "file")');
    const job = await this.imports.create(actor, dto.regencyCode, file.originalname || 'upload.csv').catch((e: unknown) => {
      rmSync(file.path, { force: true });
      throw e;
    });
    this.imports.startInBackground(actor, job, file.path);
    return this.imports.get(actor, job.id);
  }

  @Get(':id')
  @Roles('admin', 'case_manager')
  @ApiOperation({ summary: 'Progress and, at the end, the rejected rows with their reasons (first 1,000; all in the CSV)' })
  @ApiAnswer(200, IMPORT)
  get(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto) {
    return this.imports.get(actor, id);
  }

  @Get(':id/rejections.csv')
  @Roles('admin', 'case_manager')
  @Audit({ action: 'import.rejections.export', entityType: 'import' })
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiOperation({ summary: 'Every rejected row: row number, field, reason' })
  @ApiCsv('row;field;reason, one line per rejection')
  rejections(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto) {
    return this.imports.rejectionsCsv(actor, id);
  }
}
