import { describe, expect, it } from '@jest/globals';
import {
  childMonths,
  countByVillage,
  type CountRow,
  figuresOf,
  freezeInstant,
  frozenView,
  monthsBetween,
  previousSnapshotPeriod,
  type PrevalenceRules,
  type Reading,
  rollUp,
} from './prevalence.js';

const RULES: PrevalenceRules = {
  ruleVersion: 1,
  maxAgeDays: 1826,
  maxAbsHaz: 6,
  stuntedBelow: -2,
  severeBelow: -3,
  minMeasured: 20,
  freezeAfterDays: 30,
  snapshotMonths: [2, 8],
};

let n = 0;
const reading = (r: Partial<Reading>): Reading => ({
  id: `m${String((n += 1)).padStart(4, '0')}`,
  subjectId: 'a',
  villageCode: '3216062005',
  child: true,
  measuredOn: '2026-08-10',
  recordedAt: '2026-08-11T01:00:00.000Z',
  ageDays: 700,
  lengthHeightCm: 80,
  haz: 0,
  method: 'recumbent',
  flags: [],
  ...r,
});

describe('prevalence arithmetic', () => {
  it('counts two readings of a child in a month once: the latest plausible one', () => {
    const months = childMonths(
      [
        reading({ measuredOn: '2026-08-20', haz: -1.2 }),
        reading({ measuredOn: '2026-08-05', haz: -2.6 }),
        // later still, but implausible: the plausible one before it counts
        reading({ measuredOn: '2026-08-28', haz: -6.4, flags: ['haz_implausible'] }),
      ],
      RULES,
    );
    expect(months).toHaveLength(1);
    expect(months[0]).toMatchObject({ measuredOn: '2026-08-20', band: 0, plausible: true });
    expect(countByVillage(months).get('3216062005|2026-08')).toEqual({ measured: 1, stunted: 0, severe: 0, implausible: 0 });
  });

  it('counts a child whose every reading is implausible as excluded, not measured', () => {
    const months = childMonths([reading({ haz: -6.5 }), reading({ haz: 1, flags: ['height_drop'] }), reading({ subjectId: 'b', haz: -1, method: null })], RULES);
    expect(countByVillage(months).get('3216062005|2026-08')).toEqual({ measured: 0, stunted: 0, severe: 0, implausible: 2 });
  });

  it('stops counting a child who ages out at 60 months', () => {
    // 1826 days is 59 completed months (60 months = 1826.25 days); 1827 is 60.
    const months = childMonths(
      [
        reading({ subjectId: 'young', ageDays: 1826, haz: -2.5 }),
        reading({ subjectId: 'old', ageDays: 1827, haz: -2.5 }),
        reading({ subjectId: 'ages-out', measuredOn: '2026-08-02', ageDays: 1825, haz: -3.2 }),
        reading({ subjectId: 'ages-out', measuredOn: '2026-08-30', ageDays: 1853, haz: null }),
      ],
      RULES,
    );
    expect(months.map((m) => [m.subjectId, m.band]).sort()).toEqual([
      ['ages-out', 2],
      ['young', 1],
    ]);
  });

  it('leaves out adults and readings without a length', () => {
    expect(childMonths([reading({ child: false }), reading({ lengthHeightCm: null, haz: null })], RULES)).toEqual([]);
  });

  it('rolls up by summing counts: the regency equals the sum of its villages, never an average of rates', () => {
    const villages: CountRow[] = [
      { regionCode: '3216062005', period: '2026-08', measured: 30, stunted: 3, severe: 1, implausible: 1 },
      { regionCode: '3216062004', period: '2026-08', measured: 10, stunted: 5, severe: 2, implausible: 0 },
      { regionCode: '3216012001', period: '2026-08', measured: 25, stunted: 0, severe: 0, implausible: 2 },
      { regionCode: '3216012001', period: '2026-09', measured: 4, stunted: 1, severe: 0, implausible: 0 },
    ];
    const kec = rollUp(villages, 6);
    const kab = rollUp(villages, 4);
    expect(kec.find((r) => r.regionCode === '321606' && r.period === '2026-08')).toMatchObject({ measured: 40, stunted: 8, severe: 3, implausible: 1 });
    const aug = kab.find((r) => r.period === '2026-08')!;
    expect(aug).toEqual(rollUp(kec, 4).find((r) => r.period === '2026-08'));
    expect(aug).toMatchObject({ regionCode: '3216', measured: 65, stunted: 8, severe: 3, implausible: 3 });
    // 8/65 = 12.31 %, not the mean of 10, 50 and 0 %
    expect(figuresOf(aug, RULES).prevalence).toBe(12.31);
  });

  it('suppresses the rate below the minimum measured, and gives coverage only with a target population', () => {
    expect(figuresOf({ measured: 19, stunted: 5, severe: 1, implausible: 0 }, RULES)).toMatchObject({ prevalence: null, severePrevalence: null, suppressed: true, coverage: null });
    expect(figuresOf({ measured: 20, stunted: 5, severe: 1, implausible: 0 }, RULES, 80)).toMatchObject({ prevalence: 25, severePrevalence: 5, suppressed: false, coverage: 25 });
    expect(figuresOf({ measured: 3, stunted: 1, severe: 0, implausible: 0 }, { minMeasured: 3 })).toMatchObject({ prevalence: 33.33 });
  });

  it('shows a frozen snapshot unchanged by a late import, and says it was revised', () => {
    const frozen = { measured: 30, stunted: 6, severe: 2, implausible: 1 };
    const untouched = frozenView({ frozenAt: '2026-09-30T17:00:00.000Z', frozen, latest: frozen, latestRevision: 0 }, frozen);
    expect(untouched).toEqual({ shown: frozen, revised: false, revisionDue: false });
    const late = { measured: 33, stunted: 8, severe: 2, implausible: 1 };
    const after = frozenView({ frozenAt: '2026-09-30T17:00:00.000Z', frozen, latest: frozen, latestRevision: 0 }, late);
    expect(after).toEqual({ shown: frozen, revised: true, revisionDue: true });
    const revised = frozenView({ frozenAt: '2026-09-30T17:00:00.000Z', frozen, latest: late, latestRevision: 1 }, late);
    expect(revised).toEqual({ shown: frozen, revised: true, revisionDue: false });
  });

  it('freezes a bulan timbang month as of one instant, 30 days after it ends (start of the next day, WIB)', () => {
    expect(freezeInstant('2026-08', RULES).toISOString()).toBe('2026-09-30T17:00:00.000Z');
    expect(freezeInstant('2026-02', RULES).toISOString()).toBe('2026-03-30T17:00:00.000Z');
    expect(freezeInstant('2026-02', { freezeAfterDays: 0 }).toISOString()).toBe('2026-02-28T17:00:00.000Z');
  });

  it('finds the previous bulan timbang month and lists months', () => {
    expect(previousSnapshotPeriod('2026-08', RULES)).toBe('2026-02');
    expect(previousSnapshotPeriod('2026-02', RULES)).toBe('2025-08');
    expect(previousSnapshotPeriod('2026-05', RULES)).toBe('2026-02');
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });
});
