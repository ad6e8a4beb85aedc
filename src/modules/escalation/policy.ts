import type { OpenState, OutcomePolicy } from '../cases/machine/case.types.js';
import { DEFAULT_VISIT_SCHEDULE, type VisitSchedule } from '../visits/schedule.js';
import { RecordColumns } from '../../database/record-columns.js';

/** Who a rung notifies. What each rule means for a step is decided by the step's lifecycle. */
export const RECIPIENT_RULES = [
  'assignee',
  'supervisor',
  'opd_head',
  'aks_chair',
  'tpps_chair',
  // The rungs of a lapsed TPK visit: the member, the team's bidan coordinator, the kecamatan's PKB, DP2KB.
  'tpk_member',
  'tpk_coordinator',
  'pkb',
  'dp2kb',
] as const;
export type RecipientRule = (typeof RECIPIENT_RULES)[number];

export const CHANNELS = ['inbox', 'webhook', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface Rung {
  level: number;
  /** Days after the step's deadline (0 = at the deadline; negative = before it, as the Aksi evidence ladder climbs). */
  afterDays: number;
  notify: RecipientRule[];
  channels: Channel[];
}

export interface TaskDays {
  /** Working days an OPD has to acknowledge a task. */
  acknowledgeWorkingDays: number;
  /** Calendar days from assignment to completion, unless the recommendation says otherwise. */
  completeDays: number;
  /** Calendar days the case manager has to verify a completed task. */
  verifyDays: number;
  /** Working days the case manager has to reassign a declined task. */
  reassignWorkingDays: number;
}

export interface InterventionDays {
  /** Days an approved intervention may wait for its first delivery. */
  firstDeliveryDays: number;
  /** Days of slack after an intervention's delivery cadence before it counts as stalled. */
  graceDays: number;
}

/**
 * When a child whose last case has finished gets a new case from a stunted reading. A child
 * resolved under the improvement rule is usually still below −2, so a routine weighing alone must
 * not reopen it every month: only a relapse (HAZ fallen this far below the HAZ it was resolved
 * with) or the time for a fresh audit does. A child resolved above −2, or whose case was closed,
 * gets a new case from any later stunted reading.
 */
export interface NewCasePolicy {
  relapseHazDrop: number;
  reauditAfterDays: number;
}

export interface Contacts {
  /** Ketua Tim AKS. */
  aksChairUserId: string | null;
  /** Ketua Pelaksana TPPS (usually the Wakil Bupati): a user, an e-mail address, or both. */
  tppsChairUserId: string | null;
  tppsChairEmail: string | null;
}

/** Due TPK visits: the schedule, their own lapse ladder and the people its rungs reach. */
export interface VisitPolicy {
  schedule: VisitSchedule;
  ladder: Rung[];
  /** The Penyuluh KB of each kecamatan (6-digit code). */
  pkbUserIds: Record<string, string[]>;
  /** Who answers for the regency at DP2KB. */
  dp2kbUserIds: string[];
  /** The day of the next month a month's TPK report freezes on. */
  reportFreezeDay: number;
}

/** The 8 Aksi evidence ladder: rungs before the cycle's upload deadline (negative afterDays). */
export interface AksiPolicy {
  ladder: Rung[];
}

export interface SlaPolicy {
  regencyCode: string;
  /** Calendar days allowed in each open case step. */
  days: Record<OpenState, number>;
  outcome: OutcomePolicy;
  newCases: NewCasePolicy;
  tasks: TaskDays;
  interventions: InterventionDays;
  ladder: Rung[];
  /** The regency's own days off (YYYY-MM-DD), on top of the national PUBLIC_HOLIDAYS. */
  holidays: string[];
  contacts: Contacts;
  visits: VisitPolicy;
  aksi: AksiPolicy;
  /** Years after the child turns five that a subject without an open case is kept, then anonymised. */
  retentionYears: number;
  /** null while the regency uses the defaults. */
  updatedAt: string | null;
}

/** Domain brief §2.5; every regency may set its own. */
export const DEFAULT_DAYS: Record<OpenState, number> = { identified: 30, audited: 14, intervened: 30, remeasured: 7 };
export const DEFAULT_OUTCOME: OutcomePolicy = { minHaz: -2, minImprovement: 0.5 };
/** Not in the brief: a relapse of half a z-score (the improvement rule's own step), or the next AKS semester. */
export const DEFAULT_NEW_CASES: NewCasePolicy = { relapseHazDrop: 0.5, reauditAfterDays: 180 };
export const DEFAULT_TASK_DAYS: TaskDays = { acknowledgeWorkingDays: 3, completeDays: 14, verifyDays: 7, reassignWorkingDays: 3 };
export const DEFAULT_INTERVENTION_DAYS: InterventionDays = { firstDeliveryDays: 7, graceDays: 3 };
export const DEFAULT_LADDER: Rung[] = [
  { level: 1, afterDays: 0, notify: ['assignee'], channels: ['inbox', 'webhook', 'email'] },
  { level: 2, afterDays: 1, notify: ['supervisor'], channels: ['inbox', 'webhook', 'email'] },
  { level: 3, afterDays: 7, notify: ['opd_head', 'aks_chair'], channels: ['inbox', 'webhook', 'email'] },
  { level: 4, afterDays: 14, notify: ['tpps_chair'], channels: ['inbox', 'webhook', 'email'] },
];
export const DEFAULT_VISIT_LADDER: Rung[] = [
  { level: 1, afterDays: 0, notify: ['tpk_member'], channels: ['inbox'] },
  { level: 2, afterDays: 3, notify: ['tpk_coordinator'], channels: ['inbox', 'email'] },
  { level: 3, afterDays: 7, notify: ['pkb'], channels: ['inbox', 'email'] },
  { level: 4, afterDays: 14, notify: ['dp2kb'], channels: ['inbox', 'email'] },
];
/**
 * Issue 19 / domain-wave2 §3: D-14, D-7 and D-1 before the upload deadline, to the owner OPD's
 * liaisons, then the OPD head, then the TPPS chair. A step's deadline is the end of the upload
 * day, so rung -k fires when k days are left: at 00:00 local on the k-th last day.
 */
export const DEFAULT_AKSI_LADDER: Rung[] = [
  { level: 1, afterDays: -14, notify: ['assignee'], channels: ['inbox', 'webhook', 'email'] },
  { level: 2, afterDays: -7, notify: ['opd_head'], channels: ['inbox', 'webhook', 'email'] },
  { level: 3, afterDays: -1, notify: ['tpps_chair'], channels: ['inbox', 'webhook', 'email'] },
];
export const DEFAULT_VISIT_POLICY: VisitPolicy = {
  schedule: DEFAULT_VISIT_SCHEDULE,
  ladder: DEFAULT_VISIT_LADDER,
  pkbUserIds: {},
  dp2kbUserIds: [],
  reportFreezeDay: 5,
};
/** Domain brief §9: case data until the child turns 5, plus 5 years. */
export const DEFAULT_RETENTION_YEARS = 5;
export const NO_CONTACTS: Contacts = { aksChairUserId: null, tppsChairUserId: null, tppsChairEmail: null };

export interface StoredPolicy {
  days: Record<string, number>;
  outcome: OutcomePolicy;
  newCases?: NewCasePolicy | null;
  tasks: TaskDays | null;
  interventions?: InterventionDays | null;
  ladder: Rung[] | null;
  holidays: string[] | null;
  contacts: Contacts | null;
  visits?: Partial<VisitPolicy> | null;
  retentionYears?: number | null;
  aksi?: Partial<AksiPolicy> | null;
  updatedAt?: Date;
}

/** A regency's stored policy over the defaults. */
/** Every column of sla_policies but its key, as one json value `policy` of a read that joins them under alias `p`. */
export const POLICY_JOIN_COLUMNS = `${new RecordColumns<Record<keyof StoredPolicy, unknown>>(
  {
    days: (a) => `${a}.days`,
    outcome: (a) => `${a}.outcome`,
    newCases: (a) => `${a}.new_cases`,
    tasks: (a) => `${a}.tasks`,
    interventions: (a) => `${a}.interventions`,
    ladder: (a) => `${a}.ladder`,
    holidays: (a) => `${a}.holidays`,
    contacts: (a) => `${a}.contacts`,
    visits: (a) => `${a}.visits`,
    retentionYears: (a) => `${a}.retention_years`,
    aksi: (a) => `${a}.aksi`,
    updatedAt: (a) => `${a}.updated_at`,
  },
  'regency_code',
).json('p')} AS policy`;

/** The stored policy a joined read brought (POLICY_JOIN_COLUMNS), or null when the regency has none. */
export function storedPolicyOf(r: Record<string, unknown>): StoredPolicy | null {
  const p = r.policy as (Omit<StoredPolicy, 'updatedAt'> & { updatedAt: string }) | null;
  return p ? { ...p, updatedAt: new Date(p.updatedAt) } : null;
}

export function resolvePolicy(regencyCode: string, row: StoredPolicy | null): SlaPolicy {
  return {
    regencyCode,
    days: { ...DEFAULT_DAYS, ...(row?.days ?? {}) },
    outcome: row?.outcome ?? DEFAULT_OUTCOME,
    newCases: { ...DEFAULT_NEW_CASES, ...(row?.newCases ?? {}) },
    tasks: { ...DEFAULT_TASK_DAYS, ...(row?.tasks ?? {}) },
    interventions: { ...DEFAULT_INTERVENTION_DAYS, ...(row?.interventions ?? {}) },
    ladder: row?.ladder ?? DEFAULT_LADDER,
    holidays: row?.holidays ?? [],
    contacts: { ...NO_CONTACTS, ...(row?.contacts ?? {}) },
    visits: {
      ...DEFAULT_VISIT_POLICY,
      ...(row?.visits ?? {}),
      schedule: { ...DEFAULT_VISIT_SCHEDULE, ...(row?.visits?.schedule ?? {}) },
    },
    retentionYears: row?.retentionYears ?? DEFAULT_RETENTION_YEARS,
    aksi: { ladder: row?.aksi?.ladder ?? DEFAULT_AKSI_LADDER },
    updatedAt: row?.updatedAt ? row.updatedAt.toISOString() : null,
  };
}

/** The ladder a step of this lifecycle climbs: due visits and Aksi evidence have their own. */
export function ladderFor(policy: SlaPolicy, aggregateType: string): Rung[] {
  if (aggregateType === 'aksi_document') return policy.aksi.ladder;
  return aggregateType === 'accompaniment' ? policy.visits.ladder : policy.ladder;
}

/** When rung `level` of a step due at `dueAt` fires, or null after the last rung. */
export function rungAt(ladder: Rung[], level: number, dueAt: Date): Date | null {
  const rung = ladder.find((r) => r.level === level);
  return rung ? new Date(dueAt.getTime() + rung.afterDays * 86_400_000) : null;
}

/** The rung after `level`, if any. */
export function nextRung(ladder: Rung[], level: number): Rung | null {
  return ladder.filter((r) => r.level > level).sort((a, b) => a.level - b.level)[0] ?? null;
}
