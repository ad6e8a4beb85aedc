import type { LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, type DestinationStream, type Logger } from 'pino';

export const LOG_DESTINATION = Symbol('LOG_DESTINATION');
export const LOGGER = Symbol('LOGGER');

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Query values can hold a NIK or a name; logs keep only the parameter names. */
export function redactUrl(url: string | undefined): string {
  if (!url) return '';
  const q = url.indexOf('?');
  if (q < 0) return url;
  const keys = [...new URLSearchParams(url.slice(q + 1)).keys()];
  return `${url.slice(0, q)}?${keys.map((k) => `${encodeURIComponent(k)}=_`).join('&')}`;
}

/**
 * Standard output, written in blocks of 4 KB instead of a write call per line (a tenth of a cheap
 * request's time went to that call), and flushed every second so a quiet service's lines still
 * show at once. pino flushes the rest when the process exits.
 */
export function bufferedStdout(): DestinationStream {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => {
    // flush() itself skips while a write is under way; after close it would throw.
    if (!(destination as unknown as { destroyed: boolean }).destroyed) destination.flush();
  }, 1000).unref();
  return destination;
}

export function createLogger(level: string, destination: DestinationStream): Logger {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

/**
 * One JSON line per request when it ends, with its request id (taken from X-Request-Id when
 * sane). Bodies, headers and query values are never logged: they carry tokens, NIKs and
 * children's names. Written by hand rather than with pino-http: that builds a child logger and
 * wraps the response for every request, a tenth of a cheap route's time (docs/benchmarks.md).
 */
export function requestLogger(logger: Logger) {
  return (req: IncomingMessage & { id?: string }, res: ServerResponse, next: () => void): void => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    const started = performance.now();
    res.once('close', () => {
      const status = res.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        { req: { id, method: req.method, url: redactUrl(req.url) }, res: { statusCode: status }, responseTime: Math.round(performance.now() - started) },
        res.writableFinished ? 'request completed' : 'request aborted',
      );
    });
    next();
  };
}

const BOOT_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

/** Nest's own messages (start-up, errors) as JSON lines through the same pino logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]) {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.write('fatal', message, rest);
  }

  /** Nest passes (message, context) or (object, message, context); stacks are dropped on purpose. */
  private write(given: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, rest: unknown[]): void {
    const strings = rest.filter((r): r is string => typeof r === 'string');
    const context = strings.length > 0 ? strings[strings.length - 1] : undefined;
    // Nest's start-up chatter (modules loaded, ~70 route mappings) is for debugging, not for an operator.
    const level = given === 'info' && context !== undefined && BOOT_CONTEXTS.has(context) ? 'debug' : given;
    if (message !== null && typeof message === 'object' && !(message instanceof Error)) {
      const msg = strings.length > 1 ? strings[0] : undefined;
      this.logger[level]({ context, ...(message as object) }, msg);
    } else if (message instanceof Error) {
      this.logger[level]({ context, type: message.constructor.name }, message.message);
    } else {
      this.logger[level]({ context }, String(message));
    }
  }
}
