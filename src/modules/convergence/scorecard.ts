import { addDaysIso, addMonthsIso } from '../families/dates.js';
import type { TargetGroup } from '../subjects/subject-rules.js';
import { CHILD_GROUPS, type ConditionField, type EvidenceKind, type EvidenceRule, type PackageItem } from './package.js';

/** Who gave a service: the posyandu that weighed, an OPD, a CSR sponsor, a TPK team, the family data (PK/Verval). */
export interface EvidenceAgency {
  type: 'posyandu' | 'opd' | 'sponsor' | 'tpk' | 'family_data';
  id: string | null;
  code: string | null;
  name: string | null;
}

/** A record that counts towards an item. */
export interface Evidence {
  kind: EvidenceKind;
  id: string;
  /** The calendar day it happened in the regency. */
  on: string;
  agency: EvidenceAgency;
  /** What the record says that the rule looked at (catalogue code and quantity, action, visit actions). */
  details: Record<string, unknown>;
}

/** Everything the scorecard reads of one subject, all days local calendar days. */
export interface SubjectFacts {
  targetGroup: TargetGroup;
  birthDate: string;
  registeredOn: string;
  /** Oldest first (day, then recording order). */
  readings: { id: string; on: string; plausible: boolean; waz: number | null; whz: number | null; haz: number | null; muacCm: number | null; source: string }[];
  deliveries: { id: string; interventionId: string; catalogueCode: string; on: string; quantity: number; sponsorId: string; sponsorName: string | null }[];
  /** Completed tasks (done or verified) about the subject, with the day they were completed. */
  tasks: { id: string; opdId: string; opdCode: string; opdName: string | null; action: string; on: string }[];
  visits: { id: string; on: string; actions: string[]; teamId: string | null; teamName: string | null; villageCode: string }[];
  /** The family's assessments, newest first. */
  familyAssessments: { id: string; on: string; safeWater: boolean; fitLatrine: boolean; source: string }[];
}

export const ITEM_STATUSES = ['met', 'missing', 'overdue', 'not_applicable'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export interface ItemResult {
  code: string;
  name: string;
  kind: string;
  status: ItemStatus;
  /** Why a not_applicable item does not apply: 'too_young', 'too_old' or 'condition'. */
  notApplicableBecause: 'too_young' | 'too_old' | 'condition' | null;
  /** The reading that made a conditional item apply. */
  conditionReadingId: string | null;
  /** The first day evidence counts from (null: any time). */
  windowFrom: string | null;
  /** The day after which an unmet item is overdue; null for a not_applicable one. */
  dueOn: string | null;
  /** The records that met it; for an unmet item, what counts so far (e.g. 60 of 90 tablets). */
  evidence: Evidence[];
}

export interface Scorecard {
  asOf: string;
  /** Every applicable item met. */
  fullPackage: boolean;
  items: ItemResult[];
}

const READING_FIELD: Record<ConditionField, 'waz' | 'whz' | 'haz' | 'muacCm'> = { waz: 'waz', whz: 'whz', haz: 'haz', muac: 'muacCm' };

/** Whether a child of this birth date is in the group on `day`: born by then and under the group's upper age (completed months, month ends clamped). */
export function childInGroup(birthDate: string, maxMonths: number, day: string): boolean {
  return birthDate <= day && day < addMonthsIso(birthDate, maxMonths);
}

/** The records of one rule within [from, asOf], and whether they are enough. */
function matchRule(rule: EvidenceRule, f: SubjectFacts, from: string, asOf: string): { enough: boolean; records: Evidence[] } {
  const inWindow = (d: string) => d >= from && d <= asOf;
  const count = rule.minCount ?? 1;
  switch (rule.kind) {
    case 'measurement': {
      const records = f.readings
        .filter((r) => inWindow(r.on))
        .map((r): Evidence => ({ kind: 'measurement', id: r.id, on: r.on, agency: { type: 'posyandu', id: null, code: r.source, name: 'Posyandu' }, details: {} }));
      return { enough: records.length >= count, records };
    }
    case 'intervention': {
      const codes = new Set(rule.catalogueCodes ?? []);
      const hits = f.deliveries.filter((d) => codes.has(d.catalogueCode) && inWindow(d.on));
      const quantity = hits.reduce((s, d) => s + d.quantity, 0);
      const records = hits.map(
        (d): Evidence => ({
          kind: 'intervention',
          id: d.id,
          on: d.on,
          agency: { type: 'sponsor', id: d.sponsorId, code: null, name: d.sponsorName },
          details: { interventionId: d.interventionId, catalogueCode: d.catalogueCode, quantity: d.quantity },
        }),
      );
      return { enough: hits.length >= count && quantity >= (rule.minQuantity ?? 0), records };
    }
    case 'task': {
      const needle = rule.actionContains?.toLowerCase();
      const records = f.tasks
        .filter((t) => t.opdCode === rule.opdCode && inWindow(t.on) && (!needle || t.action.toLowerCase().includes(needle)))
        .map((t): Evidence => ({ kind: 'task', id: t.id, on: t.on, agency: { type: 'opd', id: t.opdId, code: t.opdCode, name: t.opdName }, details: { action: t.action } }));
      return { enough: records.length >= count, records };
    }
    case 'visit': {
      const wanted = new Set(rule.visitActions ?? []);
      const records = f.visits
        .filter((v) => inWindow(v.on) && v.actions.some((a) => wanted.has(a)))
        .map((v): Evidence => ({ kind: 'visit', id: v.id, on: v.on, agency: { type: 'tpk', id: v.teamId, code: v.villageCode, name: v.teamName }, details: { actions: v.actions } }));
      return { enough: records.length >= count, records };
    }
    case 'family': {
      // Only the latest assessment speaks for the house: an older "fit" does not outvote a newer "unfit".
      const latest = f.familyAssessments.find((a) => a.on <= asOf);
      const has = latest && inWindow(latest.on) && (rule.attribute === 'safe_water' ? latest.safeWater : latest.fitLatrine);
      const records: Evidence[] = has
        ? [{ kind: 'family', id: latest.id, on: latest.on, agency: { type: 'family_data', id: null, code: latest.source, name: null }, details: { attribute: rule.attribute } }]
        : [];
      return { enough: !!has, records };
    }
  }
}

/** One item's status for the subject on `asOf` (pure). */
export function evaluateItem(item: PackageItem, f: SubjectFacts, asOf: string): ItemResult {
  const base = { code: item.code, name: item.name, kind: item.kind, conditionReadingId: null as string | null };
  const na = (because: ItemResult['notApplicableBecause']): ItemResult => ({ ...base, status: 'not_applicable', notApplicableBecause: because, windowFrom: null, dueOn: null, evidence: [] });
  const child = CHILD_GROUPS.includes(f.targetGroup);

  let anchor = f.registeredOn;
  if (child) {
    anchor = addMonthsIso(f.birthDate, item.fromAgeMonths ?? 0);
    if (asOf < anchor) return na('too_young');
    if (item.toAgeMonths !== undefined && asOf >= addMonthsIso(f.birthDate, item.toAgeMonths)) return na('too_old');
  }
  if (item.condition) {
    const field = READING_FIELD[item.condition.field];
    const since = addDaysIso(asOf, -item.condition.withinDays);
    let latest: SubjectFacts['readings'][number] | undefined;
    for (const r of f.readings) if (r.plausible && r[field] !== null && r.on >= since && r.on <= asOf) latest = r;
    if (!latest || !((latest[field] as number) < item.condition.below)) return na('condition');
    base.conditionReadingId = latest.id;
    if (latest.on > anchor) anchor = latest.on;
  }

  const windowFrom = item.windowDays === null ? null : addDaysIso(asOf, -item.windowDays);
  const from = windowFrom ?? '0000-01-01';
  const matches = item.evidence.map((rule) => matchRule(rule, f, from, asOf));
  const met = matches.some((m) => m.enough);
  const evidence = (met ? matches.filter((m) => m.enough) : matches).flatMap((m) => m.records);
  const seen = new Set<string>();
  const unique = evidence.filter((e) => !seen.has(`${e.kind}:${e.id}`) && seen.add(`${e.kind}:${e.id}`));
  const dueOn = addDaysIso(anchor, item.dueDays);
  return {
    ...base,
    status: met ? 'met' : asOf > dueOn ? 'overdue' : 'missing',
    notApplicableBecause: null,
    windowFrom,
    dueOn,
    evidence: unique.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0)),
  };
}

/** The subject's scorecard against its group's package on `asOf` (pure). */
export function scorecard(items: readonly PackageItem[], f: SubjectFacts, asOf: string): Scorecard {
  const results = items.map((i) => evaluateItem(i, f, asOf));
  return { asOf, fullPackage: results.every((r) => r.status === 'met' || r.status === 'not_applicable'), items: results };
}
