import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { rmSync } from 'node:fs';
import { DomainError, ValidationFailed } from '../../common/errors/domain-error.js';
import { ApiAnswer, ApiCsv, ApiErrors, ApiPage } from '../../common/http/openapi.js';
import { PageQueryDto } from '../../common/http/pagination.js';
import { UuidParamDto } from '../../common/http/uuid-param.dto.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { IMPORT, IMPORT_SUMMARY } from '../../openapi/schemas.js';
import { Audit } from '../audit/audit.decorator.js';
import type { Actor } from '../identity/actor.js';
import { CurrentActor, Roles } from '../identity/auth.decorators.js';
import { tooLarge, UploadLimit } from './upload-limit.js';
import { ImportsService } from './imports.service.js';
import { sniffFormat } from './table-reader.js';

class StartImportDto {
  @Matches(/^[0-9]{4}$/, { message: 'regencyCode must be a 4-digit regency code' })
  regencyCode!: string;

  @IsOptional()
  @Matches(/^\d{2}\.?\d{2}\.?\d{2}\.?\d{4}$/, { message: 'villageCode must be a 10-digit village code' })
  villageCode?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  posyandu?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  sheet?: string;
}

class ListImportsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '3216' })
  @IsOptional()
  @Matches(/^[0-9]{4}$/, { message: 'regencyCode must be a 4-digit regency code' })
  regencyCode?: string;
}

@ApiTags('imports')
@ApiBearerAuth()
@Controller('api/v1/imports')
export class ImportsController {
  constructor(
    private readonly imports: ImportsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('eppgbm')
  @HttpCode(202)
  @Roles('admin', 'case_manager')
  @UseInterceptors(UploadLimit, FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'regencyCode'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'CSV (any delimiter Excel saves: ; , or tab) or Excel workbook (.xlsx)' },
        regencyCode: { type: 'string', example: '3216' },
        villageCode: { type: 'string', example: '3216062005', description: 'for a file without a village column (a posyandu register)' },
        posyandu: { type: 'string', example: 'Posyandu Mawar', description: 'for a file without a posyandu column' },
        sheet: { type: 'string', example: 'Sheet1', description: 'the sheet of a workbook to read (default: the first)' },
      },
    },
  })
  @ApiOperation({ summary: 'Upload an e-PPGBM export, upload template or posyandu register (CSV or .xlsx); answers at once with the import id' })
  @ApiAnswer(202, IMPORT, 'accepted: queued or running')
  @ApiErrors(413, 415)
  async start(@CurrentActor() actor: Actor, @UploadedFile() file: Express.Multer.File | undefined, @Body() dto: StartImportDto) {
    if (!file) throw ValidationFailed.field('file', 'is required (multipart field "file")');
    try {
      if (file.size > this.config.importMaxBytes) throw tooLarge(this.config);
      const sniffed = await sniffFormat(file.path);
      if ('refused' in sniffed) throw new DomainError('UNSUPPORTED_MEDIA_TYPE', sniffed.refused, { field: 'file' });
      const villageCode = this.imports.checkOptions(dto.regencyCode, dto);
      const job = await this.imports.create(actor, dto.regencyCode, file.originalname || 'upload', sniffed.format);
      this.imports.startInBackground(actor, job, file.path, { format: sniffed.format, sheet: dto.sheet, villageCode, posyandu: dto.posyandu });
      return this.imports.get(actor, job.id);
    } catch (e) {
      rmSync(file.path, { force: true });
      throw e;
    }
  }

  @Get()
  @Roles('admin', 'case_manager')
  @ApiOperation({ summary: "The regency's imports, newest first" })
  @ApiPage(IMPORT_SUMMARY)
  list(@CurrentActor() actor: Actor, @Query() q: ListImportsQueryDto) {
    return this.imports.list(actor, q);
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
