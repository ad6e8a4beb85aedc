import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { ErrorCode } from '../errors/domain-error.js';

/**
 * JSON bodies are parsed here rather than by Nest's default parser so that a malformed or
 * oversized body gets our error shape, and never reaches Express's HTML error page.
 */
const MAX_DEPTH = 32;

/** How deeply a parsed body nests, counted without recursion (a hostile body may nest thousands deep). */
export function nestingDepth(value: unknown, stopAt = MAX_DEPTH + 1): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest >= stopAt) return deepest;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** Keys that reach an object's prototype in code that merges or assigns by key. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The path of the first `__proto__`, `constructor` or `prototype` key in a parsed body or query,
 * or null. class-transformer drops them silently; we refuse them, as any unknown field is.
 */
export function prototypeKeyPath(value: unknown): string | null {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    for (const key of Object.keys(v)) {
      const at = path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) return at;
      stack.push([(v as Record<string, unknown>)[key], at]);
    }
  }
  return null;
}

const refuseKey = (res: Response, field: string) =>
  res.status(400).json({
    error: 'VALIDATION_FAILED',
    message: `property ${field} should not exist`,
    details: { fields: [{ field, reason: `property ${field} should not exist` }] },
  });

export function useJsonBodyParser(app: INestApplication, limitBytes: number): void {
  app.use(express.json({ limit: limitBytes, strict: true }));
  // Validation and logging walk bodies recursively: refuse absurd nesting before they do.
  app.use((req: Request, res: Response, next: NextFunction) => {
    // Most reads have neither: skip the walk, and Express's query getter, which parses on each use.
    if (req.body === undefined && !req.url.includes('?')) return next();
    if (nestingDepth(req.body) > MAX_DEPTH) {
      res.status(400).json({ error: 'VALIDATION_FAILED', message: `the request body nests deeper than ${MAX_DEPTH} levels`, details: { fields: [{ field: 'body', reason: `nests deeper than ${MAX_DEPTH} levels` }] } });
      return;
    }
    const key = prototypeKeyPath(req.body) ?? prototypeKeyPath(req.query);
    if (key) return void refuseKey(res, key);
    next();
  });
  app.use((err: { type?: string; status?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (!err || typeof err.type !== 'string') return next(err);
    const reply = (status: number, error: ErrorCode, message: string) => res.status(status).json({ error, message, details: {} });
    switch (err.type) {
      case 'entity.too.large':
        return reply(413, 'PAYLOAD_TOO_LARGE', `the request body is larger than ${limitBytes} bytes`);
      case 'entity.parse.failed':
        return reply(400, 'MALFORMED_JSON', 'the request body is not valid JSON');
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return reply(415, 'UNSUPPORTED_MEDIA_TYPE', 'the request body encoding is not supported');
      default:
        return reply(err.status && err.status < 500 ? err.status : 400, 'VALIDATION_FAILED', 'the request body could not be read');
    }
  });
}
