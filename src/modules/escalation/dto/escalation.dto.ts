import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsUrl, IsUUID, Max, Min } from 'class-validator';
import { PageQueryDto } from '../../../common/http/pagination.js';
import { RegencyCode } from '../../../common/http/validators.js';
import { CHANNELS, type Channel } from '../policy.js';

export class ListEscalationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '3216' }) @IsOptional() @RegencyCode() regencyCode?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: 'opdId must be a UUID' }) opdId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: 'caseId must be a UUID' }) caseId?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 10 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10) level?: number;
  @ApiPropertyOptional({ description: 'fired at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date or date-time' })
  from?: string;
  @ApiPropertyOptional({ description: 'fired before (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date or date-time' })
  to?: string;
}

export class OverdueReportQueryDto {
  @ApiProperty({ enum: ['opd', 'village', 'state'] })
  @IsIn(['opd', 'village', 'state'], { message: 'groupBy must be opd, village or state' })
  groupBy!: 'opd' | 'village' | 'state';
  @ApiPropertyOptional({ example: '3216' }) @IsOptional() @RegencyCode() regencyCode?: string;
}

export class InboxQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'unread must be true or false' })
  unread?: 'true' | 'false';
}

export class DeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'sent', 'dead'] })
  @IsOptional()
  @IsIn(['pending', 'sent', 'dead'], { message: 'status must be pending, sent or dead' })
  status?: 'pending' | 'sent' | 'dead';
  @ApiPropertyOptional({ enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS, { message: `channel must be one of ${CHANNELS.join(', ')}` })
  channel?: Channel;
}

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://tpps.bekasikab.go.id/hooks/tuntas' })
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true, require_tld: false }, { message: 'url must be an http(s) URL' })
  url!: string;
  @ApiPropertyOptional({ example: '3216', description: "defaults to the admin's regency" }) @IsOptional() @RegencyCode() regencyCode?: string;
  @ApiPropertyOptional({ format: 'uuid', description: "only this OPD's escalations; omit for the whole regency" })
  @IsOptional()
  @IsUUID('all', { message: 'opdId must be a UUID' })
  opdId?: string;
}
