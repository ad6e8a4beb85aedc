import type { Clock } from '../../src/common/clock/clock.js';

/** A clock tests move by hand: deadlines and token expiry without sleeping. */
export class FixedClock implements Clock {
  constructor(private t: Date) {}
  now(): Date {
    return new Date(this.t.getTime());
  }
  set(t: Date): void {
    this.t = t;
  }
  advance(ms: number): void {
    this.t = new Date(this.t.getTime() + ms);
  }
}
