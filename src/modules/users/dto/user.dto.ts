import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { OpdCode, OptionalOrNull, ProvinceCode, RegencyCode, Text } from '../../../common/http/validators.js';
import { PageQueryDto } from '../../../common/http/pagination.js';
import type { UserEntity } from '../../identity/user.entity.js';
import { ALL_ROLES, type Role } from '../../identity/role.js';

const ROLE_MESSAGE = `role must be one of ${ALL_ROLES.join(', ')}`;

export class CreateUserDto {
  @ApiProperty({ example: 'sri.dinkes', description: '3-64 characters of a-z, 0-9, ".", "_", "-"; stored lower-case' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @Matches(/^[a-z0-9._-]{3,64}$/, { message: 'username must be 3-64 characters of a-z, 0-9, ".", "_" or "-"' })
  username!: string;

  @ApiProperty({ minLength: 10, maxLength: 256 })
  @IsString()
  @MinLength(10, { message: 'password must be at least 10 characters' })
  @MaxLength(256)
  password!: string;

  @ApiProperty({ example: 'Sri Wahyuni' })
  @Text(200)
  displayName!: string;

  @ApiProperty({ enum: ALL_ROLES })
  @IsIn(ALL_ROLES, { message: ROLE_MESSAGE })
  role!: Role;

  @ApiPropertyOptional({ example: '3216', description: "defaults to the admin's own regency; omit for a national admin or viewer" })
  @IsOptional()
  @RegencyCode()
  regencyCode?: string;

  @ApiPropertyOptional({
    example: '32',
    description: "a province user (role viewer or admin only), instead of regencyCode; defaults to a province admin's own province",
  })
  @IsOptional()
  @ProvinceCode()
  provinceCode?: string;

  @ApiPropertyOptional({ example: 'DINKES', description: 'required for opd_liaison: the code of their OPD in the regency (GET /api/v1/opds)' })
  @IsOptional()
  @OpdCode()
  opdCode?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'instead of opdCode: the OPD by its id' })
  @IsOptional()
  @IsUUID('all', { message: 'opdId must be a UUID' })
  opdId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'required for csr_partner: their sponsor (sponsors have no code; GET /api/v1/sponsors)' })
  @IsOptional()
  @IsUUID('all', { message: 'sponsorId must be a UUID' })
  sponsorId?: string;

  @ApiPropertyOptional({ example: 'sri@dinkes.bekasikab.go.id', description: 'where escalations are e-mailed, when SMTP is configured' })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ nullable: true, type: String, description: 'null removes it' })
  @OptionalOrNull()
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @Text(200)
  displayName?: string;

  @ApiPropertyOptional({ minLength: 10 })
  @IsOptional()
  @IsString()
  @MinLength(10, { message: 'password must be at least 10 characters' })
  @MaxLength(256)
  password?: string;

  @ApiPropertyOptional({ enum: ALL_ROLES })
  @IsOptional()
  @IsIn(ALL_ROLES, { message: ROLE_MESSAGE })
  role?: Role;

  @ApiPropertyOptional({ nullable: true, type: String })
  @OptionalOrNull()
  @RegencyCode()
  regencyCode?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: '32', description: 'binds the user to a province instead (viewer or admin)' })
  @OptionalOrNull()
  @ProvinceCode()
  provinceCode?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'DINKES', description: "the liaison's OPD by its code; null removes it" })
  @OptionalOrNull()
  @OpdCode()
  opdCode?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'instead of opdCode' })
  @OptionalOrNull()
  @IsUUID('all', { message: 'opdId must be a UUID' })
  opdId?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @OptionalOrNull()
  @IsUUID('all', { message: 'sponsorId must be a UUID' })
  sponsorId?: string | null;

  @ApiPropertyOptional({ description: 'false disables the user and ends their sessions' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class ListUsersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ALL_ROLES })
  @IsOptional()
  @IsIn(ALL_ROLES, { message: ROLE_MESSAGE })
  role?: Role;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @Type(() => String)
  @IsIn([true, false], { message: 'active must be true or false' })
  active?: boolean;
}

export class UserResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ALL_ROLES }) role!: Role;
  @ApiProperty({ nullable: true, type: String }) regencyCode!: string | null;
  @ApiProperty({ nullable: true, type: String, description: "a province user's province; null when regencyCode is set, or for a national user" })
  provinceCode!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) opdId!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) sponsorId!: string | null;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
  @ApiProperty() active!: boolean;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export const toUserResponse = (u: UserEntity): UserResponseDto => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  regencyCode: u.regencyCode,
  provinceCode: u.provinceCode,
  opdId: u.opdId,
  sponsorId: u.sponsorId,
  email: u.email,
  active: u.active,
  createdAt: u.createdAt.toISOString(),
  updatedAt: u.updatedAt.toISOString(),
});
