import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsNumber,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../../common/http/pagination.js';
import { Text, VillageCode } from '../../../common/http/validators.js';

export const VISIT_GROUPS = ['CATIN', 'BUMIL', 'NIFAS', 'BADUTA', 'BALITA', 'PUS'] as const;
export type VisitGroup = (typeof VISIT_GROUPS)[number];
export const VISIT_KINDS = ['RUMAH', 'POSYANDU', 'VERVAL', 'TELEPON'] as const;
export const VISIT_ACTIONS = ['KIE', 'RUJUKAN', 'BANSOS', 'PMT', 'ELSIMIL', 'EPPGBM', 'BAAS', 'GENTING', 'NONE'] as const;
export type VisitAction = (typeof VISIT_ACTIONS)[number];
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const finite = { allowNaN: false, allowInfinity: false };

class ReferralDto {
  @ApiProperty({ example: 'Puskesmas Cibitung' }) @Text(200) to!: string;
  @ApiProperty({ example: 'Hb rendah' }) @Text(500) reason!: string;
}

/** A reading taken on the visit: stored as a measurement of the subject, measured on the visit day. */
export class VisitMeasurementDto {
  @ApiPropertyOptional({ example: 8.4 }) @IsOptional() @IsNumber(finite) @Min(0.9) @Max(58) weightKg?: number;
  @ApiPropertyOptional({ example: 74.5 }) @IsOptional() @IsNumber(finite) @Min(38) @Max(150) heightCm?: number;
  @ApiProperty({ enum: ['recumbent', 'standing'] })
  @IsIn(['recumbent', 'standing'], { message: 'measurement.method must be recumbent or standing' })
  method!: 'recumbent' | 'standing';
  @ApiPropertyOptional({ example: 13.5 }) @IsOptional() @IsNumber(finite) @Min(5) @Max(60) muacCm?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber(finite) @Min(20) @Max(70) headCm?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() oedema?: boolean;
}

export class CreateVisitDto {
  @ApiProperty({ format: 'uuid', description: 'made by the phone: the same visit sent twice is stored once' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: 'familyId must be a UUID' }) familyId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: 'subjectId must be a UUID' }) subjectId?: string;

  @ApiProperty({ enum: VISIT_GROUPS })
  @IsIn(VISIT_GROUPS, { message: `targetGroup must be one of ${VISIT_GROUPS.join(', ')}` })
  targetGroup!: VisitGroup;

  @ApiProperty({ enum: VISIT_KINDS })
  @IsIn(VISIT_KINDS, { message: `kind must be one of ${VISIT_KINDS.join(', ')}` })
  kind!: (typeof VISIT_KINDS)[number];

  @ApiProperty({ enum: VISIT_ACTIONS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(9)
  @ArrayUnique()
  @IsIn(VISIT_ACTIONS, { each: true, message: `each action must be one of ${VISIT_ACTIONS.join(', ')}` })
  actions!: VisitAction[];

  @ApiProperty({ example: '2026-11-23', description: 'the local day of the visit' })
  @Matches(DAY, { message: 'visitedOn must be a YYYY-MM-DD date' })
  visitedOn!: string;

  @ApiPropertyOptional({ type: ReferralDto }) @IsOptional() @ValidateNested() @Type(() => ReferralDto) referral?: ReferralDto;
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @Text(2000) @MaxLength(2000) notes?: string;

  @ApiPropertyOptional({ type: VisitMeasurementDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => VisitMeasurementDto)
  measurement?: VisitMeasurementDto;
}

export class ListVisitsQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @VillageCode() villageCode?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: 'subjectId must be a UUID' }) subjectId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: 'familyId must be a UUID' }) familyId?: string;
  @ApiPropertyOptional({ example: '2026-11-01' }) @IsOptional() @Matches(DAY, { message: 'from must be a YYYY-MM-DD date' }) from?: string;
  @ApiPropertyOptional({ example: '2026-11-30' }) @IsOptional() @Matches(DAY, { message: 'to must be a YYYY-MM-DD date' }) to?: string;
}

export class DueVisitsQueryDto {
  @ApiPropertyOptional() @IsOptional() @VillageCode() villageCode?: string;
  @ApiPropertyOptional({ example: '2026-11-30', description: 'default: 7 days from today' })
  @IsOptional()
  @Matches(DAY, { message: 'until must be a YYYY-MM-DD date' })
  until?: string;
}

export class CreateScreeningDto {
  @ApiProperty({ example: '2027-03-01' }) @Matches(DAY, { message: 'plannedMarriageDate must be a YYYY-MM-DD date' }) plannedMarriageDate!: string;
  @ApiPropertyOptional({ example: '2026-11-23', description: 'default today' })
  @IsOptional()
  @Matches(DAY, { message: 'screenedOn must be a YYYY-MM-DD date' })
  screenedOn?: string;
  @ApiProperty({ example: 48 }) @IsNumber(finite) @Min(25) @Max(200) weightKg!: number;
  @ApiProperty({ example: 155 }) @IsNumber(finite) @Min(120) @Max(210) heightCm!: number;
  @ApiProperty({ example: 24, description: 'LiLA (cm)' }) @IsNumber(finite) @Min(10) @Max(60) muacCm!: number;
  @ApiPropertyOptional({ example: 72 }) @IsOptional() @IsNumber(finite) @Min(40) @Max(200) waistCm?: number;
  @ApiPropertyOptional({ example: 11.8 }) @IsOptional() @IsNumber(finite) @Min(3) @Max(25) hbGdl?: number;
  @ApiProperty() @IsBoolean() smoker!: boolean;
}

export class ScreeningTableDto {
  @ApiProperty({ example: 23.5 }) @IsNumber(finite) @Min(15) @Max(35) muacBelowCm!: number;
  @ApiProperty({ example: 11 }) @IsNumber(finite) @Min(7) @Max(15) hbBelowGdl!: number;
  @ApiProperty({ example: 18.5 }) @IsNumber(finite) @Min(14) @Max(25) bmiBelow!: number;
  @ApiProperty({ example: 20 }) @IsNumber(finite) @Min(15) @Max(30) ageBelowYears!: number;
  @ApiProperty() @IsBoolean() smokingIsRisk!: boolean;
}

export class TpkReportQueryDto {
  @ApiProperty({ example: '2026-11' }) @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be YYYY-MM' }) month!: string;
  @ApiPropertyOptional() @IsOptional() @VillageCode() villageCode?: string;
  @ApiPropertyOptional({ description: 'for a national user' }) @IsOptional() @Matches(/^[0-9]{4}$/, { message: 'regencyCode must be a 4-digit regency code' })
  regencyCode?: string;
}
