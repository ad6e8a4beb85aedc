import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, type ErrorCode, HTTP_STATUS } from './domain-error.js';
import { pgCode, isDatabaseUnavailable } from './pg-errors.js';
import { inIndonesian, type Language, languageOf } from './reasons.js';

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
    const req = host.switchToHttp().getRequest<Request>();
    const { status, body } = this.toResponse(exception);
    if (res.headersSent) return;
    if (status === 503) res.setHeader('Retry-After', '5');
    res.setHeader('Content-Language', languageOf(req?.headers?.['accept-language']));
    res.status(status).json(localize(body, languageOf(req?.headers?.['accept-language'])));
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

const MESSAGES_ID: [RegExp, string][] = [
  [/^(.+) not found$/, '$1 tidak ditemukan'],
  [/^no such route$/, 'rute ini tidak ada'],
  [/^your role may not do this$/, 'peran Anda tidak boleh melakukan ini'],
  [/^internal error$/, 'kesalahan internal'],
  [/^the database is unavailable, try again$/, 'basis data tidak dapat dihubungi, coba lagi'],
  [/^the evidence file store is unavailable \((.+)\), try again$/, 'penyimpanan berkas bukti tidak dapat dihubungi ($1), coba lagi'],
  [/^a value is out of range or malformed$/, 'ada nilai di luar rentang atau tidak sah'],
];

/**
 * The body in the client's language: each field's reason, and the message built from them.
 * Codes (`error`) and field names stay as they are, so a program reads the same answer either way.
 */
export function localize(body: ErrorBody, lang: Language): ErrorBody {
  if (lang === 'en') return body;
  const fields = (body.details as { fields?: { field: string; reason: string }[] }).fields;
  if (Array.isArray(fields)) {
    const translated = fields.map((f) => ({ field: f.field, reason: inIndonesian(f.reason) }));
    return { ...body, message: translated.map((f) => `${f.field}: ${f.reason}`).join('; '), details: { ...body.details, fields: translated } };
  }
  for (const [en, id] of MESSAGES_ID) {
    const m = en.exec(body.message);
    if (m) return { ...body, message: id.replace(/\$(\d)/g, (_, i: string) => m[Number(i)] ?? '') };
  }
  return body;
}
