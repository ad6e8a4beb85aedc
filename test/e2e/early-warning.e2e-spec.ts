import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getDistricts, getRegencies, getVillages } from 'idn-area-data';
import { EXCEL_COLUMNS, EXCEL_HEADER, excelCells, type GeneratedReading } from '../../bench/gen-eppgbm.js';
import { EscalationSweeper } from '../../src/modules/escalation/escalation.sweeper.js';
import { checkEveryCaseReplays } from '../support/cases.js';
import { importFile } from '../support/imports.js';
import { createTestApp, login, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, passwordOf, REGENCY_A, type World } from '../support/world.js';

/**
 * Issue 23: an e-PPGBM file of three monthly weighings per child, saved by Excel (BOM, `;`,
 * decimal commas, DD/MM/YYYY), raises exactly the expected flags; a fourth month that gains
 * clears one; a reading entered late re-scores those after it; SKDN equals what the stored
 * readings count.
 */
type Child = { key: string; sex: 'L' | 'P'; birth: string; heightCm: number; weights: [string, number][] };

const MONTHS = ['2026-08-10', '2026-09-10', '2026-10-10'];
const w3 = (a: number, b: number, c: number): [string, number][] => [[MONTHS[0], a], [MONTHS[1], b], [MONTHS[2], c]];
// All born in mid-2025: 14-16 months old, KBM 200 g.
const CHILDREN: Child[] = [
  { key: 'gains', sex: 'L', birth: '2025-06-15', heightCm: 79, weights: w3(9.6, 9.9, 10.2) },
  { key: 'twoT', sex: 'P', birth: '2025-06-20', heightCm: 77, weights: w3(9.0, 9.1, 9.2) },
  { key: 'bgm', sex: 'P', birth: '2025-06-01', heightCm: 70, weights: w3(6.0, 6.3, 6.6) },
  { key: 'faltering', sex: 'L', birth: '2025-06-05', heightCm: 80, weights: w3(10.8, 10.3, 9.8) },
  { key: 'orange', sex: 'L', birth: '2025-06-10', heightCm: 84, weights: w3(13.5, 13.8, 14.1) },
  { key: 'lost', sex: 'P', birth: '2025-06-25', heightCm: 76, weights: [[MONTHS[0], 9.0]] },
  { key: 'missed', sex: 'P', birth: '2025-06-12', heightCm: 77, weights: [[MONTHS[0], 9.0], [MONTHS[2], 9.1]] },
];
const EXPECTED: Record<string, { codes: string[]; flags: string[] }> = {
  gains: { codes: ['B', 'N', 'N'], flags: [] },
  twoT: { codes: ['B', 'T', '2T'], flags: ['2T'] },
  bgm: { codes: ['B', 'N', 'N'], flags: ['BGM'] },
  faltering: { codes: ['B', 'T', '2T'], flags: ['2T', 'faltering'] },
  orange: { codes: ['B', 'N', 'N'], flags: ['above_orange'] },
  lost: { codes: ['B'], flags: [] },
  missed: { codes: ['B', 'O'], flags: [] },
};

async function excelFile(children: Child[], only?: (day: string) => boolean): Promise<Buffer> {
  const dotted = `${REGENCY_A.code.slice(0, 2)}.${REGENCY_A.code.slice(2)}`;
  const village = (await getVillages()).find((v) => v.code.replaceAll('.', '') === REGENCY_A.village)!;
  const kecamatan = (await getDistricts()).find((d) => d.code.replaceAll('.', '') === REGENCY_A.district)!;
  const regency = (await getRegencies()).find((r) => r.code === dotted)!;
  const lines = [EXCEL_HEADER];
  children.forEach((c, i) => {
    const [y, m, d] = c.birth.split('-');
    const nik = `${REGENCY_A.district}${String(Number(d) + (c.sex === 'P' ? 40 : 0)).padStart(2, '0')}${m}${y.slice(2)}${String(9100 + i)}`;
    for (const [day, weight] of c.weights) {
      if (only && !only(day)) continue;
      const r: GeneratedReading = {
        nik,
        name: `Anak ${c.key} Peringatan`,
        sex: c.sex,
        birth: c.birth,
        mother: `Ibu ${c.key}`,
        address: `RT 0${i + 1}/RW 02`,
        province: 'JAWA BARAT',
        regency: regency.name.toUpperCase(),
        kecamatan: kecamatan.name,
        villageCode: REGENCY_A.village,
        villageName: village.name,
        posyandu: 'Posyandu Mawar',
        day,
        weight,
        height: c.heightCm + ([...MONTHS, '2026-11-10'].indexOf(day) + 1) * 0.5,
        method: 'Terlentang',
        muac: null,
        haz: 0,
        waz: 0,
      };
      const cells = excelCells(r, () => 0.7);
      lines.push(EXCEL_COLUMNS.map((col) => cells[col]).map((v) => (/[;"\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)).join(';'));
    }
  });
  return Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`);
}

describe('early warning (issue 23)', () => {
  let t: TestApp;
  let w: World;
  let cm: Record<string, string>;
  const ids = new Map<string, string>();

  const readings = (subjectId: string) =>
    t.sql<{ id: string; day: string; trend: string | null; warnings: string[]; waz: number | null }>(
      `SELECT id, measured_on::text AS day, trend, warnings, waz FROM measurements WHERE subject_id = $1 ORDER BY measured_on, created_at`,
      [subjectId],
    );
  const openFlags = async (subjectId: string) =>
    (await t.sql<{ kind: string }>(`SELECT kind FROM growth_flags WHERE subject_id = $1 AND cleared_by IS NULL ORDER BY kind`, [subjectId])).map((f) => f.kind);

  beforeAll(async () => {
    t = await createTestApp({ JWT_TTL_SECONDS: String(30 * 24 * 3600) });
    w = await buildWorld(t);
    cm = bearer(w.a.tokens.case_manager);
    // A TPK team covers the children's village: a 2T, BGM or faltering flag schedules its visit.
    await t
      .http()
      .post('/api/v1/tpk-teams')
      .set(cm)
      .send({ villageCode: REGENCY_A.village, name: 'TPK Peringatan', members: [{ userId: w.a.userIds.tpk, tpkRole: 'bidan' }], coordinatorUserId: w.a.userIds.tpk })
      .expect(201);
  });
  afterAll(async () => {
    // Referral tasks, follow-up accompaniments and cases: each stored state is the fold of its history.
    if (t) await checkEveryCaseReplays(t);
    await t?.close();
  });

  it('an Excel-saved file of three monthly weighings per child stores each reading\'s KMS code and raises exactly the expected flags', async () => {
    const done = await importFile(t, cm, await excelFile(CHILDREN), REGENCY_A.code, { name: 'ePPGBM Agustus-Oktober.csv' });
    expect(done).toMatchObject({ status: 'done', rowsRejected: 0, rowsTaken: 18 });
    for (const c of CHILDREN) {
      const [{ id }] = await t.sql<{ id: string }>(`SELECT id FROM subjects WHERE name = $1`, [`Anak ${c.key} Peringatan`]);
      ids.set(c.key, id);
      const rs = await readings(id);
      expect([c.key, rs.map((r) => r.trend)]).toEqual([c.key, EXPECTED[c.key].codes]);
      expect([c.key, await openFlags(id)]).toEqual([c.key, EXPECTED[c.key].flags]);
    }
    // A flag is stored with the reading that raised it.
    const [twoT] = await t.sql<{ raised_by: string; raised_on: string }>(`SELECT raised_by, raised_on::text FROM growth_flags WHERE subject_id = $1`, [ids.get('twoT')]);
    const rs = await readings(ids.get('twoT')!);
    expect(twoT).toEqual({ raised_by: rs[2].id, raised_on: MONTHS[2] });
    expect(rs[2].warnings).toEqual(['2T']);
    // A TPK follow-up visit due within 7 days for each child newly flagged 2T, BGM or faltering (one per
    // child, however many flags), where no case already owns the child; none for above_orange.
    const visits = await t.sql<{ subject_id: string; due_on: string }>(`SELECT subject_id, due_on::text FROM accompaniments WHERE target_group = 'BALITA' AND state = 'open'`);
    const withCase = new Set((await t.sql<{ subject_id: string }>(`SELECT subject_id FROM cases WHERE state <> 'closed'`)).map((c) => c.subject_id));
    const referring = ['twoT', 'bgm', 'faltering'].map((k) => ids.get(k)!).filter((id) => !withCase.has(id));
    expect(referring).toEqual(expect.arrayContaining([ids.get('twoT'), ids.get('faltering')]));
    expect(visits.map((v) => v.subject_id).sort()).toEqual([...referring].sort());
    expect(visits.every((v) => v.due_on === '2026-11-30')).toBe(true);
    const due = await t.http().get('/api/v1/visits/due?until=2026-12-31').set(bearer(w.a.tokens.tpk)).expect(200);
    expect(due.body.items.filter((d: { targetGroup: string }) => d.targetGroup === 'BALITA').map((d: { visit: string }) => d.visit)).toEqual(referring.map(() => 'TINDAK_LANJUT'));
    // Through the API too.
    const growth = await t.http().get(`/api/v1/subjects/${ids.get('twoT')}/growth`).set(cm).expect(200);
    expect(growth.body.items.map((m: { trend: string }) => m.trend)).toEqual(['B', 'T', '2T']);
    // One referral task per child so flagged and without a case, in DINKES's inbox, with the reading as evidence.
    const referrals = await t.sql<{ subject_id: string; state: string; evidence: { flag: string; measurementId: string; raisedOn: string } }>(
      `SELECT subject_id, state, evidence FROM tasks WHERE case_id IS NULL`,
    );
    expect(referrals.map((r) => r.subject_id).sort()).toEqual([...referring].sort());
    expect(referrals.find((r) => r.subject_id === ids.get('twoT'))).toEqual({ subject_id: ids.get('twoT'), state: 'assigned', evidence: { flag: '2T', measurementId: rs[2].id, raisedOn: MONTHS[2] } });
    const inbox = await t.http().get('/api/v1/tasks').set(bearer(w.a.tokens.opd_liaison)).expect(200);
    const mine = inbox.body.items.filter((x: { caseId: string | null }) => x.caseId === null);
    expect(mine).toHaveLength(referring.length);
    expect(mine[0]).toMatchObject({ opd: { code: 'DINKES' }, referral: { flag: expect.any(String) }, allowedEvents: ['ACKNOWLEDGE', 'DECLINE'] });
    expect(mine.map((x: { subject: { id: string } }) => x.subject.id).sort()).toEqual([...referring].sort());
    // The child with a case got none: the case owns its follow-up.
    for (const k of ['twoT', 'bgm', 'faltering']) if (withCase.has(ids.get(k)!)) expect(referrals.some((r) => r.subject_id === ids.get(k))).toBe(false);
  });

  it('a lapsed referral escalates once per rung of the ladder, to the OPD and then up', async () => {
    const sweeper = t.app.get(EscalationSweeper);
    const before = t.clock.now();
    t.clock.advance(90 * 86_400_000);
    await sweeper.sweep();
    await sweeper.sweep();
    t.clock.set(before);
    const referralIds = (await t.sql<{ id: string }>(`SELECT id FROM tasks WHERE case_id IS NULL`)).map((r) => r.id);
    const fired = await t.sql<{ aggregate_id: string; level: number; step: string }>(
      `SELECT aggregate_id, level, step FROM escalations WHERE aggregate_type = 'task' AND aggregate_id = ANY($1::uuid[]) ORDER BY aggregate_id, level`,
      [referralIds],
    );
    const levels = [...new Set(fired.map((f) => f.level))];
    expect(levels.length).toBeGreaterThan(1);
    for (const id of referralIds) {
      const mine = fired.filter((f) => f.aggregate_id === id);
      expect(mine.map((f) => f.level)).toEqual(levels);
      expect(mine.every((f) => f.step === 'acknowledge')).toBe(true);
    }
  });

  it('the watch lists flagged and lost children by village, newest flag first, with counts per flag; viewers see initials; other regencies nothing', async () => {
    const res = await t.http().get(`/api/v1/reports/early-warning?month=2026-10&villageCode=${REGENCY_A.village}`).set(cm).expect(200);
    expect(res.body).toMatchObject({ regencyCode: REGENCY_A.code, month: '2026-10', asOf: '2026-10-31', counts: { '2T': 2, BGM: 1, above_orange: 1, faltering: 1, lost: 1 } });
    const [village] = res.body.villages;
    expect(village.villageCode).toBe(REGENCY_A.village);
    const byId = new Map(village.children.map((c: { subjectId: string }) => [c.subjectId, c]));
    expect(byId.get(ids.get('lost'))).toMatchObject({ lost: true, lastReadingOn: MONTHS[0], flags: [] });
    expect(byId.get(ids.get('faltering'))).toMatchObject({ lost: false, flags: expect.arrayContaining([expect.objectContaining({ kind: 'faltering' })]) });
    expect(byId.has(ids.get('gains'))).toBe(false);
    const newest = village.children.map((c: { flags: { raisedOn: string }[] }) => c.flags.map((f) => f.raisedOn).sort().pop() ?? '');
    expect(newest.filter(Boolean)).toEqual([...newest.filter(Boolean)].sort().reverse());
    // The kecamatan filter finds the same; a viewer gets initials only; regency B sees none of it.
    const kec = await t.http().get(`/api/v1/reports/early-warning?month=2026-10&kecamatanCode=${REGENCY_A.district}`).set(cm).expect(200);
    expect(kec.body.counts).toEqual(res.body.counts);
    const viewer = await t.http().get(`/api/v1/reports/early-warning?month=2026-10&villageCode=${REGENCY_A.village}`).set(bearer(w.a.tokens.viewer)).expect(200);
    expect(viewer.body.villages[0].children.every((c: { name: string }) => /^([A-Z]\. ?)+$/.test(c.name))).toBe(true);
    await t.http().get(`/api/v1/reports/early-warning?villageCode=${REGENCY_A.village}`).set(bearer(w.b.tokens.case_manager)).expect(404);
    await t.http().get('/api/v1/reports/early-warning?month=2026-13').set(cm).expect(400);
  });

  it('SKDN counts equal the counts computed from the stored readings', async () => {
    const res = await t.http().get(`/api/v1/reports/skdn?month=2026-10&villageCode=${REGENCY_A.village}`).set(cm).expect(200);
    const kids = await t.sql<{ id: string }>(
      `SELECT id FROM subjects WHERE village_code = $1 AND target_group IN ('BALITA', 'BADUTA') AND birth_date <= '2026-10-31' AND birth_date > '2021-10-31'`,
      [REGENCY_A.village],
    );
    const all = await t.sql<{ subject_id: string; day: string; trend: string | null; warnings: string[] }>(
      `SELECT subject_id, measured_on::text AS day, trend, warnings FROM measurements WHERE subject_id = ANY($1::uuid[])`,
      [kids.map((k) => k.id)],
    );
    const october = all.filter((r) => r.day.startsWith('2026-10') && r.trend !== null);
    const count = (code: string) => october.filter((r) => r.trend === code).length;
    const lastOf = (id: string) => all.filter((r) => r.subject_id === id && r.day <= '2026-10-31').map((r) => r.day).sort().pop();
    const expected = {
      s: kids.length,
      k: kids.filter((k) => lastOf(k.id)).length,
      d: new Set(october.map((r) => r.subject_id)).size,
      n: count('N'),
      t: count('T') + count('2T'),
      twoT: count('2T'),
      o: count('O'),
      b: count('B'),
      bgm: october.filter((r) => r.warnings.includes('BGM')).length,
      lost: kids.filter((k) => {
        const last = lastOf(k.id);
        return last && last <= '2026-09-01';
      }).length,
    };
    expect(res.body.villages).toHaveLength(1);
    expect(res.body.villages[0]).toMatchObject(expected);
    expect(res.body.total).toMatchObject(expected);
    expect(expected).toMatchObject({ d: 6, n: 3, t: 2, twoT: 2, o: 1, lost: 1 });
  });

  it('a fourth month that gains clears the 2T flag with that reading', async () => {
    // The same rows' identities (NIK), November only.
    const fourth: Child[] = CHILDREN.map((c) => ({ ...c, weights: c.key === 'twoT' ? [['2026-11-10', 9.5]] : [] }));
    const done = await importFile(t, cm, await excelFile(fourth), REGENCY_A.code, { name: 'ePPGBM November.csv' });
    expect(done).toMatchObject({ status: 'done', rowsTaken: 1 });
    const rs = await readings(ids.get('twoT')!);
    expect(rs.map((r) => r.trend)).toEqual(['B', 'T', '2T', 'N']);
    expect(await openFlags(ids.get('twoT')!)).toEqual([]);
    const [flag] = await t.sql(`SELECT cleared_by, cleared_on::text FROM growth_flags WHERE subject_id = $1`, [ids.get('twoT')]);
    expect(flag).toEqual({ cleared_by: rs[3].id, cleared_on: '2026-11-10' });
  });

  it('a reading entered late re-scores the readings after it, and their flags', async () => {
    const id = ids.get('missed')!;
    // September was weighed after all, entered in November: October is no longer O.
    const late = await t.http().post(`/api/v1/subjects/${id}/measurements`).set(cm).send({ measuredAt: '2026-09-10', weightKg: 9.1, heightCm: 77.5, method: 'recumbent' }).expect(201);
    expect(late.body.trend).toBe('T');
    expect((await readings(id)).map((r) => r.trend)).toEqual(['B', 'T', '2T']);
    expect(await openFlags(id)).toEqual(['2T']);
    expect(await t.sql(`SELECT count(*)::int AS n FROM accompaniments WHERE subject_id = $1 AND target_group = 'BALITA'`, [id])).toEqual([{ n: 1 }]);
    expect(await t.sql(`SELECT count(*)::int AS n FROM tasks WHERE subject_id = $1`, [id])).toEqual([{ n: 1 }]);
    // And a late reading that gained in between ends it again.
    await t.http().post(`/api/v1/subjects/${id}/measurements`).set(cm).send({ measuredAt: '2026-09-02', weightKg: 9.4, heightCm: 77.5, method: 'recumbent' }).expect(201);
    expect((await readings(id)).map((r) => r.trend)).toEqual(['B', 'N', null, 'T']);
    expect(await openFlags(id)).toEqual([]);
  });

  it('a child flagged again while its referral is open gets no second one', async () => {
    const id = ids.get('twoT')!;
    // November's gain cleared 2T; December and January do not gain: 2T is raised anew, the referral of October still open.
    const before = t.clock.now();
    t.clock.set(new Date('2027-01-20T03:00:00Z'));
    // Two months on, the case manager logs in again (tokens live 30 days at most).
    const [{ username }] = await t.sql<{ username: string }>(`SELECT username FROM users WHERE id = $1`, [w.a.userIds.case_manager]);
    const later = bearer(await login(t, username, passwordOf(username)));
    for (const day of ['2026-12-10', '2027-01-10']) {
      await t.http().post(`/api/v1/subjects/${id}/measurements`).set(later).send({ measuredAt: day, weightKg: 9.5, heightCm: 80, method: 'recumbent' }).expect(201);
    }
    t.clock.set(before);
    const flags = await t.sql<{ kind: string; raised_on: string; cleared_on: string | null }>(
      `SELECT kind, raised_on::text, cleared_on::text FROM growth_flags WHERE subject_id = $1 ORDER BY raised_on`,
      [id],
    );
    expect(flags).toEqual([
      { kind: '2T', raised_on: MONTHS[2], cleared_on: '2026-11-10' },
      { kind: '2T', raised_on: '2027-01-10', cleared_on: null },
    ]);
    expect(await t.sql(`SELECT count(*)::int AS n FROM tasks WHERE subject_id = $1`, [id])).toEqual([{ n: 1 }]);
  });
});
