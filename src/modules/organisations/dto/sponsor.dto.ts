import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, Matches } from 'class-validator';
import { Text } from '../../../common/http/validators.js';
import { SPONSOR_TYPES, type SponsorType } from '../sponsor.entity.js';
import type { SponsorRow } from '../sponsors.repository.js';

export class CreateSponsorDto {
  @ApiProperty({ example: 'PT Sumber Gizi Nusantara' })
  @Text(200)
  name!: string;

  @ApiProperty({ enum: SPONSOR_TYPES })
  @IsIn(SPONSOR_TYPES, { message: `type must be one of ${SPONSOR_TYPES.join(', ')}` })
  type!: SponsorType;

  @ApiProperty({ example: ['3216'], description: 'the regencies this sponsor funds' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(514)
  @ArrayUnique()
  @Matches(/^[0-9]{4}$/, { each: true, message: 'each regencyCodes item must be a 4-digit regency code' })
  regencyCodes!: string[];
}

export class SponsorResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: SPONSOR_TYPES }) type!: SponsorType;
  @ApiProperty({ type: [String], description: "the regencies it funds, within the caller's scope" }) regencyCodes!: string[];
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export const toSponsorResponse = ({ sponsor, regencyCodes }: SponsorRow, scope: string | null): SponsorResponseDto => ({
  id: sponsor.id,
  name: sponsor.name,
  type: sponsor.type,
  regencyCodes: scope === null ? regencyCodes : regencyCodes.filter((c) => c === scope),
  createdAt: sponsor.createdAt.toISOString(),
  updatedAt: sponsor.updatedAt.toISOString(),
});
