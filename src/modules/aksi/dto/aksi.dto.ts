import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { plainToInstance, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNumber, IsOptional, IsUUID, Matches, Max, Min, validateSync, ValidateNested } from 'class-validator';
import { ValidationFailed } from '../../../common/errors/domain-error.js';
import { flattenValidationErrors, VALIDATOR_OPTIONS } from '../../../common/http/validation.js';
import { Text } from '../../../common/http/validators.js';
import { AKSI_DOCUMENT_EVENT_TYPES, AKSI_DOCUMENT_STATES, AKSI_DOCUMENT_TYPES, type AksiDocumentState, type AksiDocumentType } from '../machine/aksi-document.types.js';

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const Day = (field: string) => Matches(DAY, { message: `${field} must be a YYYY-MM-DD date` });

export class YearParamDto {
  @ApiProperty({ example: 2026 })
  @Type(() => Number)
  @IsInt({ message: 'year must be a whole number' })
  @Min(2018)
  @Max(2100)
  year!: number;
}

export class CycleRegionQueryDto {
  @ApiPropertyOptional({ example: '32', description: 'a province (2 digits) or regency (4 digits); required for a national user, default your own region' })
  @IsOptional()
  @Matches(/^[0-9]{2}([0-9]{2})?$/, { message: 'regionCode must be a 2 or 4-digit region code' })
  regionCode?: string;
}

export class CycleWeightsDto {
  @ApiProperty({ example: 60, description: 'document review (web completeness, quality and quantity), %' }) @IsInt() @Min(0) @Max(100) documents!: number;
  @ApiProperty({ example: 20, description: 'the presentation to the provincial panel, %' }) @IsInt() @Min(0) @Max(100) presentation!: number;
  @ApiProperty({ example: 20, description: 'field verification or exhibition, %' }) @IsInt() @Min(0) @Max(100) field!: number;
}

export class CycleDto {
  @ApiProperty({ example: '2026-05-15', description: 'the last day evidence may be uploaded (local calendar day)' }) @Day('uploadDeadline') uploadDeadline!: string;
  @ApiProperty({ example: '2026-05-20' }) @Day('verificationDate') verificationDate!: string;
  @ApiProperty({ example: '2026-05-28' }) @Day('assessmentDate') assessmentDate!: string;
  @ApiPropertyOptional({ type: CycleWeightsDto, description: 'default documents 60, presentation 20, field 20; must add up to 100' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CycleWeightsDto)
  weights?: CycleWeightsDto;
  @ApiPropertyOptional({ type: [Number], example: [1, 2, 3, 4, 5, 6, 7, 8], description: 'the actions scored this year; default all eight' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'scoredActions must list at least one item' })
  @ArrayMaxSize(8)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(8, { each: true })
  scoredActions?: number[];
}

export class CreateDocumentDto {
  @ApiProperty({ minimum: 1, maximum: 8, example: 1 }) @IsInt() @Min(1) @Max(8) action!: number;
  @ApiProperty({ enum: AKSI_DOCUMENT_TYPES })
  @IsIn(AKSI_DOCUMENT_TYPES, { message: `type must be one of ${AKSI_DOCUMENT_TYPES.join(', ')}` })
  type!: AksiDocumentType;
  @ApiProperty({ example: 'Laporan Analisis Situasi 2026', maxLength: 300 }) @Text(300) title!: string;
  @ApiPropertyOptional({ format: 'uuid', description: "the OPD that owns it; default the regency's BAPPEDA" })
  @IsOptional()
  @IsUUID('all', { message: 'ownerOpdId must be a UUID' })
  ownerOpdId?: string;
  @ApiPropertyOptional({ example: '3216', description: 'for a national admin' })
  @IsOptional()
  @Matches(/^[0-9]{4}$/, { message: 'regencyCode must be a 4-digit regency code' })
  regencyCode?: string;
}

export class ListDocumentsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 8 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(8) action?: number;
  @ApiPropertyOptional({ enum: AKSI_DOCUMENT_STATES })
  @IsOptional()
  @IsIn(AKSI_DOCUMENT_STATES, { message: `state must be one of ${AKSI_DOCUMENT_STATES.join(', ')}` })
  state?: AksiDocumentState;
  @ApiPropertyOptional({ example: '3216', description: 'for a national user' })
  @IsOptional()
  @Matches(/^[0-9]{4}$/, { message: 'regencyCode must be a 4-digit regency code' })
  regencyCode?: string;
}

export class AksiNoteDto {
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @Text(2000) note?: string;
}

export class AksiReasonDto {
  @ApiProperty({ example: 'Berita acara rembuk belum ditandatangani', maxLength: 2000 }) @Text(2000) reason!: string;
}

export type AksiDocumentCommandType = (typeof AKSI_DOCUMENT_EVENT_TYPES)[number];

export const AKSI_DOCUMENT_EVENT_PAYLOADS: Record<AksiDocumentCommandType, new () => object> = {
  MARK_READY: AksiNoteDto,
  UPLOAD: AksiNoteDto,
  REQUEST_REVISION: AksiReasonDto,
  ACCEPT: AksiNoteDto,
  REVISE: AksiNoteDto,
};

/** `{type, ...payload}` → a validated command. */
export function parseAksiDocumentCommand(body: unknown): { type: AksiDocumentCommandType; payload: Record<string, unknown> } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw ValidationFailed.field('body', 'must be a JSON object');
  const { type, ...rest } = body as Record<string, unknown>;
  if (typeof type !== 'string' || !(AKSI_DOCUMENT_EVENT_TYPES as readonly string[]).includes(type)) {
    throw ValidationFailed.field('type', `must be one of ${AKSI_DOCUMENT_EVENT_TYPES.join(', ')}`);
  }
  const dto = plainToInstance(AKSI_DOCUMENT_EVENT_PAYLOADS[type as AksiDocumentCommandType], rest);
  const errors = validateSync(dto, VALIDATOR_OPTIONS);
  if (errors.length) throw new ValidationFailed(flattenValidationErrors(errors));
  return { type: type as AksiDocumentCommandType, payload: JSON.parse(JSON.stringify(dto)) as Record<string, unknown> };
}

export class ReadinessQueryDto {
  @ApiPropertyOptional({ example: '3216', description: 'the regency (4 digits); required for a province or national user, default your own' })
  @IsOptional()
  @Matches(/^[0-9]{4}$/, { message: 'regionCode must be a 4-digit regency code' })
  regionCode?: string;
}

const Points = () =>
  applyDecorators(IsOptional(), IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false }, { message: '$property must be a number with at most 2 decimals' }), Min(0), Max(100));

export class ScoreComponentsDto {
  @ApiPropertyOptional({ example: 82.5, minimum: 0, maximum: 100, description: 'document review points' }) @Points() documents?: number;
  @ApiPropertyOptional({ example: 90, minimum: 0, maximum: 100, description: 'presentation points' }) @Points() presentation?: number;
  @ApiPropertyOptional({ example: 75, minimum: 0, maximum: 100, description: 'field verification points' }) @Points() field?: number;
}

export class PutScoresDto {
  @ApiPropertyOptional({ example: '3216', description: 'the regency (4 digits); required for a province or national admin' })
  @IsOptional()
  @Matches(/^[0-9]{4}$/, { message: 'regionCode must be a 4-digit regency code' })
  regionCode?: string;
  @ApiPropertyOptional({ example: 'Panelis 1', maxLength: 120, description: "whose points these are (default 'panel'); a component's points are the mean of its panelists'" })
  @IsOptional()
  @Text(120)
  panelist?: string;
  @ApiProperty({ type: ScoreComponentsDto, description: 'points 0-100 per component; a component given again replaces this panelist\'s points' })
  @ValidateNested()
  @Type(() => ScoreComponentsDto)
  scores!: ScoreComponentsDto;
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @Text(2000) note?: string;
}

export class VersionParamDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'id must be a UUID' }) id!: string;
  @ApiProperty({ example: 1, minimum: 1 }) @Type(() => Number) @IsInt({ message: 'n must be a whole number' }) @Min(1) @Max(100000) n!: number;
}
