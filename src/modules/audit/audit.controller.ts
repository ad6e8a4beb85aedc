import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import { ApiPage } from '../../common/http/openapi.js';
import { PageQueryDto } from '../../common/http/pagination.js';
import { AUDIT_ENTRY } from '../../openapi/schemas.js';
import { RegencyCode } from '../../common/http/validators.js';
import type { Actor } from '../identity/actor.js';
import { CurrentActor, Roles } from '../identity/auth.decorators.js';
import { AuditService } from './audit.service.js';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: 'subjectId must be a UUID' }) subjectId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: 'userId must be a UUID' }) userId?: string;
  @ApiPropertyOptional({ example: 'subject.read' }) @IsOptional() @Matches(/^[A-Za-z0-9_.:/ -]{1,120}$/, { message: 'action must be an action name' }) action?: string;
  @ApiPropertyOptional({ example: '3216' }) @IsOptional() @RegencyCode() regencyCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date or date-time' }) from?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date or date-time' }) to?: string;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit-log')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('dpo')
  @ApiOperation({ summary: 'The audit trail, newest first: who read or changed which record, when and why (?subjectId=&userId=&action=&from=&to=)' })
  @ApiPage(AUDIT_ENTRY)
  list(@CurrentActor() actor: Actor, @Query() q: AuditQueryDto) {
    return this.audit.list(actor, q);
  }
}
