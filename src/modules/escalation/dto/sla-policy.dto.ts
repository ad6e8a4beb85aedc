import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDefined,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsNumber,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { OptionalOrNull } from '../../../common/http/validators.js';
import { CHANNELS, type Channel, RECIPIENT_RULES, type RecipientRule } from '../policy.js';

class SlaDaysDto {
  @ApiProperty({ example: 30 }) @IsInt() @Min(1) @Max(365) identified!: number;
  @ApiProperty({ example: 14 }) @IsInt() @Min(1) @Max(365) audited!: number;
  @ApiProperty({ example: 30 }) @IsInt() @Min(1) @Max(365) intervened!: number;
  @ApiProperty({ example: 7 }) @IsInt() @Min(1) @Max(365) remeasured!: number;
}

class OutcomePolicyDto {
  @ApiProperty({ example: -2 }) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(-6) @Max(6) minHaz!: number;
  @ApiProperty({ example: 0.5 }) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(6) minImprovement!: number;
}

class NewCasePolicyDto {
  @ApiProperty({ example: 0.5, description: 'a child resolved below −2 gets a new case when HAZ falls this far below its HAZ at resolution' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(6)
  relapseHazDrop!: number;

  @ApiProperty({ example: 180, description: '...or when still stunted this many days after the resolution' })
  @IsInt()
  @Min(1)
  @Max(3650)
  reauditAfterDays!: number;
}

class TaskDaysDto {
  @ApiProperty({ example: 3 }) @IsInt() @Min(1) @Max(60) acknowledgeWorkingDays!: number;
  @ApiProperty({ example: 14 }) @IsInt() @Min(1) @Max(365) completeDays!: number;
  @ApiProperty({ example: 7 }) @IsInt() @Min(1) @Max(90) verifyDays!: number;
  @ApiProperty({ example: 3 }) @IsInt() @Min(1) @Max(60) reassignWorkingDays!: number;
}

class InterventionDaysDto {
  @ApiProperty({ example: 7 }) @IsInt() @Min(1) @Max(90) firstDeliveryDays!: number;
  @ApiProperty({ example: 3 }) @IsInt() @Min(0) @Max(90) graceDays!: number;
}

class RungDto {
  @ApiProperty({ example: 1 }) @IsInt() @Min(1) @Max(10) level!: number;
  @ApiProperty({ example: 0, description: 'days after the deadline' }) @IsInt() @Min(0) @Max(365) afterDays!: number;
  @ApiProperty({ enum: RECIPIENT_RULES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(RECIPIENT_RULES, { each: true, message: `each notify entry must be one of ${RECIPIENT_RULES.join(', ')}` })
  notify!: RecipientRule[];
  @ApiProperty({ enum: CHANNELS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(CHANNELS, { each: true, message: `each channel must be one of ${CHANNELS.join(', ')}` })
  channels!: Channel[];
}

/** A rung of the 8 Aksi evidence ladder: days before the upload deadline (negative), or at it (0). */
class AksiRungDto {
  @ApiProperty({ example: 1 }) @IsInt() @Min(1) @Max(10) level!: number;
  @ApiProperty({ example: -14, description: 'days relative to the end of the upload day: -14 fires when 14 days are left' })
  @IsInt()
  @Min(-365)
  @Max(0)
  afterDays!: number;
  @ApiProperty({ enum: RECIPIENT_RULES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(RECIPIENT_RULES, { each: true, message: `each notify entry must be one of ${RECIPIENT_RULES.join(', ')}` })
  notify!: RecipientRule[];
  @ApiProperty({ enum: CHANNELS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(CHANNELS, { each: true, message: `each channel must be one of ${CHANNELS.join(', ')}` })
  channels!: Channel[];
}

class AksiPolicyDto {
  @ApiProperty({ type: AksiRungDto, isArray: true, description: 'default: D-14 assignee (the OPD liaisons), D-7 opd_head, D-1 tpps_chair' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => AksiRungDto)
  ladder!: AksiRungDto[];
}

class ContactsDto {
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) @OptionalOrNull() @IsUUID('all') aksChairUserId?: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) @OptionalOrNull() @IsUUID('all') tppsChairUserId?: string | null;
  @ApiPropertyOptional({ nullable: true }) @OptionalOrNull() @IsEmail({}, { message: 'tppsChairEmail must be an e-mail address' })
  tppsChairEmail?: string | null;
}

class BumilScheduleDto {
  @ApiProperty({ type: 'integer', isArray: true, example: [13, 27], description: 'completed weeks at which trimesters 1 and 2 end' })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(2)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(40, { each: true })
  trimesterEndWeeks!: [number, number];
  @ApiProperty({ example: 30 }) @IsInt() @Min(7) @Max(90) thirdTrimesterEveryDays!: number;
  @ApiProperty({ example: 40 }) @IsInt() @Min(36) @Max(42) termWeeks!: number;
}

class NifasScheduleDto {
  @ApiProperty({ type: 'integer', isArray: true, example: [2, 7, 28, 42], description: 'the day after delivery each KF window ends on' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(8)
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Max(60, { each: true })
  kfEndDays!: number[];
}

class BadutaScheduleDto {
  @ApiProperty({ example: 30 }) @IsInt() @Min(7) @Max(90) everyDays!: number;
  @ApiProperty({ example: 24 }) @IsInt() @Min(1) @Max(60) untilMonths!: number;
}

class CatinScheduleDto {
  @ApiProperty({ example: 90 }) @IsInt() @Min(7) @Max(365) windowDays!: number;
  @ApiProperty({ example: 30 }) @IsInt() @Min(7) @Max(90) riskEveryDays!: number;
  @ApiProperty({ example: 90 }) @IsInt() @Min(0) @Max(365) riskAfterDays!: number;
}

class VisitScheduleDto {
  @ApiProperty({ type: BumilScheduleDto }) @IsDefined() @ValidateNested() @Type(() => BumilScheduleDto) BUMIL!: BumilScheduleDto;
  @ApiProperty({ type: NifasScheduleDto }) @IsDefined() @ValidateNested() @Type(() => NifasScheduleDto) NIFAS!: NifasScheduleDto;
  @ApiProperty({ type: BadutaScheduleDto }) @IsDefined() @ValidateNested() @Type(() => BadutaScheduleDto) BADUTA!: BadutaScheduleDto;
  @ApiProperty({ type: CatinScheduleDto }) @IsDefined() @ValidateNested() @Type(() => CatinScheduleDto) CATIN!: CatinScheduleDto;
}

class VisitPolicyDto {
  @ApiPropertyOptional({ type: VisitScheduleDto, description: 'when each target group is due a TPK visit' })
  @IsOptional()
  @ValidateNested()
  @Type(() => VisitScheduleDto)
  schedule?: VisitScheduleDto;

  @ApiPropertyOptional({ type: RungDto, isArray: true, description: 'the ladder of a lapsed visit: tpk_member, tpk_coordinator, pkb, dp2kb' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => RungDto)
  ladder?: RungDto[];

  @ApiPropertyOptional({ example: { '321606': ['8a7c…'] }, description: 'the PKB user(s) of each kecamatan (6-digit code)' })
  @IsOptional()
  @IsObject()
  pkbUserIds?: Record<string, string[]>;

  @ApiPropertyOptional({ type: String, isArray: true, format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  dp2kbUserIds?: string[];

  @ApiPropertyOptional({ example: 5, description: "the day of the next month a month's TPK report freezes on" })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(28)
  reportFreezeDay?: number;
}

export class SlaPolicyDto {
  @ApiProperty({ type: SlaDaysDto, description: 'calendar days allowed in each case step' })
  @IsDefined()
  @ValidateNested()
  @Type(() => SlaDaysDto)
  days!: SlaDaysDto;

  @ApiPropertyOptional({ type: OutcomePolicyDto, description: 'when a case may be resolved' })
  @IsOptional()
  @ValidateNested()
  @Type(() => OutcomePolicyDto)
  outcome?: OutcomePolicyDto;

  @ApiPropertyOptional({ type: NewCasePolicyDto, description: 'when a child whose last case finished gets a new case' })
  @IsOptional()
  @ValidateNested()
  @Type(() => NewCasePolicyDto)
  newCases?: NewCasePolicyDto;

  @ApiPropertyOptional({ type: TaskDaysDto, description: 'time allowed for each step of an OPD task' })
  @IsOptional()
  @ValidateNested()
  @Type(() => TaskDaysDto)
  tasks?: TaskDaysDto;

  @ApiPropertyOptional({ type: InterventionDaysDto, description: 'when an intervention counts as stalled' })
  @IsOptional()
  @ValidateNested()
  @Type(() => InterventionDaysDto)
  interventions?: InterventionDaysDto;

  @ApiPropertyOptional({ type: RungDto, isArray: true, description: 'the escalation ladder, levels ascending' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => RungDto)
  ladder?: RungDto[];

  @ApiPropertyOptional({ type: String, isArray: true, example: ['2026-12-24'], description: "the regency's own days off" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { each: true, message: 'each holiday must be a YYYY-MM-DD date' })
  holidays?: string[];

  @ApiPropertyOptional({ example: 5, description: 'years after the child turns five before a finished record is anonymised' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(50)
  retentionYears?: number;

  @ApiPropertyOptional({ type: ContactsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ContactsDto)
  contacts?: ContactsDto;

  @ApiPropertyOptional({ type: VisitPolicyDto, description: 'TPK visits: schedule, lapse ladder, PKB and DP2KB' })
  @IsOptional()
  @ValidateNested()
  @Type(() => VisitPolicyDto)
  visits?: VisitPolicyDto;

  @ApiPropertyOptional({ type: AksiPolicyDto, description: '8 Aksi evidence: the ladder before the upload deadline' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AksiPolicyDto)
  aksi?: AksiPolicyDto;
}
