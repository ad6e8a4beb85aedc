import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class RegencyParamDto {
  @ApiProperty({ example: '3216', description: 'Kemendagri regency code, 4 digits' })
  @Matches(/^[0-9]{4}$/, { message: 'regencyCode must be a 4-digit regency code' })
  regencyCode!: string;
}
