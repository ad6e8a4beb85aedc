import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../../common/http/pagination.js';
import { OptionalOrNull, Text, VillageCode } from '../../../common/http/validators.js';
import { KRS_RULES, type KrsRule } from '../krs.js';

export const RELATIONS = ['KK', 'ISTRI', 'ANAK', 'LAIN'] as const;
export type Relation = (typeof RELATIONS)[number];
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const KK_DIGITS = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.replace(/[\s.'-]/g, '') : value);

export class FamilyMemberDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'the subject this member is (a subject belongs to at most one family)' })
  @IsOptional()
  @IsUUID('all', { message: 'subjectId must be a UUID' })
  subjectId?: string;

  @ApiProperty({ enum: RELATIONS })
  @IsIn(RELATIONS, { message: `relation must be one of ${RELATIONS.join(', ')}` })
  relation!: Relation;

  @ApiPropertyOptional({ example: 'Siti Aminah', description: "required without a subject; a subject's own name otherwise" })
  @IsOptional()
  @Text(200)
  name?: string;

  @ApiPropertyOptional({ enum: ['M', 'F'] })
  @IsOptional()
  @IsIn(['M', 'F'], { message: 'sex must be M or F' })
  sex?: 'M' | 'F';

  @ApiPropertyOptional({ example: '1998-05-10' })
  @IsOptional()
  @Matches(DAY, { message: 'birthDate must be a YYYY-MM-DD date' })
  birthDate?: string;

  @ApiPropertyOptional({ type: 'integer', nullable: true, example: 12, description: 'gestational age in weeks when recorded (usia kehamilan)' })
  @OptionalOrNull()
  @IsInt()
  @Min(1)
  @Max(42)
  gestWeeks?: number | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2026-11-20', description: 'the day gestWeeks was recorded; required with it' })
  @OptionalOrNull()
  @Matches(DAY, { message: 'gestRecordedOn must be a YYYY-MM-DD date' })
  gestRecordedOn?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2027-02-10', description: 'delivery day: ends the pregnancy and starts the KF windows' })
  @OptionalOrNull()
  @Matches(DAY, { message: 'deliveredOn must be a YYYY-MM-DD date' })
  deliveredOn?: string | null;
}

export class CreateFamilyDto {
  @ApiProperty({ example: '3216061234560001', description: 'nomor KK, 16 digits: stored sealed, shown masked' })
  @Transform(KK_DIGITS)
  @Matches(/^[0-9]{16}$/, { message: 'familyCardNumber must be 16 digits' })
  familyCardNumber!: string;

  @ApiProperty({ example: 'Ahmad Fauzi' })
  @Text(200)
  headName!: string;

  @ApiPropertyOptional({ example: 'Siti Aminah' })
  @IsOptional()
  @Text(200)
  wifeName?: string;

  @ApiProperty({ example: '3216062005' })
  @VillageCode()
  villageCode!: string;

  @ApiPropertyOptional({ example: '003' })
  @IsOptional()
  @Matches(/^[0-9]{1,3}$/, { message: 'rt must be 1-3 digits' })
  rt?: string;

  @ApiPropertyOptional({ example: '007' })
  @IsOptional()
  @Matches(/^[0-9]{1,3}$/, { message: 'rw must be 1-3 digits' })
  rw?: string;

  @ApiPropertyOptional({ example: 2, minimum: 0, maximum: 4, description: 'kesejahteraan prioritas (P3KE band), 0 = not a priority' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(4)
  welfarePriority?: number;

  @ApiPropertyOptional({ type: FamilyMemberDto, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => FamilyMemberDto)
  members?: FamilyMemberDto[];
}

export class UpdateFamilyDto {
  @ApiPropertyOptional() @IsOptional() @Text(200) headName?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @OptionalOrNull() @Text(200) wifeName?: string | null;
  @ApiPropertyOptional() @IsOptional() @VillageCode() villageCode?: string;
  @ApiPropertyOptional({ nullable: true, type: String })
  @OptionalOrNull()
  @Matches(/^[0-9]{1,3}$/, { message: 'rt must be 1-3 digits' })
  rt?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String })
  @OptionalOrNull()
  @Matches(/^[0-9]{1,3}$/, { message: 'rw must be 1-3 digits' })
  rw?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(4) welfarePriority?: number;

  @ApiPropertyOptional({ type: FamilyMemberDto, isArray: true, description: 'replaces the member list' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => FamilyMemberDto)
  members?: FamilyMemberDto[];
}

export class ListFamiliesQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @VillageCode() villageCode?: string;

  @ApiPropertyOptional({ description: 'only families whose latest assessment is KRS' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'krs must be true or false' })
  krs?: boolean;
}

class FactorsDto {
  @ApiProperty() @IsBoolean() airTidakLayak!: boolean;
  @ApiProperty() @IsBoolean() jambanTidakLayak!: boolean;
  @ApiProperty() @IsBoolean() terlaluMuda!: boolean;
  @ApiProperty() @IsBoolean() terlaluTua!: boolean;
  @ApiProperty() @IsBoolean() terlaluDekat!: boolean;
  @ApiProperty() @IsBoolean() terlaluBanyak!: boolean;
  @ApiProperty() @IsBoolean() nonKbModern!: boolean;
}

export class CreateAssessmentDto {
  @ApiProperty({ example: 2026 }) @IsInt() @Min(2015) @Max(2100) year!: number;
  @ApiProperty({ example: 2, enum: [1, 2] }) @IsIn([1, 2], { message: 'round must be 1 or 2' }) round!: 1 | 2;

  @ApiProperty({ example: '2026-11-20', description: 'the day the target flags are derived at (the visit day)' })
  @Matches(DAY, { message: 'referenceDate must be a YYYY-MM-DD date' })
  referenceDate!: string;

  @ApiProperty({ type: FactorsDto, description: 'the screening factors observed' })
  @IsDefined()
  @ValidateNested()
  @Type(() => FactorsDto)
  factors!: FactorsDto;

  @ApiPropertyOptional({ enum: ['VERVAL', 'ENGINE'], default: 'ENGINE', description: 'VERVAL when recorded on a Verval home visit' })
  @IsOptional()
  @IsIn(['VERVAL', 'ENGINE'], { message: 'source must be VERVAL or ENGINE' })
  source?: 'VERVAL' | 'ENGINE';
}

export class KrsPolicyDto {
  @ApiProperty({ enum: KRS_RULES, description: 'ANY_FACTOR: a target family with any factor; STRICT_PUS: the stricter Verval 2024 fallback' })
  @IsIn(KRS_RULES, { message: `rule must be one of ${KRS_RULES.join(', ')}` })
  rule!: KrsRule;
}
