import { describe, expect, it } from '@jest/globals';
import { hasIndonesian } from '../../common/errors/reasons.js';
import { PACKAGE_V1 } from '../../../migrations/1764400000000-convergence.js';
import { DEFAULT_PACKAGE, type PackageItem, packageProblems } from './package.js';
import { childInGroup, scorecard, type SubjectFacts } from './scorecard.js';

const facts = (over: Partial<SubjectFacts>): SubjectFacts => ({
  targetGroup: 'BADUTA',
  birthDate: '2025-06-15',
  registeredOn: '2025-06-20',
  readings: [],
  deliveries: [],
  tasks: [],
  visits: [],
  familyAssessments: [],
  ...over,
});
const reading = (id: string, on: string, z: Partial<{ waz: number; whz: number; haz: number; muacCm: number }> = {}, plausible = true) => ({
  id,
  on,
  plausible,
  waz: z.waz ?? null,
  whz: z.whz ?? null,
  haz: z.haz ?? null,
  muacCm: z.muacCm ?? null,
  source: 'manual',
});
const delivery = (id: string, catalogueCode: string, on: string, quantity = 1) => ({ id, interventionId: `i-${id}`, catalogueCode, on, quantity, sponsorId: 's1', sponsorName: 'PT Sponsor' });
const statuses = (items: readonly PackageItem[], f: SubjectFacts, asOf: string) => Object.fromEntries(scorecard(items, f, asOf).items.map((i) => [i.code, i.status]));

describe('convergence scorecard: baduta', () => {
  const items = DEFAULT_PACKAGE.groups.BADUTA!;
  const asOf = '2026-11-30';

  it('a 17-month-old with nothing recorded: every item overdue, PMT not applicable without an underweight reading', () => {
    expect(statuses(items, facts({}), asOf)).toEqual({
      PEMANTAUAN_PERTUMBUHAN: 'overdue',
      IMUNISASI_DASAR: 'overdue', // due 365 days after birth: 2026-06-15
      VIT_A: 'overdue',
      PMT_BB_KURANG: 'not_applicable',
      JKN: 'overdue',
      AIR_MINUM_LAYAK: 'overdue',
      JAMBAN_SEHAT: 'overdue',
    });
  });

  it('a child with the full package: a weighing within 31 days, immunisation any time, vitamin A within 183 days, JKN by a DINSOS task, water and latrine from the family data', () => {
    const f = facts({
      readings: [reading('m1', '2026-11-05', { waz: -1 })],
      deliveries: [delivery('d1', 'IMUNISASI', '2025-08-01'), delivery('d2', 'VIT_A', '2026-08-10')],
      tasks: [{ id: 't1', opdId: 'o1', opdCode: 'DINSOS', opdName: 'Dinsos', action: 'Daftarkan JKN PBI', on: '2026-10-01' }],
      familyAssessments: [{ id: 'k1', on: '2026-07-01', safeWater: true, fitLatrine: true, source: 'VERVAL' }],
    });
    const card = scorecard(items, f, asOf);
    expect(card.fullPackage).toBe(true);
    expect(Object.fromEntries(card.items.map((i) => [i.code, i.status]))).toMatchObject({ PEMANTAUAN_PERTUMBUHAN: 'met', VIT_A: 'met', PMT_BB_KURANG: 'not_applicable', JKN: 'met' });
    expect(card.items.find((i) => i.code === 'JKN')!.evidence).toEqual([
      { kind: 'task', id: 't1', on: '2026-10-01', agency: { type: 'opd', id: 'o1', code: 'DINSOS', name: 'Dinsos' }, details: { action: 'Daftarkan JKN PBI' } },
    ]);
    expect(card.items.find((i) => i.code === 'AIR_MINUM_LAYAK')!.evidence[0]).toMatchObject({ kind: 'family', id: 'k1' });
  });

  it('windows: a weighing 31 days before counts, 32 does not; vitamin A 184 days before does not', () => {
    const at = (on: string) => statuses(items, facts({ readings: [reading('m', on)] }), asOf).PEMANTAUAN_PERTUMBUHAN;
    expect(at('2026-10-30')).toBe('met');
    expect(at('2026-10-29')).toBe('overdue');
    expect(statuses(items, facts({ deliveries: [delivery('v', 'VIT_A', '2026-05-30')] }), asOf).VIT_A).toBe('overdue');
    expect(statuses(items, facts({ deliveries: [delivery('v', 'VIT_A', '2026-05-31')] }), asOf).VIT_A).toBe('met');
  });

  it('PMT when underweight: applies from the latest plausible reading below -2 WAZ, due 14 days after it; met by a PMT delivery or a TPK visit with PMT', () => {
    const under = facts({ readings: [reading('m1', '2026-11-20', { waz: -2.4 })] });
    const card = scorecard(items, under, asOf);
    const pmt = card.items.find((i) => i.code === 'PMT_BB_KURANG')!;
    expect(pmt).toMatchObject({ status: 'missing', conditionReadingId: 'm1', dueOn: '2026-12-04' });
    expect(statuses(items, under, '2026-12-05').PMT_BB_KURANG).toBe('overdue');
    expect(statuses(items, { ...under, deliveries: [delivery('p', 'PMT_LOKAL_BB_KURANG', '2026-11-25')] }, asOf).PMT_BB_KURANG).toBe('met');
    expect(
      statuses(items, { ...under, visits: [{ id: 'v1', on: '2026-11-26', actions: ['KIE', 'PMT'], teamId: 'tm', teamName: 'TPK', villageCode: '3216062005' }] }, asOf).PMT_BB_KURANG,
    ).toBe('met');
    // A visit with other actions is no PMT.
    expect(statuses(items, { ...under, visits: [{ id: 'v1', on: '2026-11-26', actions: ['KIE'], teamId: null, teamName: null, villageCode: '3216062005' }] }, asOf).PMT_BB_KURANG).toBe('missing');
    // A later normal reading ends the condition; an implausible low one never starts it; -2 exactly is not below.
    expect(statuses(items, facts({ readings: [reading('m1', '2026-11-01', { waz: -2.4 }), reading('m2', '2026-11-20', { waz: -1.5 })] }), asOf).PMT_BB_KURANG).toBe('not_applicable');
    expect(statuses(items, facts({ readings: [reading('m1', '2026-11-20', { waz: -4 }, false)] }), asOf).PMT_BB_KURANG).toBe('not_applicable');
    expect(statuses(items, facts({ readings: [reading('m1', '2026-11-20', { waz: -2 })] }), asOf).PMT_BB_KURANG).toBe('not_applicable');
    // Underweight 61 days ago: no longer within the condition's 60 days.
    expect(statuses(items, facts({ readings: [reading('m1', '2026-09-30', { waz: -3 })] }), asOf).PMT_BB_KURANG).toBe('not_applicable');
  });

  it('ages: vitamin A and PMT do not apply before 6 months; the family data speaks by its latest assessment only', () => {
    const young = facts({ birthDate: '2026-07-01', readings: [reading('m1', '2026-11-20', { waz: -3 })] });
    expect(scorecard(items, young, asOf).items.filter((i) => i.status === 'not_applicable').map((i) => [i.code, i.notApplicableBecause])).toEqual([
      ['VIT_A', 'too_young'],
      ['PMT_BB_KURANG', 'too_young'],
    ]);
    const unfitNow = facts({
      familyAssessments: [
        { id: 'k2', on: '2026-07-01', safeWater: false, fitLatrine: true, source: 'VERVAL' },
        { id: 'k1', on: '2025-07-01', safeWater: true, fitLatrine: true, source: 'PK' },
      ],
    });
    expect(statuses(items, unfitNow, asOf)).toMatchObject({ AIR_MINUM_LAYAK: 'overdue', JAMBAN_SEHAT: 'met' });
    // Water from an AIR_BERSIH intervention meets it too.
    expect(statuses(items, { ...unfitNow, deliveries: [delivery('a', 'AIR_BERSIH', '2026-09-01')] }, asOf).AIR_MINUM_LAYAK).toBe('met');
  });

  it('places a child in its group by completed months, month ends clamped', () => {
    expect(childInGroup('2024-11-30', 24, '2026-11-29')).toBe(true);
    expect(childInGroup('2024-11-30', 24, '2026-11-30')).toBe(false);
    expect(childInGroup('2024-01-31', 1, '2024-02-28')).toBe(true);
    expect(childInGroup('2024-01-31', 1, '2024-02-29')).toBe(false);
    expect(childInGroup('2026-12-01', 24, '2026-11-30')).toBe(false);
  });
});

describe('convergence scorecard: balita', () => {
  const items = DEFAULT_PACKAGE.groups.BALITA!;
  it('severe wasting makes tata laksana apply, due 7 days after the reading', () => {
    const f = facts({ targetGroup: 'BALITA', birthDate: '2023-01-10', readings: [reading('m1', '2026-11-20', { whz: -3.2, waz: -2.5 })] });
    const card = scorecard(items, f, '2026-11-30');
    expect(card.items.find((i) => i.code === 'TATA_LAKSANA_GIZI_BURUK')).toMatchObject({ status: 'overdue', dueOn: '2026-11-27', conditionReadingId: 'm1' });
    expect(card.items.find((i) => i.code === 'PMT_BB_KURANG')).toMatchObject({ status: 'missing', dueOn: '2026-12-04' });
    expect(card.items.find((i) => i.code === 'IMUNISASI_DASAR')!.status).toBe('overdue');
    expect(card.fullPackage).toBe(false);
  });
});

describe('convergence scorecard: ibu hamil', () => {
  const items = DEFAULT_PACKAGE.groups.IBU_HAMIL!;
  const mother = (over: Partial<SubjectFacts> = {}) => facts({ targetGroup: 'IBU_HAMIL', birthDate: '1998-04-02', registeredOn: '2026-09-01', ...over });

  it('TTD needs 90 tablets delivered within the pregnancy window: 60 are not enough and are shown as progress', () => {
    const partial = scorecard(items, mother({ deliveries: [delivery('d1', 'TTD_BUMIL', '2026-09-05', 30), delivery('d2', 'TTD_BUMIL', '2026-10-05', 30)] }), '2026-11-30');
    const ttd = partial.items.find((i) => i.code === 'TTD_90')!;
    expect(ttd).toMatchObject({ status: 'missing', dueOn: '2027-02-28' });
    expect(ttd.evidence.map((e) => e.id)).toEqual(['d1', 'd2']);
    const full = scorecard(items, mother({ deliveries: [delivery('d1', 'TTD_BUMIL', '2026-09-05', 30), delivery('d2', 'TTD_BUMIL', '2026-10-05', 60)] }), '2026-11-30');
    expect(full.items.find((i) => i.code === 'TTD_90')!.status).toBe('met');
  });

  it('ANC needs 4 contacts (DINKES ANC tasks or readings); PMT for KEK applies only with LiLA below 23.5 cm', () => {
    const readings = ['2026-09-02', '2026-09-30', '2026-10-28', '2026-11-25'].map((on, i) => reading(`m${i}`, on, { muacCm: i === 3 ? 23.0 : 24 }));
    const card = scorecard(items, mother({ readings }), '2026-11-30');
    expect(card.items.find((i) => i.code === 'ANC')!.status).toBe('met');
    expect(card.items.find((i) => i.code === 'PMT_KEK')).toMatchObject({ status: 'missing', conditionReadingId: 'm3', dueOn: '2026-12-09' });
    const three = scorecard(items, mother({ readings: readings.slice(0, 3) }), '2026-11-30');
    expect(three.items.find((i) => i.code === 'ANC')!.status).toBe('missing');
    expect(three.items.find((i) => i.code === 'PMT_KEK')!.status).toBe('not_applicable');
    // Registered in September 2026: due dates count from registration, not from the mother's birth.
    expect(scorecard(items, mother(), '2026-11-30').items.find((i) => i.code === 'JKN')).toMatchObject({ status: 'missing', dueOn: '2026-11-30' });
    expect(scorecard(items, mother(), '2026-12-01').items.find((i) => i.code === 'JKN')!.status).toBe('overdue');
  });
});

describe('convergence scorecard: ibu nifas and catin', () => {
  it('nifas: KB pascapersalinan by intervention; counselling by a KIE visit within 42 days', () => {
    const items = DEFAULT_PACKAGE.groups.IBU_NIFAS!;
    const f = facts({ targetGroup: 'IBU_NIFAS', birthDate: '1995-01-01', registeredOn: '2026-11-01', visits: [{ id: 'v', on: '2026-11-10', actions: ['KIE'], teamId: null, teamName: null, villageCode: 'x' }] });
    expect(statuses(items, f, '2026-11-30')).toEqual({ KB_PASCAPERSALINAN: 'missing', KONSELING_ASI: 'met' });
    expect(statuses(items, f, '2026-12-14')).toEqual({ KB_PASCAPERSALINAN: 'overdue', KONSELING_ASI: 'met' });
  });

  it('catin: an ELSIMIL visit meets the health check; TTD is overdue 30 days after registration', () => {
    const items = DEFAULT_PACKAGE.groups.CATIN!;
    const f = facts({ targetGroup: 'CATIN', birthDate: '2001-01-01', registeredOn: '2026-10-01', visits: [{ id: 'v', on: '2026-10-15', actions: ['ELSIMIL'], teamId: null, teamName: null, villageCode: 'x' }] });
    expect(statuses(items, f, '2026-11-30')).toEqual({ PEMERIKSAAN_CATIN: 'met', TTD_CATIN: 'overdue' });
  });
});

describe('package rules', () => {
  const item = (over: Partial<PackageItem>): PackageItem => ({ code: 'X', name: 'x', kind: 'spesifik', windowDays: 30, dueDays: 30, evidence: [{ kind: 'measurement' }], ...over });

  it('the defaults are what the migration wrote as the national version 1', () => {
    expect(JSON.parse(JSON.stringify(DEFAULT_PACKAGE.groups))).toEqual(PACKAGE_V1);
  });

  it('the defaults pass their own rules', () => {
    expect(packageProblems(Object.entries(DEFAULT_PACKAGE.groups).map(([targetGroup, items]) => ({ targetGroup, items: items! })))).toEqual([]);
  });

  it('names the field and the reason, each with Indonesian wording', () => {
    const problems = packageProblems([
      { targetGroup: 'BADUTA', items: [item({}), item({ evidence: [{ kind: 'intervention' }, { kind: 'task', opdCode: 'dinkes' }, { kind: 'family', attribute: 'safe_water', minCount: 2 }] })] },
      { targetGroup: 'IBU_HAMIL', items: [item({ fromAgeMonths: 6 })] },
      { targetGroup: 'BADUTA', items: [item({ fromAgeMonths: 12, toAgeMonths: 6, evidence: [{ kind: 'visit' }] })] },
    ]);
    expect(problems).toEqual([
      { field: 'groups.0.items.1.code', reason: 'names an item twice in its group' },
      { field: 'groups.0.items.1.evidence.0.catalogueCodes', reason: 'is required for intervention evidence' },
      { field: 'groups.0.items.1.evidence.1.opdCode', reason: 'must be an OPD code such as DINKES' },
      { field: 'groups.0.items.1.evidence.2.minCount', reason: 'does not apply to family evidence' },
      { field: 'groups.1.items.0.fromAgeMonths', reason: 'ages apply to BADUTA and BALITA items only' },
      { field: 'groups.2.targetGroup', reason: 'names a target group twice' },
      { field: 'groups.2.items.0.toAgeMonths', reason: 'must be above fromAgeMonths' },
      { field: 'groups.2.items.0.evidence.0.visitActions', reason: 'is required for visit evidence' },
    ]);
    for (const p of problems) expect([p.reason, hasIndonesian(p.reason)]).toEqual([p.reason, true]);
  });
});
