import { Body, Controller, HttpCode, Inject, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, Length, Matches } from 'class-validator';
import { rmSync } from 'node:fs';
import { DomainError, ValidationFailed } from '../../common/errors/domain-error.js';
import { ApiAnswer, ApiErrors } from '../../common/http/openapi.js';
import { IMPORT } from '../../openapi/schemas.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { sniffFormat } from '../imports/table-reader.js';
import type { Actor } from '../identity/actor.js';
import { CurrentActor, Roles } from '../identity/auth.decorators.js';
import { ImportsService } from '../imports/imports.service.js';
import { tooLarge, UploadLimit } from '../imports/upload-limit.js';
import { FamilyImportService } from './family-import.service.js';

class StartFamilyImportDto {
  @Matches(/^[0-9]{4}$/, { message: 'regencyCode must be a 4-digit regency code' })
  regencyCode!: string;

  @IsOptional()
  @IsIn(['PK', 'VERVAL'], { message: 'source must be PK or VERVAL' })
  source?: 'PK' | 'VERVAL';

  @IsOptional()
  @Length(1, 100, { message: 'sheet must be 1-100 characters' })
  sheet?: string;
}

@ApiTags('imports')
@ApiBearerAuth()
@Controller('api/v1/imports')
export class FamilyImportController {
  constructor(
    private readonly imports: ImportsService,
    private readonly familyImport: FamilyImportService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('families')
  @HttpCode(202)
  @Roles('admin', 'case_manager')
  // Streams to a temp file and stops at IMPORT_MAX_BYTES (413), as the e-PPGBM upload does.
  @UseInterceptors(UploadLimit, FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'regencyCode'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'CSV (any delimiter Excel saves) or Excel workbook (.xlsx)' },
        regencyCode: { type: 'string', example: '3216' },
        source: { type: 'string', enum: ['PK', 'VERVAL'], default: 'VERVAL' },
        sheet: { type: 'string', example: 'Sheet1', description: 'the sheet of a workbook to read (default: the first)' },
      },
    },
  })
  @ApiOperation({ summary: 'Upload a PK/Verval family export, CSV or .xlsx (one row per family and period); follow it at GET /imports/:id' })
  @ApiAnswer(202, IMPORT, 'accepted: queued or running')
  @ApiErrors(413, 415)
  async start(@CurrentActor() actor: Actor, @UploadedFile() file: Express.Multer.File | undefined, @Body() dto: StartFamilyImportDto) {
    if (!file) throw ValidationFailed.field('file', 'is required (multipart field "file")');
    try {
      if (file.size > this.config.importMaxBytes) throw tooLarge(this.config);
      // The format from the file's first bytes, as the e-PPGBM upload does: CSV of any locale or .xlsx.
      const sniffed = await sniffFormat(file.path);
      if ('refused' in sniffed) throw new DomainError('UNSUPPORTED_MEDIA_TYPE', sniffed.refused, { field: 'file' });
      const job = await this.imports.create(actor, dto.regencyCode, file.originalname || 'keluarga.csv', sniffed.format, 'families');
      this.familyImport.startInBackground(actor, job, file.path, { format: sniffed.format, sheet: dto.sheet, source: dto.source ?? 'VERVAL' });
      return this.imports.get(actor, job.id);
    } catch (e) {
      rmSync(file.path, { force: true });
      throw e;
    }
  }
}
