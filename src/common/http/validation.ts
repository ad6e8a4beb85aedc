import { ValidationPipe, type ValidationError } from '@nestjs/common';
import type { ValidatorOptions } from 'class-validator';
import { type FieldProblem, ValidationFailed } from '../errors/domain-error.js';
import { fieldProblems } from '../errors/reasons.js';

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

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    exceptionFactory: (errors) => new ValidationFailed(flattenValidationErrors(errors)),
  });
}
