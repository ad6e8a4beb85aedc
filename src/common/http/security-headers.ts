import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

type HeaderWrite = [name: string, value: string | string[]];

/**
 * Helmet's headers, worked out once at start and then set on every answer. Helmet's defaults
 * are the same for every request (no nonces), yet its eleven middlewares rebuild them each time;
 * recording what it writes keeps its choices without its per-request cost. Answers under
 * `/api/v1` carry personal data and tokens, so no browser cache, proxy or service worker keeps one.
 */
export function securityHeaders(): (req: Request, res: Response, next: NextFunction) => void {
  const common = recordHelmet();
  const api: HeaderWrite[] = [...common, ['Cache-Control', 'no-store'], ['Pragma', 'no-cache']];
  return (req, res, next) => {
    const headers = req.url.startsWith('/api/v1') ? api : common;
    for (let i = 0; i < headers.length; i++) res.setHeader(headers[i][0], headers[i][1]);
    next();
  };
}

function recordHelmet(): HeaderWrite[] {
  const writes: HeaderWrite[] = [];
  let passed = false;
  const res = {
    setHeader: (name: string, value: string | string[]) => void writes.push([name, value]),
    removeHeader: () => undefined,
    getHeader: () => undefined,
  };
  helmet()({} as never, res as never, (err?: unknown) => {
    if (err) throw err;
    passed = true;
  });
  // Helmet with its defaults answers synchronously; if a version ever did not, fail at start.
  if (!passed) throw new Error('helmet did not finish synchronously; its headers cannot be recorded');
  return writes;
}
