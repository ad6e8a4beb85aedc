import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { isCalendarDay } from '../../../common/clock/calendar-day.js';
import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  Matches,
  Max,
  Min,
  validateSync,
  ValidateNested,
} from 'class-validator';
import { ValidationFailed } from '../../../common/errors/domain-error.js';
import { Text } from '../../../common/http/validators.js';
import { flattenValidationErrors, VALIDATOR_OPTIONS } from '../../../common/http/validation.js';
import {
  CASE_EVENT_TYPES,
  CLOSE_REASONS,
  type CaseEventType,
  type CloseReason,
  EXPERT_SPECIALTIES,
  type ExpertSpecialty,
} from '../machine/case.types.js';

const Instant = () => IsISO8601({ strict: true }, { message: '$property must be an ISO 8601 date or date-time' });

export class RecommendationDto {
  @ApiProperty({ example: 'PMT lokal 90 hari', maxLength: 500 }) @Text(500) action!: string;
  @ApiProperty({ example: 'DINKES', description: 'an OPD of the case regency (GET /api/v1/opds)' }) @Matches(/^[A-Z0-9_]{2,32}$/, { message: 'opdCode must be an OPD code such as DINKES' }) opdCode!: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 365, description: 'days to complete; the policy default otherwise' }) @IsOptional() @IsInt() @Min(1) @Max(365) dueInDays?: number;
}

export class ExpertDto {
  @ApiProperty({ enum: EXPERT_SPECIALTIES, description: 'SpA paediatrician, SpOG obstetrician, GIZI nutritionist, PSIKOLOG psychologist, OTHER' })
  @IsIn(EXPERT_SPECIALTIES, { message: `specialty must be one of ${EXPERT_SPECIALTIES.join(', ')}` }) specialty!: ExpertSpecialty;
  @ApiPropertyOptional({ example: 'dr. Rina, Sp.A', maxLength: 200 }) @IsOptional() @Text(200) name?: string;
}

export class RecordAuditDto {
  @ApiProperty({ example: '2026-11-25', description: 'date or date-time, not in the future' }) @Instant() auditedAt!: string;
  @ApiProperty({ example: '2026-S2', pattern: '^\\d{4}-S[12]$' }) @Matches(/^\d{4}-S[12]$/, { message: 'cycle must look like 2026-S1 or 2026-S2' }) cycle!: string;
  @ApiProperty({ type: [String], example: ['INADEQUATE_INTAKE'], minItems: 1, maxItems: 20, description: 'cause codes from GET /api/v1/catalogues/causes' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @Matches(/^[A-Z0-9_]{2,40}$/, { each: true, message: 'each cause must be a cause code' })
  causes!: string[];
  @ApiProperty({ type: [RecommendationDto], minItems: 1, maxItems: 50, description: 'each becomes a task for its OPD' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => RecommendationDto)
  recommendations!: RecommendationDto[];
  @ApiProperty({ type: [ExpertDto], minItems: 1, maxItems: 20 })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => ExpertDto)
  experts!: ExpertDto[];
}

export class StartInterventionDto {
  @ApiProperty({ example: '2026-11-28' }) @Instant() startedAt!: string;
  @ApiProperty({ example: 'PMT lokal 90 hari', maxLength: 2000 }) @Text(2000) description!: string;
}

export class RecordRemeasurementDto {
  @ApiProperty({ example: '2027-02-20' }) @Instant() measuredAt!: string;
  @ApiProperty({ example: 76.2, minimum: 38, maximum: 150 }) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(38) @Max(150) heightCm!: number;
  @ApiPropertyOptional({ example: 9.1, minimum: 0.9, maximum: 58 }) @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0.9) @Max(58) weightKg?: number;
  @ApiProperty({ enum: ['recumbent', 'standing'] }) @IsIn(['recumbent', 'standing'], { message: 'method must be recumbent or standing' }) method!: 'recumbent' | 'standing';
}

export class CaseNoteDto {
  @ApiProperty({ example: 'HAZ naik ke -1,8; keluarga dampingan TPK', maxLength: 2000 }) @Text(2000) note!: string;
}

export class CloseDto {
  @ApiProperty({ enum: CLOSE_REASONS })
  @IsIn(CLOSE_REASONS, { message: `reason must be one of ${CLOSE_REASONS.join(', ')}` }) reason!: CloseReason;
  @ApiProperty({ example: 'Keluarga pindah ke Kab. Karawang', maxLength: 2000 }) @Text(2000) note!: string;
}

export const CASE_EVENT_PAYLOADS: Record<CaseEventType, new () => object> = {
  RECORD_AUDIT: RecordAuditDto,
  START_INTERVENTION: StartInterventionDto,
  RECORD_REMEASUREMENT: RecordRemeasurementDto,
  RESOLVE: CaseNoteDto,
  CONTINUE_INTERVENTION: CaseNoteDto,
  REAUDIT: CaseNoteDto,
  CLOSE: CloseDto,
  REOPEN: CaseNoteDto,
};

const INSTANTS = ['auditedAt', 'startedAt', 'measuredAt'] as const;

export interface CaseCommand {
  type: CaseEventType;
  payload: Record<string, unknown>;
}

/**
 * `{type, ...payload}` → a validated command. Date-times become ISO date-times (UTC); a bare
 * `YYYY-MM-DD` stays a calendar day, which only the case's regency can turn into an instant.
 */
export function parseCaseCommand(body: unknown): CaseCommand {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw ValidationFailed.field('body', 'must be a JSON object');
  const { type, ...rest } = body as Record<string, unknown>;
  if (typeof type !== 'string' || !(CASE_EVENT_TYPES as readonly string[]).includes(type)) {
    throw ValidationFailed.field('type', `must be one of ${CASE_EVENT_TYPES.join(', ')}`);
  }
  const dto = plainToInstance(CASE_EVENT_PAYLOADS[type as CaseEventType], rest);
  const errors = validateSync(dto, VALIDATOR_OPTIONS);
  if (errors.length) throw new ValidationFailed(flattenValidationErrors(errors));
  const payload = JSON.parse(JSON.stringify(dto)) as Record<string, unknown>;
  for (const k of INSTANTS) {
    if (typeof payload[k] === 'string' && !isCalendarDay(payload[k] as string)) payload[k] = new Date(payload[k] as string).toISOString();
  }
  return { type: type as CaseEventType, payload };
}
