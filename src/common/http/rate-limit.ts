import type { NextFunction, Request, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Requests per client address per minute, for every route but the health check. Past the limit
 * a client gets 429 with Retry-After. In-process: each replica counts on its own (put the same
 * limit in front at the proxy for a hard global cap).
 */
export function globalRateLimit(perMinute: number) {
  const limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.path === '/health') return next();
    limiter.consume(req.ip ?? 'unknown').then(
      () => next(),
      (e: unknown) => {
        if (!(e instanceof RateLimiterRes)) return next(e);
        const retryAfterSeconds = Math.ceil(e.msBeforeNext / 1000);
        res.setHeader('Retry-After', String(retryAfterSeconds));
        res.status(429).json({ error: 'RATE_LIMITED', message: `too many requests; try again in ${retryAfterSeconds} s`, details: { retryAfterSeconds } });
      },
    );
  };
}
