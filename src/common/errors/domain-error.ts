export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'MALFORMED_JSON'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'DUPLICATE_SUBJECT'
  | 'VERSION_CONFLICT'
  | 'INVALID_TRANSITION'
  | 'GUARD_FAILED'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'PRECONDITION_REQUIRED'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL';

export const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  DUPLICATE_SUBJECT: 409,
  VERSION_CONFLICT: 409,
  INVALID_TRANSITION: 409,
  GUARD_FAILED: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  PRECONDITION_REQUIRED: 428,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

export interface FieldProblem {
  field: string;
  reason: string;
}

/** Errors thrown by services; the HTTP layer maps `code` to a status. Messages never hold personal data. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class ValidationFailed extends DomainError {
  constructor(fields: FieldProblem[]) {
    super('VALIDATION_FAILED', fields.map((f) => `${f.field}: ${f.reason}`).join('; '), { fields });
  }

  static field(field: string, reason: string): ValidationFailed {
    return new ValidationFailed([{ field, reason }]);
  }
}

export class NotFound extends DomainError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found`);
  }
}

export class Forbidden extends DomainError {
  constructor(message = 'your role may not do this') {
    super('FORBIDDEN', message);
  }
}

export class Conflict extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('CONFLICT', message, details);
  }
}

export class VersionConflict extends DomainError {
  constructor(what: string, expected: number, current: number) {
    super('VERSION_CONFLICT', `the ${what} changed since version ${expected}; it is now at version ${current}`, { currentVersion: current });
  }
}

/** Something the service depends on (the evidence file store) cannot be reached or refused it: 503, try again. */
export class ServiceUnavailable extends DomainError {
  constructor(message: string) {
    super('SERVICE_UNAVAILABLE', message);
  }
}
