import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { OptionalOrNull, Sex as SexCode, Text, VillageCode } from '../../../common/http/validators.js';
import { PageQueryDto } from '../../../common/http/pagination.js';
import { type Sex, TARGET_GROUPS, type TargetGroup } from '../subject.entity.js';

const TARGET_GROUP_MESSAGE = `targetGroup must be one of ${TARGET_GROUPS.join(', ')}`;
const DATE_MESSAGE = 'birthDate must be a date as YYYY-MM-DD';

export class CreateSubjectDto {
  @ApiProperty({ enum: TARGET_GROUPS })
  @IsIn(TARGET_GROUPS, { message: TARGET_GROUP_MESSAGE })
  targetGroup!: TargetGroup;

  @ApiProperty({ example: 'Aisyah Putri' })
  @Text(200)
  name!: string;

  @ApiProperty({ enum: ['M', 'F', 'L', 'P'], description: 'M or L (laki-laki), F or P (perempuan); answered as M or F' })
  @SexCode()
  @IsIn(['M', 'F'], { message: 'sex must be M or F (L or P)' })
  sex!: Sex;

  @ApiProperty({ example: '2024-03-01', format: 'date' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE })
  birthDate!: string;

  @ApiPropertyOptional({ example: '3216064103240002', description: '16 digits; stored encrypted, answered masked' })
  @IsOptional()
  @IsString({ message: 'nik must be a string of 16 digits' })
  nik?: string;

  @ApiPropertyOptional({ example: '3216060101240001', description: 'No. KK, 16 digits; stored encrypted, answered masked' })
  @IsOptional()
  @Matches(/^[0-9]{16}$/, { message: 'familyCardNumber must be exactly 16 digits' })
  familyCardNumber?: string;

  @ApiPropertyOptional({ example: '3216065508950003', description: "NIK ibu, for a child without a NIK of its own (16 digits); stored encrypted, answered masked" })
  @IsOptional()
  @IsString({ message: 'motherNik must be a string of 16 digits' })
  motherNik?: string;

  @ApiPropertyOptional({ example: 'Siti Rahmawati' })
  @IsOptional()
  @Text(200)
  motherName?: string;

  @ApiProperty({ example: '3216062005', description: 'Kemendagri desa/kelurahan code, 10 digits, dotted (32.16.06.2005) or not; answered undotted. It fixes regencyCode' })
  @VillageCode()
  villageCode!: string;

  @ApiPropertyOptional({ example: 'Posyandu Melati 3' })
  @IsOptional()
  @Text(200)
  posyandu?: string;

  @ApiPropertyOptional({ example: 'Kp. Setia RT 02/RW 05' })
  @IsOptional()
  @Text(500)
  address?: string;
}

/** Every field optional; null clears an optional one. */
export class UpdateSubjectDto {
  @ApiPropertyOptional({ enum: TARGET_GROUPS })
  @IsOptional()
  @IsIn(TARGET_GROUPS, { message: TARGET_GROUP_MESSAGE })
  targetGroup?: TargetGroup;

  @ApiPropertyOptional()
  @IsOptional()
  @Text(200)
  name?: string;

  @ApiPropertyOptional({ enum: ['M', 'F', 'L', 'P'], description: 'M or L, F or P; answered as M or F' })
  @IsOptional()
  @SexCode()
  @IsIn(['M', 'F'], { message: 'sex must be M or F (L or P)' })
  sex?: Sex;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE })
  birthDate?: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  @OptionalOrNull()
  @IsString({ message: 'nik must be a string of 16 digits' })
  nik?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  @OptionalOrNull()
  @Matches(/^[0-9]{16}$/, { message: 'familyCardNumber must be exactly 16 digits' })
  familyCardNumber?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  @OptionalOrNull()
  @IsString({ message: 'motherNik must be a string of 16 digits' })
  motherNik?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  @OptionalOrNull()
  @Text(200)
  motherName?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @VillageCode()
  villageCode?: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  @OptionalOrNull()
  @Text(200)
  posyandu?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  @OptionalOrNull()
  @Text(500)
  address?: string | null;
}

export class ListSubjectsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'exact NIK (16 digits), matched by keyed hash' })
  @IsOptional()
  @Matches(/^[0-9]{16}$/, { message: 'nik must be exactly 16 digits' })
  nik?: string;

  @ApiPropertyOptional({ description: 'name prefix, case-insensitive' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ example: '3216062005' })
  @IsOptional()
  @VillageCode()
  villageCode?: string;
}

export class SubjectResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: TARGET_GROUPS }) targetGroup!: TargetGroup;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['M', 'F'] }) sex!: Sex;
  @ApiProperty({ format: 'date' }) birthDate!: string;
  @ApiProperty({ nullable: true, type: String, example: '3216********0002', description: 'masked' }) nik!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'masked' }) familyCardNumber!: string | null;
  @ApiProperty({ nullable: true, type: String, description: "the mother's NIK, masked" }) motherNik!: string | null;
  @ApiProperty({ nullable: true, type: String }) motherName!: string | null;
  @ApiProperty() villageCode!: string;
  @ApiProperty({ nullable: true, type: String, example: 'Setiadarma' }) villageName!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'Tambun Selatan', description: 'the kecamatan' }) districtName!: string | null;
  @ApiProperty() regencyCode!: string;
  @ApiProperty({ nullable: true, type: String }) posyandu!: string | null;
  @ApiProperty({ nullable: true, type: String }) address!: string | null;
  @ApiProperty({ description: 'processing is restricted at the subject\'s request: only a DPO or admin sees the record' }) restricted!: boolean;
  @ApiProperty() version!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}
