import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import { PageQueryDto } from '../../../common/http/pagination.js';
import { Text, VillageCode } from '../../../common/http/validators.js';
import type { CaseSource } from '../case.entity.js';
import { CASE_STATES, type CaseState } from '../machine/case.types.js';

export class OpenCaseDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'subjectId must be a UUID' })
  subjectId!: string;

  @ApiProperty({ example: '2026-11-20', description: 'when the child was found stunted (date or date-time)' })
  @IsISO8601({ strict: true }, { message: 'identifiedAt must be an ISO 8601 date or date-time' })
  identifiedAt!: string;

  @ApiProperty({ enum: ['manual', 'eppgbm', 'referral'] })
  @IsIn(['manual', 'eppgbm', 'referral'], { message: 'source must be manual, eppgbm or referral' })
  source!: CaseSource;

  @ApiPropertyOptional()
  @IsOptional()
  @Text(2000)
  note?: string;
}

export class AssignCaseDto {
  @ApiProperty({ format: 'uuid', description: 'an active case manager of the same regency' })
  @IsUUID('all', { message: 'userId must be a UUID' })
  userId!: string;
}

export class ListCasesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CASE_STATES, description: 'omit for all open cases' })
  @IsOptional()
  @IsIn(CASE_STATES, { message: `state must be one of ${CASE_STATES.join(', ')}` })
  state?: CaseState;

  @ApiPropertyOptional({ example: '3216062005' })
  @IsOptional()
  @VillageCode()
  villageCode?: string;

  @ApiPropertyOptional({ description: '`me` or a user id' })
  @IsOptional()
  @Matches(/^(me|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/, { message: 'assignee must be me or a user id' })
  assignee?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'overdue must be true or false' })
  overdue?: 'true' | 'false';
}
