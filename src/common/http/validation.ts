import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { isUUID, type ValidatorOptions } from 'class-validator';
import { type FieldProblem, ValidationFailed } from '../errors/domain-error.js';
import { fieldProblems } from '../errors/reasons.js';
import { UuidParamDto } from './uuid-param.dto.js';
import { installValidationMetadataCache } from './validation-metadata-cache.js';

/** One problem per field, the most basic reason first (see reasons.ts). */
export function flattenValidationErrors(errors: ValidationError[]): FieldProblem[] {
  return fieldProblems(errors);
}

/**
 * Unknown fields are refused (no mass assignment). The refused value is kept on the error only to
 * tell "missing" from "wrong": it never reaches a response or a log.
 */
export const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: true },
};

/**
 * Most routes take one `:id`: a well-formed one is answered without transforming and validating a
 * class (a fifth of the pipe's cost per transition); anything else takes the full path, so its
 * refusal is the same.
 */
class AppValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'param' && metadata.metatype === UuidParamDto && value !== null && typeof value === 'object') {
      const keys = Object.keys(value);
      const id = (value as { id?: unknown }).id;
      if (keys.length === 1 && typeof id === 'string' && isUUID(id, 'all')) return Promise.resolve(Object.assign(new UuidParamDto(), { id }));
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  installValidationMetadataCache();
  return new AppValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    exceptionFactory: (errors) => new ValidationFailed(flattenValidationErrors(errors)),
  });
}
