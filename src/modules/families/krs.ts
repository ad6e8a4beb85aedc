import { addDaysIso, completedMonths, completedYears, daysBetween } from './dates.js';

/**
 * Keluarga Berisiko Stunting (domain-wave2 §1), pure. A family is a target family when it has a
 * PUS (wife 15-49), a pregnant PUS, a baduta (0-23 months) or a balita (24-59 months); it is at
 * risk (KRS) by a versioned policy over the screening factors. An imported flag, when the source
 * carries one, wins over the policy.
 */
export interface KrsTarget {
  pus: boolean;
  pusHamil: boolean;
  baduta: boolean;
  balita: boolean;
}

export interface KrsFactors {
  airTidakLayak: boolean;
  jambanTidakLayak: boolean;
  terlaluMuda: boolean;
  terlaluTua: boolean;
  terlaluDekat: boolean;
  terlaluBanyak: boolean;
  nonKbModern: boolean;
}

export const TARGET_FLAGS = ['pus', 'pusHamil', 'baduta', 'balita'] as const satisfies readonly (keyof KrsTarget)[];
export const FACTOR_FLAGS = [
  'airTidakLayak',
  'jambanTidakLayak',
  'terlaluMuda',
  'terlaluTua',
  'terlaluDekat',
  'terlaluBanyak',
  'nonKbModern',
] as const satisfies readonly (keyof KrsFactors)[];

/**
 * ANY_FACTOR: a target family with at least one screening factor (Dir. Laptik BKKBN, Dec 2024).
 * STRICT_PUS: the stricter fallback seen over Verval 2024 data: a PUS family needs (latrine or
 * water unfit) and a terlalu and no modern contraception; any other target family needs (latrine
 * or water unfit).
 */
export const KRS_RULES = ['ANY_FACTOR', 'STRICT_PUS'] as const;
export type KrsRule = (typeof KRS_RULES)[number];

export interface KrsPolicy {
  version: number;
  rule: KrsRule;
}

/** Version 1 of every regency until it sets its own. */
export const DEFAULT_KRS_POLICY: KrsPolicy = { version: 1, rule: 'ANY_FACTOR' };

/** The four terlalu and contraception are about a couple of childbearing age: they count only for a PUS. */
const PUS_FACTORS: readonly (keyof KrsFactors)[] = ['terlaluMuda', 'terlaluTua', 'terlaluDekat', 'terlaluBanyak', 'nonKbModern'];

export function isTargetFamily(t: KrsTarget): boolean {
  return t.pus || t.pusHamil || t.baduta || t.balita;
}

/** The factors that count for this family: the PUS ones only when it has a PUS. */
export function countedFactors(t: KrsTarget, f: KrsFactors): (keyof KrsFactors)[] {
  const pus = t.pus || t.pusHamil;
  return FACTOR_FLAGS.filter((k) => f[k] && (pus || !PUS_FACTORS.includes(k)));
}

export function policyVerdict(rule: KrsRule, t: KrsTarget, f: KrsFactors): boolean {
  if (!isTargetFamily(t)) return false;
  const counted = new Set(countedFactors(t, f));
  if (rule === 'ANY_FACTOR') return counted.size > 0;
  const sanitation = counted.has('airTidakLayak') || counted.has('jambanTidakLayak');
  if (!(t.pus || t.pusHamil)) return sanitation;
  const terlalu = counted.has('terlaluMuda') || counted.has('terlaluTua') || counted.has('terlaluDekat') || counted.has('terlaluBanyak');
  return sanitation && terlalu && counted.has('nonKbModern');
}

/** isKrs = importedFlag ?? policy(target, factors). */
export function isKrs(policy: KrsPolicy, t: KrsTarget, f: KrsFactors, importedFlag: boolean | null): boolean {
  return importedFlag ?? policyVerdict(policy.rule, t, f);
}

export const KRS_TRANSITIONS = ['BARU', 'LAMA', 'KELUAR', 'TETAP_NON'] as const;
export type KrsTransition = (typeof KRS_TRANSITIONS)[number];

/** Against the family's previous period: BARU + LAMA = KRS(t). */
export function transitionFrom(previous: boolean | null, now: boolean): KrsTransition {
  if (now) return previous ? 'LAMA' : 'BARU';
  return previous ? 'KELUAR' : 'TETAP_NON';
}

export interface MemberFacts {
  relation: 'KK' | 'ISTRI' | 'ANAK' | 'LAIN';
  sex: 'M' | 'F' | null;
  birthDate: string | null;
  gestWeeks: number | null;
  gestRecordedOn: string | null;
  deliveredOn: string | null;
}

/** Weeks after which a recorded pregnancy no longer counts: it has ended, whether or not a delivery was recorded. */
export const PREGNANCY_STALE_WEEKS = 40;

/**
 * The pregnancy's projected gestational age on `on`, in completed weeks, or null when there is
 * none that day: none recorded, delivered by then, recorded after `on`, or past 40 weeks.
 */
export function gestationalWeeksOn(m: Pick<MemberFacts, 'gestWeeks' | 'gestRecordedOn' | 'deliveredOn'>, on: string): number | null {
  if (m.gestWeeks === null || m.gestRecordedOn === null) return null;
  if (m.deliveredOn !== null && m.deliveredOn <= on) return null;
  const days = daysBetween(m.gestRecordedOn, on);
  if (days < 0) return null;
  const weeks = m.gestWeeks + Math.floor(days / 7);
  return weeks > PREGNANCY_STALE_WEEKS ? null : weeks;
}

/** The first day of the last menstrual period the recorded gestational age implies. */
export function lastMenstrualPeriod(m: { gestWeeks: number; gestRecordedOn: string }): string {
  return addDaysIso(m.gestRecordedOn, -7 * m.gestWeeks);
}

/** The target flags of a family on its reference date, from its members. */
export function deriveTarget(members: MemberFacts[], on: string): KrsTarget {
  const born = members.filter((m) => m.birthDate !== null && m.birthDate <= on);
  const wives = born.filter((m) => m.relation === 'ISTRI' || (m.relation === 'KK' && m.sex === 'F' && !members.some((x) => x.relation === 'ISTRI')));
  const fertile = wives.filter((w) => {
    const age = completedYears(w.birthDate!, on);
    return age >= 15 && age <= 49;
  });
  const children = born.filter((m) => m.relation === 'ANAK' || m.relation === 'LAIN').map((m) => completedMonths(m.birthDate!, on));
  return {
    pus: fertile.length > 0,
    pusHamil: fertile.some((w) => gestationalWeeksOn(w, on) !== null),
    baduta: children.some((months) => months < 24),
    balita: children.some((months) => months >= 24 && months < 60),
  };
}
