import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { MaxDecimals, Text } from '../../../common/http/validators.js';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const REGION = /^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{10})$/;
const undot = () => Transform(({ value }) => (typeof value === 'string' ? value.trim().replaceAll('.', '') : value));
/** The nation in a path, where an empty code cannot stand: `ID`. */
const nation = () => Transform(({ value }) => (typeof value === 'string' && value.trim().toUpperCase() === 'ID' ? '' : typeof value === 'string' ? value.trim().replaceAll('.', '') : value));

export const LEVELS = ['desa', 'kecamatan', 'kabupaten', 'provinsi'] as const;
export const BASES = ['perpres', 'rpjmn', 'rpjmd', 'rkpd'] as const;
export const SURVEY_SOURCES = ['SSGI', 'SKI', 'RISKESDAS'] as const;

export class PrevalenceQueryDto {
  @ApiProperty({ enum: LEVELS, description: 'the level of the rows' })
  @IsIn(LEVELS, { message: 'level must be one of desa, kecamatan, kabupaten, provinsi' })
  level!: (typeof LEVELS)[number];

  @ApiPropertyOptional({ example: '3216', description: 'the region the rows lie in (2, 4, 6 or 10 digits); default your whole scope' })
  @IsOptional()
  @undot()
  @Matches(REGION, { message: 'code must be a 2, 4, 6 or 10-digit region code' })
  code?: string;

  @ApiProperty({ example: '2026-01' }) @Matches(MONTH, { message: 'from must be YYYY-MM' }) from!: string;
  @ApiProperty({ example: '2026-12' }) @Matches(MONTH, { message: 'to must be YYYY-MM' }) to!: string;
}

export class HotspotsQueryDto {
  @ApiProperty({ enum: ['kecamatan', 'desa'] })
  @IsIn(['kecamatan', 'desa'], { message: 'level must be kecamatan or desa' })
  level!: 'kecamatan' | 'desa';

  @ApiProperty({ example: '2026-08' }) @Matches(MONTH, { message: 'period must be YYYY-MM' }) period!: string;

  @ApiPropertyOptional({ example: '3216', description: 'the region ranked within; default your whole scope' })
  @IsOptional()
  @undot()
  @Matches(REGION, { message: 'code must be a 2, 4, 6 or 10-digit region code' })
  code?: string;
}

/** `:code/:year` of a target or a target population; `ID` is the nation. */
export class RegionYearParamDto {
  @ApiProperty({ example: '3216', description: 'a 2, 4, 6 or 10-digit region code, or ID for the nation' })
  @nation()
  @Matches(/^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{10})?$/, { message: 'code must be a 2, 4, 6 or 10-digit region code, or ID for the nation' })
  code!: string;

  @ApiProperty({ example: 2026 })
  @Type(() => Number)
  @IsInt({ message: 'year must be a whole number' })
  @Min(2000)
  @Max(2100)
  year!: number;
}

export class RegionParamDto {
  @ApiProperty({ example: '3216', description: 'a 2, 4, 6 or 10-digit region code, or ID for the nation' })
  @nation()
  @Matches(/^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{10})?$/, { message: 'code must be a 2, 4, 6 or 10-digit region code, or ID for the nation' })
  code!: string;
}

export class YearQueryDto {
  @ApiPropertyOptional({ example: 2026 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'year must be a whole number' })
  @Min(2000)
  @Max(2100)
  year?: number;
}

export class PrevalenceTargetDto {
  @ApiProperty({ example: 14, description: 'target prevalence, percent' })
  @IsNumber({}, { message: 'value must be a number' })
  @Min(0)
  @Max(100)
  @MaxDecimals(2)
  value!: number;

  @ApiProperty({ enum: BASES, description: 'the plan that sets it: Perpres 72/2021, RPJMN, RPJMD or RKPD' })
  @IsIn(BASES, { message: 'basis must be one of perpres, rpjmn, rpjmd, rkpd' })
  basis!: (typeof BASES)[number];
}

export class TargetPopulationDto {
  @ApiProperty({ example: 12500, description: 'children 0-59 months of the region that year (sasaran balita)' })
  @IsInt({ message: 'children0to59 must be a whole number' })
  @Min(0)
  @Max(50_000_000)
  children0to59!: number;
}

export class ConfidenceIntervalDto {
  @ApiProperty({ example: 18.1 }) @IsNumber({}, { message: 'low must be a number' }) @Min(0) @Max(100) @MaxDecimals(2) low!: number;
  @ApiProperty({ example: 24.9 }) @IsNumber({}, { message: 'high must be a number' }) @Min(0) @Max(100) @MaxDecimals(2) high!: number;
}

export class SurveyFigureDto {
  @ApiProperty({ enum: SURVEY_SOURCES })
  @IsIn(SURVEY_SOURCES, { message: 'source must be one of SSGI, SKI, RISKESDAS' })
  source!: (typeof SURVEY_SOURCES)[number];

  @ApiProperty({ example: 2024 }) @IsInt({ message: 'year must be a whole number' }) @Min(2000) @Max(2100) year!: number;

  @ApiProperty({ example: '3216', description: 'a province (2 digits) or regency (4); empty for the nation' })
  @undot()
  @Matches(/^([0-9]{2}|[0-9]{4})?$/, { message: 'regionCode must be a 2 or 4-digit region code, or empty for the nation' })
  regionCode!: string;

  @ApiProperty({ example: 21.5, description: 'stunting prevalence, percent, as the survey publishes it' })
  @IsNumber({}, { message: 'value must be a number' })
  @Min(0)
  @Max(100)
  @MaxDecimals(2)
  value!: number;

  @ApiPropertyOptional({ type: ConfidenceIntervalDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConfidenceIntervalDto)
  ci?: ConfidenceIntervalDto;

  @ApiPropertyOptional({ example: 'SSGI 2024, table 3' }) @IsOptional() @Text(500) note?: string;
}

export class SurveyFiguresQueryDto {
  @ApiPropertyOptional({ example: '3216' })
  @IsOptional()
  @undot()
  @Matches(/^([0-9]{2}|[0-9]{4})?$/, { message: 'regionCode must be a 2 or 4-digit region code, or empty for the nation' })
  regionCode?: string;

  @ApiPropertyOptional({ example: 2024 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'year must be a whole number' })
  @Min(2000)
  @Max(2100)
  year?: number;

  @ApiPropertyOptional({ enum: SURVEY_SOURCES })
  @IsOptional()
  @IsIn(SURVEY_SOURCES, { message: 'source must be one of SSGI, SKI, RISKESDAS' })
  source?: (typeof SURVEY_SOURCES)[number];
}
