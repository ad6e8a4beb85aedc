import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateBy, ValidateIf } from 'class-validator';

/** Bidirectional embeddings, overrides and isolates: they make "Budi" display as something else (Trojan Source). */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/u;
/** Text that shows nothing: spaces, format characters (zero-width ones), controls, lone marks and the blank fillers. */
const INVISIBLE = /^[\p{White_Space}\p{Cf}\p{Cc}\p{M}\u115F\u1160\u3164\uFFA0\u2800]*$/u;

/** Refuses text that could be shown as something it is not, or as nothing at all. */
const Displayable = () =>
  applyDecorators(
    ValidateBy({
      name: 'noBidiControls',
      validator: { validate: (v) => typeof v !== 'string' || !BIDI_CONTROLS.test(v), defaultMessage: (a) => `${a?.property} must not contain bidirectional override characters` },
    }),
    ValidateBy({
      name: 'visible',
      validator: { validate: (v) => typeof v !== 'string' || v === '' || !INVISIBLE.test(v), defaultMessage: (a) => `${a?.property} must contain a visible character` },
    }),
  );

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

export const RegencyCode = (field = 'regencyCode') =>
  Matches(/^[0-9]{4}$/, { message: `${field} must be a 4-digit regency code` });

export const VillageCode = (field = 'villageCode') =>
  Matches(/^[0-9]{10}$/, { message: `${field} must be a 10-digit village code` });
