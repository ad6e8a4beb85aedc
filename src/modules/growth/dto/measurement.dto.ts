import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsISO8601, IsNumber, IsOptional, Max, Min } from 'class-validator';

const finite = { allowNaN: false, allowInfinity: false };

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

  @ApiProperty({ enum: ['recumbent', 'standing'] })
  @IsIn(['recumbent', 'standing'], { message: 'method must be recumbent or standing' })
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
