import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsUUID, Matches, ValidateNested } from 'class-validator';
import { PageQueryDto } from '../../../common/http/pagination.js';
import { OptionalOrNull, Text, VillageCode } from '../../../common/http/validators.js';
import { TPK_ROLES, type TpkRole } from '../tpk-teams.repository.js';

export class TpkMemberDto {
  @ApiProperty({ format: 'uuid', description: 'a user with role tpk in the same regency' })
  @IsUUID('all', { message: 'userId must be a UUID' })
  userId!: string;

  @ApiProperty({ enum: TPK_ROLES })
  @IsIn(TPK_ROLES, { message: `tpkRole must be one of ${TPK_ROLES.join(', ')}` })
  tpkRole!: TpkRole;

  @ApiPropertyOptional({ type: String, isArray: true, example: ['3216062005'], description: "the villages the member covers; default the team's" })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @Matches(/^[0-9]{10}$/, { each: true, message: 'each of villageCodes must be a 10-digit village code' })
  villageCodes?: string[];
}

export class CreateTpkTeamDto {
  @ApiProperty({ example: '3216062005' }) @VillageCode() villageCode!: string;
  @ApiProperty({ example: 'TPK Desa Sukamaju 01' }) @Text(200) name!: string;
  @ApiPropertyOptional({ example: 'SK Kades 141/12/2026' }) @IsOptional() @Text(200) skRef?: string;

  @ApiProperty({ type: TpkMemberDto, isArray: true })
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => TpkMemberDto)
  members!: TpkMemberDto[];

  @ApiPropertyOptional({ format: 'uuid', description: "a member whose tpkRole is bidan: the team's field coordinator" })
  @IsOptional()
  @IsUUID('all', { message: 'coordinatorUserId must be a UUID' })
  coordinatorUserId?: string;
}

export class UpdateTpkTeamDto {
  @ApiPropertyOptional() @IsOptional() @Text(200) name?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @OptionalOrNull() @Text(200) skRef?: string | null;

  @ApiPropertyOptional({ type: TpkMemberDto, isArray: true, description: 'replaces the members' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => TpkMemberDto)
  members?: TpkMemberDto[];

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @OptionalOrNull()
  @IsUUID('all', { message: 'coordinatorUserId must be a UUID' })
  coordinatorUserId?: string | null;
}

export class ListTpkTeamsQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @VillageCode() villageCode?: string;
}
