import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { plainToInstance, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsUrl, IsUUID, Matches, Max, Min, validateSync, ValidateNested } from 'class-validator';
import { ValidationFailed } from '../../../common/errors/domain-error.js';
import { PageQueryDto } from '../../../common/http/pagination.js';
import { flattenValidationErrors, VALIDATOR_OPTIONS } from '../../../common/http/validation.js';
import { Text } from '../../../common/http/validators.js';
import { EVIDENCE_KINDS, type Evidence, TASK_EVENT_TYPES, TASK_STATES, type TaskEventType, type TaskState } from '../machine/task.types.js';

const OpdCode = () => Matches(/^[A-Z0-9_]{2,32}$/, { message: 'opdCode must be an OPD code such as DINKES' });

export class CreateTaskDto {
  @ApiProperty({ example: 'DINKES' }) @OpdCode() opdCode!: string;
  @ApiProperty({ example: 'Pemberian PMT lokal 90 hari' }) @Text(500) action!: string;
  @ApiPropertyOptional({ example: 14, description: 'days to complete; the policy default otherwise' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  dueInDays?: number;
}

export class ListTasksQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: TASK_STATES })
  @IsOptional()
  @IsIn(TASK_STATES, { message: `state must be one of ${TASK_STATES.join(', ')}` })
  state?: TaskState;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: 'opdId must be a UUID' }) opdId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: 'caseId must be a UUID' }) caseId?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'overdue must be true or false' })
  overdue?: 'true' | 'false';
}

export class TaskEvidenceDto {
  @ApiProperty({ enum: EVIDENCE_KINDS })
  @IsIn(EVIDENCE_KINDS, { message: `kind must be one of ${EVIDENCE_KINDS.join(', ')}` }) kind!: Evidence['kind'];
  @ApiProperty({ example: 'Foto serah terima PMT', maxLength: 1000 }) @Text(1000) description!: string;
  @ApiPropertyOptional({ example: 'https://drive.bekasikab.go.id/f/123' }) @IsOptional() @IsUrl({ protocols: ['https', 'http'], require_protocol: true }, { message: 'url must be an http(s) URL' }) url?: string;
}

export class TaskNoteDto {
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @Text(2000) note?: string;
}

export class TaskCompleteDto {
  @ApiProperty({ example: 'PMT diberikan 90 hari', maxLength: 2000 }) @Text(2000) note!: string;
  @ApiProperty({ type: [TaskEvidenceDto], minItems: 1, maxItems: 20 })
  @IsArray() @ArrayMinSize(1, { message: 'evidence must list at least one item' }) @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => TaskEvidenceDto)
  evidence!: TaskEvidenceDto[];
}

export class TaskReasonDto {
  @ApiProperty({ example: 'Bukan kewenangan dinas kami', maxLength: 2000 }) @Text(2000) reason!: string;
}

export class TaskReassignDto {
  @ApiProperty({ example: 'DP2KB' }) @OpdCode() opdCode!: string;
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @Text(500) action?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 365 }) @IsOptional() @IsInt() @Min(1) @Max(365) dueInDays?: number;
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @Text(2000) note?: string;
}

export const TASK_EVENT_PAYLOADS: Record<TaskEventType, new () => object> = {
  ACKNOWLEDGE: TaskNoteDto,
  START: TaskNoteDto,
  COMPLETE: TaskCompleteDto,
  DECLINE: TaskReasonDto,
  VERIFY: TaskNoteDto,
  CANCEL: TaskReasonDto,
  REASSIGN: TaskReassignDto,
};

export interface TaskCommand {
  type: TaskEventType;
  payload: Record<string, unknown>;
}

/** `{type, ...payload}` → a validated command. */
export function parseTaskCommand(body: unknown): TaskCommand {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw ValidationFailed.field('body', 'must be a JSON object');
  const { type, ...rest } = body as Record<string, unknown>;
  if (typeof type !== 'string' || !(TASK_EVENT_TYPES as readonly string[]).includes(type)) {
    throw ValidationFailed.field('type', `must be one of ${TASK_EVENT_TYPES.join(', ')}`);
  }
  const dto = plainToInstance(TASK_EVENT_PAYLOADS[type as TaskEventType], rest);
  const errors = validateSync(dto, VALIDATOR_OPTIONS);
  if (errors.length) throw new ValidationFailed(flattenValidationErrors(errors));
  return { type: type as TaskEventType, payload: JSON.parse(JSON.stringify(dto)) as Record<string, unknown> };
}
