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

export const RegencyCode = (field = 'regencyCode') =>
  Matches(/^[0-9]{4}$/, { message: `${field} must be a 4-digit regency code` });

export const VillageCode = (field = 'villageCode') =>
  Matches(/^[0-9]{10}$/, { message: `${field} must be a 10-digit village code` });
