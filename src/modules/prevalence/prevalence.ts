import { startOfLocalDay } from '../../common/clock/calendar-day.js';

/** The counting rules, held as data in `prevalence_rules` (domain-wave2 §4; thresholds unverified, so editable). */
export interface PrevalenceRules {
  ruleVersion: number;
  /** Oldest age counted, in days (1826: 59 completed months). */
  maxAgeDays: number;
  /** A HAZ beyond ±this is implausible (WHO flag). */
  maxAbsHaz: number;
  stuntedBelow: number;
  severeBelow: number;
  /** The rate is suppressed when fewer children than this were measured. */
  minMeasured: number;
  /** A bulan timbang month freezes this many days after it ends. */
  freezeAfterDays: number;
  /** The bulan timbang months (2 = February, 8 = August). */
  snapshotMonths: number[];
}

export interface Counts {
  measured: number;
  stunted: number;
  severe: number;
  implausible: number;
}

export const ZERO: Counts = Object.freeze({ measured: 0, stunted: 0, severe: 0, implausible: 0 });

/** A stored length/height reading, as the child-month rule reads it. */
export interface Reading {
  id: string;
  subjectId: string;
  villageCode: string;
  /** BALITA or BADUTA: only children count. */
  child: boolean;
  measuredOn: string;
  recordedAt: string;
  ageDays: number;
  lengthHeightCm: number | null;
  haz: number | null;
  method: string | null;
  flags: string[];
}

/** -1 implausible (excluded), 0 not stunted, 1 stunted, 2 severely stunted. */
export type Band = -1 | 0 | 1 | 2;

export interface ChildMonth {
  subjectId: string;
  period: string;
  villageCode: string;
  plausible: boolean;
  band: Band;
  measuredOn: string;
  recordedAt: string;
  id: string;
}

/** The same test as the SQL function prevalence_plausible. */
export function plausible(r: Pick<Reading, 'haz' | 'method' | 'flags'>, rules: PrevalenceRules): boolean {
  return r.haz !== null && Math.abs(r.haz) <= rules.maxAbsHaz && r.method !== null && !r.flags.includes('height_drop');
}

export function bandOf(isPlausible: boolean, haz: number | null, rules: PrevalenceRules): Band {
  if (!isPlausible || haz === null) return -1;
  if (haz < rules.severeBelow) return 2;
  if (haz < rules.stuntedBelow) return 1;
  return 0;
}

/** Whether `a` wins over `b` for the same child and month: plausible first, then the latest day, then the latest written. */
function ranksAbove(a: ChildMonth, b: ChildMonth): boolean {
  if (a.plausible !== b.plausible) return a.plausible;
  if (a.measuredOn !== b.measuredOn) return a.measuredOn > b.measuredOn;
  if (a.recordedAt !== b.recordedAt) return a.recordedAt > b.recordedAt;
  return a.id > b.id;
}

/**
 * Each child's counted reading per month: of the readings of a child aged 0–59 months with a
 * length/height, the latest plausible one, else the latest (then the child counts as excluded).
 * The same rule as the trigger on measurements; used where readings are re-read (a freeze as of
 * an earlier instant).
 */
export function childMonths(readings: Reading[], rules: PrevalenceRules): ChildMonth[] {
  const best = new Map<string, ChildMonth>();
  for (const r of readings) {
    if (!r.child || r.ageDays > rules.maxAgeDays || r.lengthHeightCm === null) continue;
    const ok = plausible(r, rules);
    const cm: ChildMonth = {
      subjectId: r.subjectId,
      period: r.measuredOn.slice(0, 7),
      villageCode: r.villageCode,
      plausible: ok,
      band: bandOf(ok, r.haz, rules),
      measuredOn: r.measuredOn,
      recordedAt: r.recordedAt,
      id: r.id,
    };
    const key = `${cm.subjectId}|${cm.period}`;
    const held = best.get(key);
    if (!held || ranksAbove(cm, held)) best.set(key, cm);
  }
  return [...best.values()];
}

export function add(a: Counts, b: Counts): Counts {
  return { measured: a.measured + b.measured, stunted: a.stunted + b.stunted, severe: a.severe + b.severe, implausible: a.implausible + b.implausible };
}

/** Counts of child-months per village and month. */
export function countByVillage(months: ChildMonth[]): Map<string, Counts> {
  const out = new Map<string, Counts>();
  for (const m of months) {
    const key = `${m.villageCode}|${m.period}`;
    const c = out.get(key) ?? { ...ZERO };
    if (m.band === -1) c.implausible += 1;
    else {
      c.measured += 1;
      if (m.band >= 1) c.stunted += 1;
      if (m.band === 2) c.severe += 1;
    }
    out.set(key, c);
  }
  return out;
}

export interface CountRow extends Counts {
  regionCode: string;
  period: string;
}

/** Rows summed into the regions `digits` long (the first digits of their codes): counts add, rates never average. */
export function rollUp<T extends CountRow>(rows: T[], digits: number): CountRow[] {
  const out = new Map<string, CountRow>();
  for (const r of rows) {
    const regionCode = r.regionCode.slice(0, digits);
    const key = `${regionCode}|${r.period}`;
    const held = out.get(key);
    out.set(key, { regionCode, period: r.period, ...add(held ?? ZERO, r) });
  }
  return [...out.values()];
}

export interface Figures {
  measured: number;
  stunted: number;
  severe: number;
  excludedImplausible: number;
  /** Stunted (HAZ < −2, severe included) per 100 measured, 2 decimals; null when suppressed. */
  prevalence: number | null;
  severePrevalence: number | null;
  suppressed: boolean;
  /** Measured per 100 of the target population (sasaran balita), when one is entered. */
  coverage: number | null;
}

const pct = (n: number, d: number) => Math.round((n / d) * 10_000) / 100;

export function figuresOf(c: Counts, rules: Pick<PrevalenceRules, 'minMeasured'>, targetPopulation: number | null = null): Figures {
  const suppressed = c.measured < rules.minMeasured;
  return {
    measured: c.measured,
    stunted: c.stunted,
    severe: c.severe,
    excludedImplausible: c.implausible,
    prevalence: suppressed ? null : pct(c.stunted, c.measured),
    severePrevalence: suppressed ? null : pct(c.severe, c.measured),
    suppressed,
    coverage: targetPopulation ? pct(c.measured, targetPopulation) : null,
  };
}

export function isSnapshotPeriod(period: string, rules: Pick<PrevalenceRules, 'snapshotMonths'>): boolean {
  return rules.snapshotMonths.includes(Number(period.slice(5, 7)));
}

/**
 * When a bulan timbang month freezes: the start of the day after the freezeAfterDays-th day past
 * the month's end, in WIB, the last of Indonesia's zones to reach it. One instant for the nation,
 * so every region's snapshot of a month is taken as of the same moment.
 */
export function freezeInstant(period: string, rules: Pick<PrevalenceRules, 'freezeAfterDays'>): Date {
  const [y, m] = period.split('-').map(Number);
  const firstOfNext = new Date(Date.UTC(y, m, 1)); // m is 1-based: month m+1's first day
  const day = new Date(firstOfNext.getTime() + rules.freezeAfterDays * 86_400_000).toISOString().slice(0, 10);
  return startOfLocalDay(day, '31');
}

/** Months from `from` to `to`, both YYYY-MM, inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number);
  for (;;) {
    const p = `${y}-${String(m).padStart(2, '0')}`;
    if (p > to) return out;
    out.push(p);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
}

/** The bulan timbang month before `period` (August → February, February → the August before). */
export function previousSnapshotPeriod(period: string, rules: Pick<PrevalenceRules, 'snapshotMonths'>): string {
  let [y, m] = period.split('-').map(Number);
  for (let i = 0; i < 24; i++) {
    m -= 1;
    if (m < 1) {
      m = 12;
      y -= 1;
    }
    if (rules.snapshotMonths.includes(m)) return `${y}-${String(m).padStart(2, '0')}`;
  }
  throw new RangeError('no bulan timbang month in the rules');
}

export interface SnapshotState {
  frozenAt: string;
  /** The figure as frozen (revision 0). */
  frozen: Counts;
  /** The latest revision's number and figure (0 and the frozen figure when never revised). */
  latestRevision: number;
  latest: Counts;
}

const same = (a: Counts, b: Counts) => a.measured === b.measured && a.stunted === b.stunted && a.severe === b.severe && a.implausible === b.implausible;

/**
 * What a frozen region's row shows: the frozen figure, never the live one; whether late data
 * changed it (a revision exists or is due), and the figure now.
 */
export function frozenView(s: SnapshotState, live: Counts): { shown: Counts; revised: boolean; revisionDue: boolean } {
  return { shown: s.frozen, revised: s.latestRevision > 0 || !same(s.frozen, live), revisionDue: !same(s.latest, live) };
}

export { same as sameCounts };
