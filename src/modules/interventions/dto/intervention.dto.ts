import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';
import { ValidationFailed } from '../../../common/errors/domain-error.js';
import { PageQueryDto } from '../../../common/http/pagination.js';
import { flattenValidationErrors, VALIDATOR_OPTIONS } from '../../../common/http/validation.js';
import { RegencyCode, Text, MaxDecimals } from '../../../common/http/validators.js';
import { INTERVENTION_EVENT_TYPES, INTERVENTION_STATES, type InterventionEventType, type InterventionState } from '../machine/intervention.types.js';

const Day = (field: string) => Matches(/^\d{4}-\d{2}-\d{2}$/, { message: `${field} must be a YYYY-MM-DD date` });
const CatalogueCode = () => Matches(/^[A-Z0-9_]{2,40}$/, { message: 'catalogueCode must be a catalogue code such as PMT_LOKAL_GIZI_KURANG' });

export class ProposeInterventionDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'caseId must be a UUID' }) caseId!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'sponsorId must be a UUID' }) sponsorId!: string;
  @ApiProperty({ example: 'BAAS_PAKET' }) @CatalogueCode() catalogueCode!: string;
  @ApiProperty({ example: '2026-12-01' }) @Day('plannedStart') plannedStart!: string;
  @ApiPropertyOptional({ example: 180, description: "the catalogue entry's default duration otherwise" })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  plannedDays?: number;
  @ApiProperty({ example: 2_700_000, description: 'rupiah' }) @IsInt({ message: 'budgetIdr must be a whole number of rupiah' }) @Min(0) @Max(1e12) budgetIdr!: number;
}

export class ListInterventionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: 'caseId must be a UUID' }) caseId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: 'sponsorId must be a UUID' }) sponsorId?: string;
  @ApiPropertyOptional({ enum: INTERVENTION_STATES })
  @IsOptional()
  @IsIn(INTERVENTION_STATES, { message: `state must be one of ${INTERVENTION_STATES.join(', ')}` })
  state?: InterventionState;
}

export class RecordDeliveryDto {
  @ApiProperty({ example: '2026-12-02T08:00:00+07:00' })
  @IsISO8601({ strict: true }, { message: 'deliveredAt must be an ISO 8601 date or date-time' })
  deliveredAt!: string;
  @ApiProperty({ example: 7 }) @IsNumber({ allowNaN: false, allowInfinity: false }) @MaxDecimals(2) @Min(0.01) @Max(1e9) quantity!: number;
  @ApiProperty({ example: 'paket' }) @Text(40) unit!: string;
  @ApiPropertyOptional({ example: 105_000 }) @IsOptional() @IsInt({ message: 'amountIdr must be a whole number of rupiah' }) @Min(0) @Max(1e12) amountIdr?: number;
  @ApiPropertyOptional() @IsOptional() @Text(2000) note?: string;
  @ApiPropertyOptional({ example: 'foto/2026-12-02/IMG_0042.jpg' }) @IsOptional() @Text(500) evidenceRef?: string;
}

export class OfferCaseDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'sponsorId must be a UUID' }) sponsorId!: string;
}

export class CatalogueQueryDto {
  @ApiPropertyOptional({ example: '3216', description: "defaults to your regency's catalogue" }) @IsOptional() @RegencyCode() regencyCode?: string;
}

export class CatalogueEntryDto {
  @ApiProperty({ example: 'DASHAT_BEKASI' }) @Matches(/^[A-Z0-9_]{2,40}$/, { message: 'code must be 2-40 characters of A-Z, 0-9, _' }) code!: string;
  @ApiProperty({ example: 'Dapur Sehat Atasi Stunting' }) @Text(200) name!: string;
  @ApiProperty({ example: 'Community kitchen meals' }) @Text(200) nameEn!: string;
  @ApiProperty({ enum: ['spesifik', 'sensitif'] }) @IsIn(['spesifik', 'sensitif'], { message: 'kind must be spesifik or sensitif' }) kind!: 'spesifik' | 'sensitif';
  @ApiProperty({ example: ['BALITA', 'BADUTA'] })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(['BALITA', 'BADUTA', 'IBU_HAMIL', 'IBU_NIFAS', 'CATIN'], { each: true, message: 'each target group must be BALITA, BADUTA, IBU_HAMIL, IBU_NIFAS or CATIN' })
  targetGroups!: string[];
  @ApiProperty({ example: 90 }) @IsInt() @Min(1) @Max(3650) defaultDays!: number;
  @ApiProperty({ example: 7, description: 'days expected between deliveries' }) @IsInt() @Min(1) @Max(365) cadenceDays!: number;
  @ApiProperty({ example: 'paket' }) @Text(40) unit!: string;
  @ApiProperty({ example: 'DP2KB' }) @Matches(/^[A-Z0-9_]{2,32}$/, { message: 'opdCode must be an OPD code such as DINKES' }) opdCode!: string;
  @ApiPropertyOptional({ example: '3216', description: 'for a national admin: the regency it is for' }) @IsOptional() @RegencyCode() regencyCode?: string;
}

export class RetireQueryDto {
  @ApiPropertyOptional({ example: '3216' }) @IsOptional() @RegencyCode() regencyCode?: string;
}

export class CatalogueCodeParamDto {
  @ApiProperty({ example: 'DASHAT_BEKASI' }) @Matches(/^[A-Z0-9_]{2,40}$/, { message: 'code must be a catalogue code' }) code!: string;
}

export class ReportQueryDto {
  @ApiPropertyOptional({ example: '2026-01-01' }) @IsOptional() @Day('from') from?: string;
  @ApiPropertyOptional({ example: '2026-12-31', description: 'inclusive' }) @IsOptional() @Day('to') to?: string;
}

export class InterventionNoteDto {
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @Text(2000) note?: string;
}
export class InterventionReasonDto {
  @ApiProperty({ example: 'Anggaran CSR tahap II belum cair', maxLength: 2000 }) @Text(2000) reason!: string;
}

export const INTERVENTION_EVENT_PAYLOADS: Record<Exclude<InterventionEventType, 'DELIVER'>, new () => object> = {
  APPROVE: InterventionNoteDto,
  REJECT: InterventionReasonDto,
  HOLD: InterventionReasonDto,
  RESUME: InterventionNoteDto,
  COMPLETE: InterventionNoteDto,
  VERIFY: InterventionNoteDto,
  CANCEL: InterventionReasonDto,
};

export interface InterventionCommand {
  type: Exclude<InterventionEventType, 'DELIVER'>;
  payload: Record<string, unknown>;
}

export function parseInterventionCommand(body: unknown): InterventionCommand {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw ValidationFailed.field('body', 'must be a JSON object');
  const { type, ...rest } = body as Record<string, unknown>;
  if (typeof type !== 'string' || !(INTERVENTION_EVENT_TYPES as readonly string[]).includes(type)) {
    throw ValidationFailed.field('type', `must be one of ${INTERVENTION_EVENT_TYPES.join(', ')}`);
  }
  const dto = plainToInstance(INTERVENTION_EVENT_PAYLOADS[type as InterventionCommand['type']], rest);
  const errors = validateSync(dto, VALIDATOR_OPTIONS);
  if (errors.length) throw new ValidationFailed(flattenValidationErrors(errors));
  return { type: type as InterventionCommand['type'], payload: JSON.parse(JSON.stringify(dto)) as Record<string, unknown> };
}

export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;
