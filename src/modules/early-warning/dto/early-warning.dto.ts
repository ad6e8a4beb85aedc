import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { VillageCode } from '../../../common/http/validators.js';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export class EarlyWarningQueryDto {
  @ApiPropertyOptional({ example: '2026-11', description: 'the month: flags open and children lost at its end (today for the current month); default this month' })
  @IsOptional()
  @Matches(MONTH, { message: 'month must be YYYY-MM' })
  month?: string;

  @ApiPropertyOptional({ example: '3216012001' }) @IsOptional() @VillageCode() villageCode?: string;

  @ApiPropertyOptional({ example: '321601', description: 'a kecamatan (6 digits)' })
  @IsOptional()
  @Matches(/^[0-9]{6}$/, { message: 'kecamatanCode must be a 6-digit kecamatan code' })
  kecamatanCode?: string;

  @ApiPropertyOptional({ description: 'for a national user' })
  @IsOptional()
  @Matches(/^[0-9]{4}$/, { message: 'regencyCode must be a 4-digit regency code' })
  regencyCode?: string;
}

export class SkdnQueryDto {
  @ApiProperty({ example: '2026-11' }) @Matches(MONTH, { message: 'month must be YYYY-MM' }) month!: string;
  @ApiPropertyOptional({ example: '3216012001' }) @IsOptional() @VillageCode() villageCode?: string;

  @ApiPropertyOptional({ description: 'for a national user' })
  @IsOptional()
  @Matches(/^[0-9]{4}$/, { message: 'regencyCode must be a 4-digit regency code' })
  regencyCode?: string;
}
