import { Matches } from 'class-validator';

export class RegencyParamDto {
  @Matches(/^[0-9]{4}$/, { message: 'regencyCode must be a 4-digit regency code' })
  regencyCode!: string;
}
