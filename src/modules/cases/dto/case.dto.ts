import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsUUID, Matches, Max, Min, ValidateNested } from 'class-validator';
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

class SlaDaysDto {
  @ApiProperty({ example: 30 }) @IsInt() @Min(1) @Max(365) identified!: number;
  @ApiProperty({ example: 14 }) @IsInt() @Min(1) @Max(365) audited!: number;
  @ApiProperty({ example: 30 }) @IsInt() @Min(1) @Max(365) intervened!: number;
  @ApiProperty({ example: 7 }) @IsInt() @Min(1) @Max(365) remeasured!: number;
}

class OutcomePolicyDto {
  @ApiProperty({ example: -2 }) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(-6) @Max(6) minHaz!: number;
  @ApiProperty({ example: 0.5 }) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(6) minImprovement!: number;
}

export class SlaPolicyDto {
  @ApiProperty({ type: SlaDaysDto, description: 'calendar days allowed in each step' })
  @IsDefined()
  @ValidateNested()
  @Type(() => SlaDaysDto)
  days!: SlaDaysDto;

  @ApiPropertyOptional({ type: OutcomePolicyDto, description: 'when a case may be resolved' })
  @IsOptional()
  @ValidateNested()
  @Type(() => OutcomePolicyDto)
  outcome?: OutcomePolicyDto;
}

export class RegencyParamDto {
  @Matches(/^[0-9]{4}$/, { message: 'regencyCode must be a 4-digit regency code' })
  regencyCode!: string;
}
