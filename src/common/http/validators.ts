import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateBy, ValidateIf } from 'class-validator';
import { displayProblem } from '../text/displayable.js';

/** Refuses text that could be shown as something it is not, or as nothing at all (the rule imports apply too). */
const Displayable = () =>
  ValidateBy({
    name: 'displayable',
    validator: {
      validate: (v) => typeof v !== 'string' || displayProblem(v) === null,
      defaultMessage: (a) => `${a?.property} ${typeof a?.value === 'string' ? displayProblem(a.value) : ''}`,
    },
  });

/** Free text: trimmed, inner whitespace collapsed, not empty, visible, at most `max` characters. */
export const Text = (max: number) =>
  applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : value)),
    IsString(),
    IsNotEmpty(),
    MaxLength(max),
    Displayable(),
  );

/** May be left out; `null` is accepted too (it clears the field). */
export const OptionalOrNull = () => applyDecorators(ValidateIf((_, v) => v !== null), IsOptional());

/** Kemendagri codes come dotted (32.16.06.2005, as in e-PPGBM and the regulation) or undotted; stored and answered undotted. */
const Undotted = () => Transform(({ value }) => (typeof value === 'string' ? value.trim().replaceAll('.', '') : value));

export const RegencyCode = (field = 'regencyCode') =>
  applyDecorators(Undotted(), Matches(/^[0-9]{4}$/, { message: `${field} must be a 4-digit regency code` }));

export const ProvinceCode = (field = 'provinceCode') =>
  applyDecorators(Undotted(), Matches(/^[0-9]{2}$/, { message: `${field} must be a 2-digit province code` }));

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

/**
 * At most `places` decimals, for any finite number (class-validator's own maxDecimalPlaces reads
 * `String(n).split('.')` and throws on `6e-323`, which answered 500).
 */
export const MaxDecimals = (places: number) =>
  ValidateBy({
    name: 'maxDecimals',
    validator: {
      validate: (v) => {
        if (typeof v !== 'number' || !Number.isFinite(v)) return true; // the type check reports it
        const scaled = v * 10 ** places;
        return Math.abs(scaled - Math.round(scaled)) < 1e-6;
      },
      defaultMessage: (a) => `${a?.property} must have at most ${places} decimals`,
    },
  });
