import type { NextFunction, Request, Response } from 'express';

interface Window {
  count: number;
  resetAt: number;
}

/**
 * Requests per client address per minute, for every route but the health check. Past the limit
 * a client gets 429 with Retry-After. In-process: each replica counts on its own (put the same
 * limit in front at the proxy for a hard global cap). A fixed window per address, as
 * rate-limiter-flexible's memory limiter keeps, without its promise and result object per
 * request: the hot path only counts. Expired windows are swept once a minute.
 */
export function globalRateLimit(perMinute: number, now: () => number = Date.now) {
  const windows = new Map<string, Window>();
  const sweep = setInterval(() => {
    const t = now();
    for (const [key, w] of windows) if (w.resetAt <= t) windows.delete(key);
  }, 60_000);
  sweep.unref();
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.path === '/health') return next();
    const key = req.ip ?? 'unknown';
    const t = now();
    let w = windows.get(key);
    if (w === undefined || w.resetAt <= t) {
      w = { count: 0, resetAt: t + 60_000 };
      windows.set(key, w);
    }
    if (++w.count <= perMinute) return next();
    const retryAfterSeconds = Math.max(1, Math.ceil((w.resetAt - t) / 1000));
    res.setHeader('Retry-After', String(retryAfterSeconds));
    res.status(429).json({ error: 'RATE_LIMITED', message: `too many requests; try again in ${retryAfterSeconds} s`, details: { retryAfterSeconds } });
  };
}
