import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';

/** Free text: trimmed, inner whitespace collapsed, not empty, at most `max` characters. */
export const Text = (max: number) =>
  applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : value)),
    IsString(),
    IsNotEmpty(),
    MaxLength(max),
  );

/** May be left out; `null` is accepted too (it clears the field). */
export const OptionalOrNull = () => applyDecorators(ValidateIf((_, v) => v !== null), IsOptional());

/** Kemendagri codes come dotted (32.16.06.2005, as in e-PPGBM and the regulation) or undotted; stored and answered undotted. */
const Undotted = () => Transform(({ value }) => (typeof value === 'string' ? value.trim().replaceAll('.', '') : value));

export const RegencyCode = (field = 'regencyCode') =>
  applyDecorators(Undotted(), Matches(/^[0-9]{4}$/, { message: `${field} must be a 4-digit regency code` }));

export const VillageCode = (field = 'villageCode') =>
  applyDecorators(Undotted(), Matches(/^[0-9]{10}$/, { message: `${field} must be a 10-digit village code` }));

export const OpdCode = (field = 'opdCode') => Matches(/^[A-Z0-9_]{2,32}$/, { message: `${field} must be an OPD code such as DINKES` });

/** e-PPGBM's L (laki-laki) and P (perempuan), or M and F; answered as M or F. */
export const Sex = () =>
  applyDecorators(
    Transform(({ value }) => {
      if (typeof value !== 'string') return value;
      const v = value.trim().toUpperCase();
      return v === 'L' ? 'M' : v === 'P' ? 'F' : v;
    }),
  );
