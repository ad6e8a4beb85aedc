import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsUUID } from 'class-validator';
import { Text } from '../../../common/http/validators.js';

export class CreateConsentDto {
  @ApiProperty({ example: 'Siti Rahmawati' }) @Text(200) guardianName!: string;
  @ApiProperty({ example: 'ibu', description: 'the guardian\'s relation to the subject' }) @Text(50) guardianRelation!: string;
  @ApiProperty({ enum: ['share_with_sponsor'] })
  @IsIn(['share_with_sponsor'], { message: 'purpose must be share_with_sponsor' })
  purpose!: 'share_with_sponsor';
  @ApiProperty({ format: 'uuid', description: 'the sponsor the guardian agrees to share with' })
  @IsUUID('all', { message: 'sponsorId must be a UUID' })
  sponsorId!: string;
  @ApiProperty({ example: 'Formulir persetujuan No. 12/2026, arsip Puskesmas Cikarang' }) @Text(500) evidenceRef!: string;
  @ApiProperty({ example: '2026-11-20' })
  @IsISO8601({ strict: true }, { message: 'givenAt must be an ISO 8601 date or date-time' })
  givenAt!: string;
}

export class ConsentParamDto {
  @ApiProperty({ format: 'uuid', description: 'the subject id' }) @IsUUID('all', { message: 'id must be a UUID' }) id!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'consentId must be a UUID' }) consentId!: string;
}
