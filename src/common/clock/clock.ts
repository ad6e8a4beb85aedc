export const CLOCK = Symbol('CLOCK');

/** The one source of "now". Inject it; never call `new Date()` or `Date.now()` in domain code. */
export interface Clock {
  now(): Date;
}

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}
