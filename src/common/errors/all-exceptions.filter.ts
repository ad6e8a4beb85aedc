import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, type ErrorCode, HTTP_STATUS } from './domain-error.js';
import { pgCode, isDatabaseUnavailable } from './pg-errors.js';

interface ErrorBody {
  error: ErrorCode;
  message: string;
  details: Record<string, unknown>;
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/**
 * The one place errors become HTTP responses: `{error, message, details}`. Anything unexpected
 * is a bare 500; its log line carries the error's class and SQLSTATE, never a stack, query
 * parameters or request data, since those can hold personal data.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const { status, body } = this.toResponse(exception);
    if (res.headersSent) return;
    if (status === 503) res.setHeader('Retry-After', '5');
    res.status(status).json(body);
  }

  toResponse(exception: unknown): { status: number; body: ErrorBody } {
    if (exception instanceof DomainError) {
      return {
        status: HTTP_STATUS[exception.code],
        body: { error: exception.code, message: exception.message, details: exception.details },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED');
      const message = status === 404 ? 'no such route' : status === 429 ? 'too many requests, try again later' : exception.message;
      return { status, body: { error: code, message, details: {} } };
    }
    const sqlState = pgCode(exception);
    // Invalid input that reached the database despite validation (e.g. out-of-range numbers).
    if (sqlState && /^22/.test(sqlState)) {
      return { status: 400, body: { error: 'VALIDATION_FAILED', message: 'a value is out of range or malformed', details: {} } };
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.error({ kind: (exception as Error)?.constructor?.name, sqlState }, 'database unavailable');
      return { status: 503, body: { error: 'SERVICE_UNAVAILABLE', message: 'the database is unavailable, try again', details: {} } };
    }
    this.logger.error(
      { kind: (exception as Error)?.constructor?.name ?? typeof exception, sqlState },
      'unexpected error',
    );
    return { status: 500, body: { error: 'INTERNAL', message: 'internal error', details: {} } };
  }
}
