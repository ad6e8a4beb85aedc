import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { RegencyCode, Text } from '../../../common/http/validators.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** The first lokus were named in 2018 (Bappenas' 100 kab/kota); a year before that names no decree. */
export const FIRST_LOKUS_YEAR = 2018;

const undotted = ({ value }: { value: unknown }) => (Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim().replaceAll('.', '') : v)) : value);

export class SetLokusDto {
  @ApiProperty({ example: 2026, description: `the year the decree names lokus for (${FIRST_LOKUS_YEAR} to next year)` })
  @IsInt()
  @Min(FIRST_LOKUS_YEAR)
  @Max(2100)
  year!: number;

  @ApiProperty({ type: String, isArray: true, example: ['3216062005', '3216061001'], description: 'every lokus village of one regency (a later decree replaces the whole set)' })
  @Transform(undotted)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ArrayUnique()
  @Matches(/^[0-9]{10}$/, { each: true, message: 'each of villageCodes must be a 10-digit village code' })
  villageCodes!: string[];

  @ApiProperty({ example: 'SK Bupati Bekasi No. 440/Kep.123-Bappeda/2026' })
  @Text(200)
  decreeRef!: string;

  @ApiPropertyOptional({ type: String, isArray: true, example: ['prevalensi tertinggi (Aksi 1 analisis situasi)'], description: 'why these villages (Aksi 1)' })
  @IsOptional()
  @Transform(({ value }) => (Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim().replace(/\s+/g, ' ') : v)) : value))
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(500, { each: true })
  reasons?: string[];
}

export class LokusQueryDto {
  @ApiPropertyOptional({ example: 2026, description: "default this year in the regency's zone" })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(FIRST_LOKUS_YEAR)
  @Max(2100)
  year?: number;

  @ApiPropertyOptional({ example: '3216', description: 'required unless you are bound to one regency' })
  @IsOptional()
  @RegencyCode()
  regencyCode?: string;
}

export class LokusWatchQueryDto {
  @ApiPropertyOptional({ example: '2026-11-23', description: "the day watched; default today in the regency's zone" })
  @IsOptional()
  @Matches(DAY, { message: 'date must be a YYYY-MM-DD date' })
  date?: string;

  @ApiPropertyOptional({ example: '3216', description: 'required unless you are bound to one regency' })
  @IsOptional()
  @RegencyCode()
  regencyCode?: string;
}
