import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsISO8601, IsNumber, IsOptional, Max, Min } from 'class-validator';

const finite = { allowNaN: false, allowInfinity: false };

/** The import's words for the position, so a reading typed in from a KMS card needs no translating. */
const METHOD_WORDS: Record<string, string> = { terlentang: 'recumbent', telentang: 'recumbent', berbaring: 'recumbent', berdiri: 'standing' };

export class RecordMeasurementDto {
  @ApiProperty({ example: '2026-11-20', description: 'date (or date-time) of the measurement' })
  @IsISO8601({ strict: true }, { message: 'measuredAt must be an ISO 8601 date or date-time' })
  measuredAt!: string;

  @ApiPropertyOptional({ example: 8.4, minimum: 0.9, maximum: 58 })
  @IsOptional()
  @IsNumber(finite)
  @Min(0.9)
  @Max(58)
  weightKg?: number;

  @ApiPropertyOptional({ example: 74.5, minimum: 38, maximum: 150, description: 'as measured; the 0.7 cm rule is applied for you' })
  @IsOptional()
  @IsNumber(finite)
  @Min(38)
  @Max(150)
  heightCm?: number;

  @ApiProperty({ enum: ['recumbent', 'standing', 'terlentang', 'berdiri'], description: 'recumbent (terlentang, length) or standing (berdiri, height), as e-PPGBM writes it; answered in English' })
  @Transform(({ value }) => (typeof value === 'string' ? (METHOD_WORDS[value.trim().toLowerCase()] ?? value) : value))
  @IsIn(['recumbent', 'standing'], { message: 'method must be recumbent or standing (terlentang or berdiri)' })
  method!: 'recumbent' | 'standing';

  @ApiPropertyOptional({ example: 13.5, description: 'mid-upper arm circumference (LiLA)' })
  @IsOptional()
  @IsNumber(finite)
  @Min(5)
  @Max(60)
  muacCm?: number;

  @ApiPropertyOptional({ example: 45 })
  @IsOptional()
  @IsNumber(finite)
  @Min(20)
  @Max(70)
  headCm?: number;

  @ApiPropertyOptional({ description: 'bilateral pitting oedema' })
  @IsOptional()
  @IsBoolean()
  oedema?: boolean;
}
