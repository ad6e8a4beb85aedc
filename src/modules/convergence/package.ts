import type { FieldProblem } from '../../common/errors/domain-error.js';
import type { TargetGroup } from '../subjects/subject-rules.js';

/**
 * The convergence package: per target group, the essential services (Perpres 72/2021's specific
 * and sensitive interventions) every target should receive, and the named evidence that shows
 * one was received. A versioned table per regency (`convergence_packages`); version 1 of the
 * national row ('*') is DEFAULT_PACKAGE below. See docs/convergence.md.
 */

export const EVIDENCE_KINDS = ['intervention', 'task', 'visit', 'measurement', 'family'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
/** What a family's latest KRS assessment says of its house (families module: air_tidak_layak, jamban_tidak_layak). */
export const FAMILY_ATTRIBUTES = ['safe_water', 'fit_latrine'] as const;
export type FamilyAttribute = (typeof FAMILY_ATTRIBUTES)[number];
/** The reading a condition looks at: a z-score, or the upper-arm circumference (LiLA) in cm. */
export const CONDITION_FIELDS = ['waz', 'whz', 'haz', 'muac'] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];
export const ITEM_KINDS = ['spesifik', 'sensitif'] as const;
/** The visit actions a TPK visit records (visits module, VISIT_ACTIONS), NONE excepted. */
export const EVIDENCE_VISIT_ACTIONS = ['KIE', 'RUJUKAN', 'BANSOS', 'PMT', 'ELSIMIL', 'EPPGBM', 'BAAS', 'GENTING'] as const;
export const CHILD_GROUPS: readonly TargetGroup[] = ['BADUTA', 'BALITA'];

/** One way an item is met: `minCount` records of this kind within the item's window (any rule of an item meets it). */
export interface EvidenceRule {
  kind: EvidenceKind;
  /** intervention: deliveries of an intervention of one of these catalogue codes. */
  catalogueCodes?: string[];
  /** intervention: the quantities delivered in the window add up to at least this (TTD 90 tablets). */
  minQuantity?: number;
  /** task: a task of this OPD about the subject, completed (done or verified). */
  opdCode?: string;
  /** task: whose action contains this text (case-insensitive); absent, any task of the OPD. */
  actionContains?: string;
  /** visit: a TPK visit of the subject recording any of these actions. */
  visitActions?: string[];
  /** family: the family's latest KRS assessment says the house has it. */
  attribute?: FamilyAttribute;
  /** How many records within the window (deliveries, tasks, visits, readings); default 1. Not for family. */
  minCount?: number;
}

/** The item applies only while the subject's latest plausible reading of `field` within `withinDays` is below `below`. */
export interface ItemCondition {
  field: ConditionField;
  below: number;
  withinDays: number;
}

export interface PackageItem {
  /** Unique within its target group, e.g. VIT_A. */
  code: string;
  name: string;
  kind: (typeof ITEM_KINDS)[number];
  /** Children only: the item applies from this age in completed months (default 0) and before `toAgeMonths`. */
  fromAgeMonths?: number;
  toAgeMonths?: number;
  condition?: ItemCondition;
  /** Evidence counts when it is dated on or after the day `windowDays` before the day asked about; null: any time. */
  windowDays: number | null;
  /**
   * Unmet, the item is overdue `dueDays` after it began to apply: for a child the day it reached
   * `fromAgeMonths`, for an adult the day they were registered, for a conditional item no earlier
   * than the reading that made the condition hold.
   */
  dueDays: number;
  evidence: EvidenceRule[];
  /** Where the item and its numbers come from; "unverified" where they are our assumption. */
  basis?: string;
}

export type PackageGroups = Partial<Record<TargetGroup, PackageItem[]>>;

export interface ConvergencePackage {
  version: number;
  groups: PackageGroups;
}

const JKN: PackageItem = {
  code: 'JKN',
  name: 'Kepesertaan JKN (PBI)',
  kind: 'sensitif',
  windowDays: null,
  dueDays: 90,
  evidence: [
    { kind: 'intervention', catalogueCodes: ['JKN_PBI'] },
    { kind: 'task', opdCode: 'DINSOS', actionContains: 'JKN' },
  ],
  basis: 'Perpres 72/2021 lampiran, sensitif: cakupan PBI JKN [S32]; 90 days unverified',
};
const SAFE_WATER: PackageItem = {
  code: 'AIR_MINUM_LAYAK',
  name: 'Air minum layak',
  kind: 'sensitif',
  windowDays: null,
  dueDays: 180,
  evidence: [
    { kind: 'family', attribute: 'safe_water' },
    { kind: 'intervention', catalogueCodes: ['AIR_BERSIH'] },
  ],
  basis: 'Perpres 72/2021 lampiran, sensitif: rumah tangga dengan air minum layak [S32]; 180 days unverified',
};
const LATRINE: PackageItem = {
  code: 'JAMBAN_SEHAT',
  name: 'Jamban sehat (sanitasi layak)',
  kind: 'sensitif',
  windowDays: null,
  dueDays: 180,
  evidence: [
    { kind: 'family', attribute: 'fit_latrine' },
    { kind: 'intervention', catalogueCodes: ['JAMBAN'] },
  ],
  basis: 'Perpres 72/2021 lampiran, sensitif: rumah tangga dengan sanitasi layak [S32]; 180 days unverified',
};
const GROWTH: PackageItem = {
  code: 'PEMANTAUAN_PERTUMBUHAN',
  name: 'Pemantauan pertumbuhan (penimbangan bulanan)',
  kind: 'spesifik',
  windowDays: 31,
  dueDays: 31,
  evidence: [{ kind: 'measurement' }],
  basis: 'Perpres 72/2021 lampiran, spesifik: balita dipantau pertumbuhan dan perkembangannya [S32]; monthly posyandu (domain §4.4)',
};
const IMMUNISATION: PackageItem = {
  code: 'IMUNISASI_DASAR',
  name: 'Imunisasi dasar lengkap',
  kind: 'spesifik',
  windowDays: null,
  dueDays: 365,
  evidence: [
    { kind: 'intervention', catalogueCodes: ['IMUNISASI'] },
    { kind: 'task', opdCode: 'DINKES', actionContains: 'imunisasi' },
  ],
  basis: 'Perpres 72/2021 lampiran, spesifik: balita dengan imunisasi dasar lengkap [S32]; complete by 12 months [K], unverified',
};
const VITAMIN_A: PackageItem = {
  code: 'VIT_A',
  name: 'Vitamin A (Februari dan Agustus)',
  kind: 'spesifik',
  fromAgeMonths: 6,
  windowDays: 183,
  dueDays: 183,
  evidence: [{ kind: 'intervention', catalogueCodes: ['VIT_A'] }],
  basis: 'Vitamin A from 6 months, every February and August [S24]',
};
const PMT_UNDERWEIGHT: PackageItem = {
  code: 'PMT_BB_KURANG',
  name: 'PMT lokal bila berat badan kurang',
  kind: 'spesifik',
  fromAgeMonths: 6,
  condition: { field: 'waz', below: -2, withinDays: 60 },
  windowDays: 90,
  dueDays: 14,
  evidence: [
    { kind: 'intervention', catalogueCodes: ['PMT_LOKAL_BB_KURANG', 'PMT_LOKAL_GIZI_KURANG', 'PMT_LOKAL_2T'] },
    { kind: 'visit', visitActions: ['PMT'] },
  ],
  basis: 'Perpres 72/2021 lampiran, spesifik: balita gizi kurang mendapat makanan tambahan [S32]; PMT lokal 6-59 months [S34]; WAZ < -2 (Permenkes 2/2020); 60/90/14 days unverified',
};

/** National defaults: Perpres 72/2021 annex A indicators (domain §5.1) and the catalogue (§5.2). Every number without a source is unverified and data. */
export const DEFAULT_PACKAGE: ConvergencePackage = {
  version: 1,
  groups: {
    BADUTA: [GROWTH, IMMUNISATION, VITAMIN_A, PMT_UNDERWEIGHT, JKN, SAFE_WATER, LATRINE],
    BALITA: [
      GROWTH,
      IMMUNISATION,
      VITAMIN_A,
      PMT_UNDERWEIGHT,
      {
        code: 'TATA_LAKSANA_GIZI_BURUK',
        name: 'Tata laksana gizi buruk',
        kind: 'spesifik',
        condition: { field: 'whz', below: -3, withinDays: 60 },
        windowDays: 90,
        dueDays: 7,
        evidence: [{ kind: 'intervention', catalogueCodes: ['TATA_LAKSANA_GIZI_BURUK'] }],
        basis: 'Perpres 72/2021 lampiran, spesifik: balita gizi buruk mendapat pelayanan tata laksana [S32]; WHZ < -3 (Permenkes 2/2020); 7 days unverified',
      },
      JKN,
      SAFE_WATER,
      LATRINE,
    ],
    IBU_HAMIL: [
      {
        code: 'TTD_90',
        name: 'Tablet tambah darah minimal 90 tablet',
        kind: 'spesifik',
        windowDays: 280,
        dueDays: 180,
        evidence: [{ kind: 'intervention', catalogueCodes: ['TTD_BUMIL'], minQuantity: 90 }],
        basis: 'Perpres 72/2021 lampiran, spesifik: ibu hamil mengonsumsi TTD minimal 90 tablet [S32]; 180 days unverified',
      },
      {
        code: 'ANC',
        name: 'Pemeriksaan kehamilan (ANC) minimal 4 kontak',
        kind: 'spesifik',
        windowDays: 280,
        dueDays: 196,
        evidence: [
          { kind: 'task', opdCode: 'DINKES', actionContains: 'ANC', minCount: 4 },
          { kind: 'measurement', minCount: 4 },
        ],
        basis: 'ANC: at least 1 contact in trimesters 1 and 2 and 2 in trimester 3 [W37]; Kemenkes now 6 [K]. Evidence and 196 days unverified',
      },
      {
        code: 'PMT_KEK',
        name: 'PMT lokal ibu hamil KEK',
        kind: 'spesifik',
        condition: { field: 'muac', below: 23.5, withinDays: 90 },
        windowDays: 120,
        dueDays: 14,
        evidence: [
          { kind: 'intervention', catalogueCodes: ['PMT_LOKAL_BUMIL_KEK'] },
          { kind: 'visit', visitActions: ['PMT'] },
        ],
        basis: 'Perpres 72/2021 lampiran, spesifik: ibu hamil KEK mendapat makanan tambahan [S32]; 120 days [S34]; LiLA < 23.5 cm [W36]; 14 days unverified',
      },
      JKN,
      SAFE_WATER,
      LATRINE,
    ],
    IBU_NIFAS: [
      {
        code: 'KB_PASCAPERSALINAN',
        name: 'KB pascapersalinan',
        kind: 'sensitif',
        windowDays: null,
        dueDays: 42,
        evidence: [{ kind: 'intervention', catalogueCodes: ['KB_PASCAPERSALINAN'] }],
        basis: 'Perpres 72/2021 lampiran, sensitif: pelayanan KB pascapersalinan [S32]; within 42 days (KF4) [K]',
      },
      {
        code: 'KONSELING_ASI',
        name: 'Konseling ASI dan MP-ASI',
        kind: 'spesifik',
        windowDays: 42,
        dueDays: 28,
        evidence: [
          { kind: 'intervention', catalogueCodes: ['ASI_MPASI_KONSELING'] },
          { kind: 'visit', visitActions: ['KIE'] },
        ],
        basis: 'ASI eksklusif indicator [S32]; 28/42 days unverified',
      },
    ],
    CATIN: [
      {
        code: 'PEMERIKSAAN_CATIN',
        name: 'Pemeriksaan kesehatan catin (Elsimil)',
        kind: 'sensitif',
        windowDays: 90,
        dueDays: 30,
        evidence: [
          { kind: 'intervention', catalogueCodes: ['ELSIMIL_SCREENING'] },
          { kind: 'visit', visitActions: ['ELSIMIL'] },
        ],
        basis: 'Perpres 72/2021 lampiran, sensitif: catin mendapat pemeriksaan kesehatan 3 bulan pranikah [S32][S33]; 30 days unverified',
      },
      {
        code: 'TTD_CATIN',
        name: 'Tablet tambah darah catin',
        kind: 'spesifik',
        windowDays: 90,
        dueDays: 30,
        evidence: [{ kind: 'intervention', catalogueCodes: ['TTD_CATIN'] }],
        basis: 'TTD for catin, weekly [S33]; 30 days unverified',
      },
    ],
  },
};

const CODE = /^[A-Z0-9_]{2,40}$/;
const OPD = /^[A-Z0-9_]{2,32}$/;

/**
 * What is wrong with a package's groups (pure): the rules class-validator cannot say, each with
 * the path of its field. `catalogueCodes` are checked against the regency's catalogue by the caller.
 */
export function packageProblems(groups: { targetGroup: string; items: PackageItem[] }[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seenGroups = new Set<string>();
  groups.forEach((g, gi) => {
    const at = `groups.${gi}`;
    if (seenGroups.has(g.targetGroup)) problems.push({ field: `${at}.targetGroup`, reason: 'names a target group twice' });
    seenGroups.add(g.targetGroup);
    const child = CHILD_GROUPS.includes(g.targetGroup as TargetGroup);
    const codes = new Set<string>();
    g.items.forEach((item, ii) => {
      const it = `${at}.items.${ii}`;
      if (codes.has(item.code)) problems.push({ field: `${it}.code`, reason: 'names an item twice in its group' });
      codes.add(item.code);
      if (!child && (item.fromAgeMonths !== undefined || item.toAgeMonths !== undefined)) {
        problems.push({ field: `${it}.fromAgeMonths`, reason: 'ages apply to BADUTA and BALITA items only' });
      }
      if (item.fromAgeMonths !== undefined && item.toAgeMonths !== undefined && item.toAgeMonths <= item.fromAgeMonths) {
        problems.push({ field: `${it}.toAgeMonths`, reason: 'must be above fromAgeMonths' });
      }
      item.evidence.forEach((e, ei) => {
        const ev = `${it}.evidence.${ei}`;
        const need = (field: keyof EvidenceRule, ok: boolean, reason: string) => {
          if (!ok) problems.push({ field: `${ev}.${field}`, reason });
        };
        const forbid = (fields: (keyof EvidenceRule)[]) => {
          for (const f of fields) if (e[f] !== undefined) problems.push({ field: `${ev}.${f}`, reason: `does not apply to ${e.kind} evidence` });
        };
        switch (e.kind) {
          case 'intervention':
            need('catalogueCodes', !!e.catalogueCodes?.length, 'is required for intervention evidence');
            for (const c of e.catalogueCodes ?? []) if (!CODE.test(c)) need('catalogueCodes', false, 'must be a catalogue code');
            forbid(['opdCode', 'actionContains', 'visitActions', 'attribute']);
            break;
          case 'task':
            need('opdCode', !!e.opdCode && OPD.test(e.opdCode), 'must be an OPD code such as DINKES');
            forbid(['catalogueCodes', 'minQuantity', 'visitActions', 'attribute']);
            break;
          case 'visit':
            need('visitActions', !!e.visitActions?.length, 'is required for visit evidence');
            forbid(['catalogueCodes', 'minQuantity', 'opdCode', 'actionContains', 'attribute']);
            break;
          case 'measurement':
            forbid(['catalogueCodes', 'minQuantity', 'opdCode', 'actionContains', 'visitActions', 'attribute']);
            break;
          case 'family':
            need('attribute', !!e.attribute, 'is required for family evidence');
            forbid(['catalogueCodes', 'minQuantity', 'opdCode', 'actionContains', 'visitActions', 'minCount']);
            break;
        }
      });
    });
  });
  return problems;
}
