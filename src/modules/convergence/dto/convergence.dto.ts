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
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { Text } from '../../../common/http/validators.js';
import { TARGET_GROUPS } from '../../subjects/subject-rules.js';
import { CONDITION_FIELDS, EVIDENCE_KINDS, EVIDENCE_VISIT_ACTIONS, FAMILY_ATTRIBUTES, ITEM_KINDS } from '../package.js';

const finite = { allowNaN: false, allowInfinity: false };

export class EvidenceRuleDto {
  @ApiProperty({ enum: EVIDENCE_KINDS }) @IsIn(EVIDENCE_KINDS, { message: `kind must be one of ${EVIDENCE_KINDS.join(', ')}` }) kind!: (typeof EVIDENCE_KINDS)[number];

  @ApiPropertyOptional({ example: ['VIT_A'], description: 'intervention: catalogue codes whose deliveries count' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^[A-Z0-9_]{2,40}$/, { each: true, message: 'catalogueCodes must be a catalogue code' })
  catalogueCodes?: string[];

  @ApiPropertyOptional({ example: 90, description: 'intervention: the quantities delivered in the window add up to at least this' })
  @IsOptional()
  @IsNumber(finite)
  @Min(0)
  @Max(100000)
  minQuantity?: number;

  @ApiPropertyOptional({ example: 'DINSOS', description: 'task: the OPD whose completed task counts' })
  @IsOptional()
  @Matches(/^[A-Z0-9_]{2,32}$/, { message: 'opdCode must be an OPD code such as DINKES' })
  opdCode?: string;

  @ApiPropertyOptional({ example: 'JKN', description: "task: text the task's action contains (case-insensitive)" }) @IsOptional() @Text(100) actionContains?: string;

  @ApiPropertyOptional({ enum: EVIDENCE_VISIT_ACTIONS, isArray: true, description: 'visit: any of these actions' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(8)
  @IsIn(EVIDENCE_VISIT_ACTIONS, { each: true, message: `visitActions must be one of ${EVIDENCE_VISIT_ACTIONS.join(', ')}` })
  visitActions?: string[];

  @ApiPropertyOptional({ enum: FAMILY_ATTRIBUTES, description: "family: what the family's latest KRS assessment must say" })
  @IsOptional()
  @IsIn(FAMILY_ATTRIBUTES, { message: `attribute must be one of ${FAMILY_ATTRIBUTES.join(', ')}` })
  attribute?: (typeof FAMILY_ATTRIBUTES)[number];

  @ApiPropertyOptional({ example: 1, description: 'records needed within the window (default 1)' }) @IsOptional() @IsInt() @Min(1) @Max(100) minCount?: number;
}

export class ItemConditionDto {
  @ApiProperty({ enum: CONDITION_FIELDS }) @IsIn(CONDITION_FIELDS, { message: `field must be one of ${CONDITION_FIELDS.join(', ')}` }) field!: (typeof CONDITION_FIELDS)[number];
  @ApiProperty({ example: -2, description: 'applies while the latest plausible reading is below this' }) @IsNumber(finite) @Min(-10) @Max(100) below!: number;
  @ApiProperty({ example: 60, description: 'only a reading this many days old or newer counts' }) @IsInt() @Min(1) @Max(3650) withinDays!: number;
}

export class PackageItemDto {
  @ApiProperty({ example: 'VIT_A' }) @Matches(/^[A-Z0-9_]{2,40}$/, { message: 'code must be 2-40 characters of A-Z, 0-9 and _' }) code!: string;
  @ApiProperty({ example: 'Vitamin A' }) @Text(200) name!: string;
  @ApiProperty({ enum: ITEM_KINDS }) @IsIn(ITEM_KINDS, { message: 'kind must be spesifik or sensitif' }) kind!: (typeof ITEM_KINDS)[number];
  @ApiPropertyOptional({ example: 6, description: 'children only' }) @IsOptional() @IsInt() @Min(0) @Max(60) fromAgeMonths?: number;
  @ApiPropertyOptional({ example: 24, description: 'children only' }) @IsOptional() @IsInt() @Min(1) @Max(60) toAgeMonths?: number;
  @ApiPropertyOptional({ type: ItemConditionDto }) @IsOptional() @ValidateNested() @Type(() => ItemConditionDto) condition?: ItemConditionDto;

  @ApiProperty({ example: 183, nullable: true, type: 'integer', description: 'evidence counts from this many days back; null: any time' })
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(3650)
  windowDays!: number | null;

  @ApiProperty({ example: 183, description: 'unmet this many days after it began to apply, the item is overdue' }) @IsInt() @Min(0) @Max(3650) dueDays!: number;

  @ApiProperty({ type: [EvidenceRuleDto], description: 'any of these meets the item' })
  @IsArray()
  @ArrayMinSize(1, { message: 'evidence must list at least one item' })
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => EvidenceRuleDto)
  evidence!: EvidenceRuleDto[];

  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @Text(500) basis?: string;
}

export class PackageGroupDto {
  @ApiProperty({ enum: TARGET_GROUPS }) @IsIn(TARGET_GROUPS, { message: `targetGroup must be one of ${TARGET_GROUPS.join(', ')}` }) targetGroup!: (typeof TARGET_GROUPS)[number];

  @ApiProperty({ type: [PackageItemDto] })
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => PackageItemDto)
  items!: PackageItemDto[];
}

export class ConvergencePackageDto {
  @ApiProperty({ type: [PackageGroupDto], description: 'every target group the package covers; a group left out has no package' })
  @IsArray()
  @ArrayMinSize(1, { message: 'groups must list at least one item' })
  @ArrayMaxSize(TARGET_GROUPS.length)
  @ValidateNested({ each: true })
  @Type(() => PackageGroupDto)
  groups!: PackageGroupDto[];

  @ApiPropertyOptional({ example: 'Perbup 12/2026', maxLength: 500 }) @IsOptional() @IsString() @MaxLength(500) source?: string;
}

export class ConvergenceReportQueryDto {
  @ApiProperty({ enum: ['desa', 'kecamatan'] }) @IsIn(['desa', 'kecamatan'], { message: 'level must be desa or kecamatan' }) level!: 'desa' | 'kecamatan';
  @ApiProperty({ example: '2026-11', description: 'the month: targets and evidence as of its last day (today for the current month)' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'period must be YYYY-MM' })
  period!: string;
  @ApiPropertyOptional({ example: '3216', description: 'a province (2), regency (4), kecamatan (6) or village (10) in your scope; default your whole scope' })
  @IsOptional()
  @Matches(/^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{10})$/, { message: 'code must be a 2-, 4-, 6- or 10-digit region code' })
  code?: string;
}
