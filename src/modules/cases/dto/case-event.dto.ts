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
import { flattenValidationErrors } from '../../../common/http/validation.js';
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
  @Text(500) action!: string;
  @Matches(/^[A-Z0-9_]{2,32}$/, { message: 'opdCode must be an OPD code such as DINKES' }) opdCode!: string;
  @IsOptional() @IsInt() @Min(1) @Max(365) dueInDays?: number;
}

export class ExpertDto {
  @IsIn(EXPERT_SPECIALTIES, { message: `specialty must be one of ${EXPERT_SPECIALTIES.join(', ')}` }) specialty!: ExpertSpecialty;
  @IsOptional() @Text(200) name?: string;
}

export class RecordAuditDto {
  @Instant() auditedAt!: string;
  @Matches(/^\d{4}-S[12]$/, { message: 'cycle must look like 2026-S1 or 2026-S2' }) cycle!: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @Matches(/^[A-Z0-9_]{2,40}$/, { each: true, message: 'each cause must be a cause code' })
  causes!: string[];
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => RecommendationDto)
  recommendations!: RecommendationDto[];
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => ExpertDto)
  experts!: ExpertDto[];
}

export class StartInterventionDto {
  @Instant() startedAt!: string;
  @Text(2000) description!: string;
}

export class RecordRemeasurementDto {
  @Instant() measuredAt!: string;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(38) @Max(150) heightCm!: number;
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0.9) @Max(58) weightKg?: number;
  @IsIn(['recumbent', 'standing'], { message: 'method must be recumbent or standing' }) method!: 'recumbent' | 'standing';
}

export class NoteDto {
  @Text(2000) note!: string;
}

export class CloseDto {
  @IsIn(CLOSE_REASONS, { message: `reason must be one of ${CLOSE_REASONS.join(', ')}` }) reason!: CloseReason;
  @Text(2000) note!: string;
}

const PAYLOADS: Record<CaseEventType, new () => object> = {
  RECORD_AUDIT: RecordAuditDto,
  START_INTERVENTION: StartInterventionDto,
  RECORD_REMEASUREMENT: RecordRemeasurementDto,
  RESOLVE: NoteDto,
  CONTINUE_INTERVENTION: NoteDto,
  REAUDIT: NoteDto,
  CLOSE: CloseDto,
  REOPEN: NoteDto,
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
  const dto = plainToInstance(PAYLOADS[type as CaseEventType], rest);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, validationError: { target: false, value: false } });
  if (errors.length) throw new ValidationFailed(flattenValidationErrors(errors));
  const payload = JSON.parse(JSON.stringify(dto)) as Record<string, unknown>;
  for (const k of INSTANTS) {
    if (typeof payload[k] === 'string' && !isCalendarDay(payload[k] as string)) payload[k] = new Date(payload[k] as string).toISOString();
  }
  return { type: type as CaseEventType, payload };
}
