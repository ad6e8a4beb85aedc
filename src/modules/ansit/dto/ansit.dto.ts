import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { OpdCode, RegencyCode, Text } from '../../../common/http/validators.js';
import { ENGINE_KEYS, INDICATOR_KINDS, INDICATOR_STATUSES } from '../ansit.repository.js';

/** The Master Ansit menu of the Aksi Bangda app dates from the 2018 convergence actions; no year before it. */
export const FIRST_ANSIT_YEAR = 2018;
const INDICATOR_CODE = /^[A-Z0-9_]{2,40}$/;

export class IndicatorQueryDto {
  @ApiPropertyOptional({ example: '3216', description: "also that regency's own indicators; a regency user gets their own without asking" })
  @IsOptional()
  @RegencyCode()
  regencyCode?: string;
}

export class CreateIndicatorDto {
  @ApiProperty({ example: 'ES_BALITA_IMUNISASI', description: 'upper-case letters, digits and _ (2 to 40)' })
  @Matches(INDICATOR_CODE, { message: 'code must be 2 to 40 upper-case letters, digits or _' })
  code!: string;

  @ApiProperty({ example: 'Persentase anak usia 12-23 bulan yang mendapat imunisasi dasar lengkap' })
  @Text(300)
  name!: string;

  @ApiProperty({ enum: INDICATOR_KINDS, description: 'sasaran: a target count of the Data Sasaran sheet; esensial or supply: a coverage indicator (29 + 35, unverified)' })
  @IsIn(INDICATOR_KINDS, { message: `kind must be one of ${INDICATOR_KINDS.join(', ')}` })
  kind!: (typeof INDICATOR_KINDS)[number];

  @ApiProperty({ example: 'Kesehatan', description: 'the Master Ansit sheet it is entered on' })
  @Text(100)
  sheet!: string;

  @ApiProperty({ example: '%' })
  @Text(40)
  unit!: string;

  @ApiProperty({ example: 'anak 12-23 bulan dengan imunisasi dasar lengkap', description: 'what is counted (the numerator), as text' })
  @Text(1000)
  numerator!: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'anak 12-23 bulan', description: 'what it is divided by, as text; null for a count' })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @Text(1000)
  denominator?: string | null;

  @ApiProperty({ example: 'DINKES', description: 'the OPD whose liaisons enter it' })
  @OpdCode('ownerOpdCode')
  ownerOpdCode!: string;

  @ApiPropertyOptional({ nullable: true, enum: ENGINE_KEYS, description: 'the engine figure that pre-fills it; null: entered only' })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsIn(ENGINE_KEYS, { message: `computedBy must be one of ${ENGINE_KEYS.join(', ')}` })
  computedBy?: (typeof ENGINE_KEYS)[number] | null;

  @ApiPropertyOptional({ enum: INDICATOR_STATUSES, default: 'to_complete', description: 'known: checked against a source; to_complete: the district still has to confirm it' })
  @IsOptional()
  @IsIn(INDICATOR_STATUSES, { message: `status must be one of ${INDICATOR_STATUSES.join(', ')}` })
  status?: (typeof INDICATOR_STATUSES)[number];

  @ApiPropertyOptional({ example: 'SE Mendagri 400.5/8476/SJ lampiran', description: 'where the definition comes from' })
  @IsOptional()
  @Text(300)
  source?: string;
}

export class AnsitValueDto {
  @ApiProperty({ example: 'DS_KRS' })
  @Matches(INDICATOR_CODE, { message: 'indicatorCode must be 2 to 40 upper-case letters, digits or _' })
  indicatorCode!: string;

  @ApiProperty({ type: Number, nullable: true, example: 112, description: 'a count or a percentage, 0 or more; null clears the value' })
  @ValidateIf((o: AnsitValueDto) => o.value !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 4 }, { message: 'value must be a number or null' })
  @Min(0)
  @Max(1_000_000_000)
  value!: number | null;

  @ApiPropertyOptional({ example: 'hasil verval KRS semester II' })
  @IsOptional()
  @Text(500)
  note?: string;
}

export class PutAnsitValuesDto {
  @ApiProperty({ type: AnsitValueDto, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => AnsitValueDto)
  values!: AnsitValueDto[];
}

export class AnsitYearParamDto {
  @ApiProperty({ example: 2026 })
  @Type(() => Number)
  @IsInt()
  @Min(FIRST_ANSIT_YEAR)
  @Max(2100)
  year!: number;
}

export class AnsitVillageParamDto extends AnsitYearParamDto {
  @ApiProperty({ example: '3216062005' })
  @Matches(/^[0-9]{10}$/, { message: 'villageCode must be a 10-digit village code' })
  villageCode!: string;
}

export class AnsitRegencyQueryDto {
  @ApiPropertyOptional({ example: '3216', description: 'required unless you are bound to one regency' })
  @IsOptional()
  @RegencyCode()
  regencyCode?: string;
}
