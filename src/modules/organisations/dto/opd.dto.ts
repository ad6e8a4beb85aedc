import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches } from 'class-validator';
import { Text, OptionalOrNull, RegencyCode } from '../../../common/http/validators.js';
import { PageQueryDto } from '../../../common/http/pagination.js';
import type { OpdEntity } from '../opd.entity.js';

export class CreateOpdDto {
  @ApiPropertyOptional({ example: '3216', description: "defaults to the admin's own regency" })
  @IsOptional()
  @RegencyCode()
  regencyCode?: string;

  @ApiProperty({ example: 'DINKES' })
  @Matches(/^[A-Z0-9_]{2,32}$/, { message: 'code must be 2-32 characters of A-Z, 0-9 and _' })
  code!: string;

  @ApiProperty({ example: 'Dinas Kesehatan' })
  @Text(200)
  name!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'a user of the same regency who heads this OPD' })
  @IsOptional()
  @IsUUID('all')
  headUserId?: string;
}

export class UpdateOpdDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Text(200)
  name?: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'null removes the head' })
  @OptionalOrNull()
  @IsUUID('all')
  headUserId?: string | null;
}

export class SeedOpdsDto {
  @ApiPropertyOptional({ example: '3216', description: "defaults to the admin's own regency" })
  @IsOptional()
  @RegencyCode()
  regencyCode?: string;
}

export class ListOpdsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '3216' })
  @IsOptional()
  @RegencyCode()
  regencyCode?: string;
}

export class OpdResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() regencyCode!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) headUserId!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export const toOpdResponse = (o: OpdEntity): OpdResponseDto => ({
  id: o.id,
  regencyCode: o.regencyCode,
  code: o.code,
  name: o.name,
  headUserId: o.headUserId,
  createdAt: o.createdAt.toISOString(),
  updatedAt: o.updatedAt.toISOString(),
});
