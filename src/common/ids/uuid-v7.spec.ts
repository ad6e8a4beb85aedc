import { describe, expect, it } from '@jest/globals';
import { uuidv7 } from './uuid-v7.js';

describe('uuidv7', () => {
  it('is a version 7, variant 1 UUID carrying the time, ordered by it', () => {
    const a = uuidv7(Date.parse('2026-11-25T00:00:00Z'));
    const b = uuidv7(Date.parse('2026-11-25T00:00:00.001Z'));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(a.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse('2026-11-25T00:00:00Z'));
    expect(a < b).toBe(true);
    expect(new Set(Array.from({ length: 10_000 }, () => uuidv7(0))).size).toBe(10_000);
  });
});
