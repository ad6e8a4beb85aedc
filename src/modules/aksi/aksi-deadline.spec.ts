import { describe, expect, it } from '@jest/globals';
import { DEFAULT_AKSI_LADDER } from '../escalation/policy.js';
import { endOfLocalDay, rungTimes } from './aksi-deadline.js';

describe('the evidence deadline and its ladder before it', () => {
  it('ends the upload day at local midnight, WIB and WITA', () => {
    expect(endOfLocalDay('2026-05-31', '3216').toISOString()).toBe('2026-05-31T17:00:00.000Z'); // Kab. Bekasi, WIB
    expect(endOfLocalDay('2026-05-31', '6474').toISOString()).toBe('2026-05-31T16:00:00.000Z'); // Kota Bontang, WITA
    expect(endOfLocalDay('2026-05-31', '32').toISOString()).toBe('2026-05-31T17:00:00.000Z'); // a province's cycle
  });

  it('fires D-14, D-7 and D-1 when that many days are left: at 00:00 local on the k-th last day', () => {
    expect(rungTimes(DEFAULT_AKSI_LADDER, endOfLocalDay('2026-05-31', '3216')).map((r) => [r.level, r.at.toISOString()])).toEqual([
      [1, '2026-05-17T17:00:00.000Z'], // 18 May 00:00 WIB: 14 days left (18..31)
      [2, '2026-05-24T17:00:00.000Z'], // 25 May 00:00 WIB
      [3, '2026-05-30T17:00:00.000Z'], // 31 May 00:00 WIB: the last day
    ]);
    expect(rungTimes(DEFAULT_AKSI_LADDER, endOfLocalDay('2026-05-31', '6474')).map((r) => r.at.toISOString())).toEqual([
      '2026-05-17T16:00:00.000Z',
      '2026-05-24T16:00:00.000Z',
      '2026-05-30T16:00:00.000Z',
    ]);
  });

  it('crosses a month end', () => {
    expect(rungTimes(DEFAULT_AKSI_LADDER, endOfLocalDay('2026-06-05', '3216')).map((r) => r.at.toISOString())).toEqual([
      '2026-05-22T17:00:00.000Z',
      '2026-05-29T17:00:00.000Z',
      '2026-06-04T17:00:00.000Z',
    ]);
  });
});
