import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsNumber, IsOptional, IsString, MaxLength, Max, Min, ValidateNested } from 'class-validator';
import { OpdCode } from '../../../common/http/validators.js';

const finite = { allowNaN: false, allowInfinity: false };

export class KbmStepDto {
  @ApiProperty({ example: 11, description: 'from this age in completed months on' }) @IsInt() @Min(0) @Max(60) fromMonths!: number;
  @ApiProperty({ example: 200, description: 'minimum gain in grams over a month' }) @IsInt() @Min(0) @Max(3000) grams!: number;
}

export class KmsStandardDto {
  @ApiProperty({ type: [KbmStepDto], description: 'the KBM table; one step must start at 0 months' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(61)
  @ValidateNested({ each: true })
  @Type(() => KbmStepDto)
  kbm!: KbmStepDto[];

  @ApiProperty({ example: -3 }) @IsNumber(finite) @Min(-5) @Max(0) redLineWaz!: number;
  @ApiProperty({ example: 1 }) @IsNumber(finite) @Min(0) @Max(5) orangeLineWaz!: number;
  @ApiProperty({ example: 45 }) @IsInt() @Min(28) @Max(120) maxGapDays!: number;
  @ApiProperty({ example: 0.67 }) @IsNumber(finite) @Min(0.1) @Max(3) falteringDropWaz!: number;
  @ApiProperty({ example: 92 }) @IsInt() @Min(28) @Max(366) falteringWindowDays!: number;
  @ApiProperty({ example: 60 }) @IsInt() @Min(30) @Max(366) lostAfterDays!: number;
  @ApiPropertyOptional({ example: 'DINKES', description: "the OPD a 2T, BGM or faltering flag is referred to (default DINKES)" })
  @IsOptional()
  @IsString()
  @OpdCode('referralOpdCode')
  referralOpdCode?: string;
  @ApiPropertyOptional({ example: 'Perbup 12/2026', maxLength: 500 }) @IsOptional() @IsString() @MaxLength(500) source?: string;
}
