import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ageInDays, whoTables } from '../../src/modules/growth/who/who-growth.js';
import { checkEveryCaseReplays } from '../support/cases.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, REGENCY_A, type World } from '../support/world.js';

const BIRTH = '2024-06-01';

describe('measurements: WHO z-scores and the automatic lifecycle', () => {
  let t: TestApp;
  let w: World;
  let cm: Record<string, string>;

  const child = async (name: string, sex: 'M' | 'F' = 'M', targetGroup = 'BALITA', birthDate = BIRTH) =>
    (
      await t
        .http()
        .post('/api/v1/subjects')
        .set(cm)
        .send({ targetGroup, name, sex, birthDate, villageCode: REGENCY_A.village })
        .expect(201)
    ).body.id as string;
  /** A standing height giving about `haz` for a boy born BIRTH, measured on `day`. */
  const heightFor = (day: string, haz: number) => {
    const lms = whoTables().lhfa.M[ageInDays(BIRTH, day)];
    return Math.round(lms.M * (1 + lms.S * haz) * 10) / 10;
  };
  const measure = (subjectId: string, body: object) => t.http().post(`/api/v1/subjects/${subjectId}/measurements`).set(cm).send(body);
  const caseOf = async (id: string) => (await t.http().get(`/api/v1/cases/${id}`).set(cm).expect(200)).body;

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildWorld(t);
    cm = bearer(w.a.tokens.case_manager);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('scores a reading as WHO does and returns the Permenkes categories', async () => {
    const id = await child('Normal');
    const res = await measure(id, { measuredAt: '2026-11-01', weightKg: 12.5, heightCm: heightFor('2026-11-01', 0.1), method: 'standing' }).expect(201);
    expect(res.body).toMatchObject({ ageDays: ageInDays(BIRTH, '2026-11-01'), flags: [], needsRemeasurement: false, caseId: null });
    expect(Math.abs(res.body.haz - 0.1)).toBeLessThan(0.05);
    expect(res.body.status.haz).toBe('normal');
    expect(typeof res.body.waz).toBe('number');
    expect(typeof res.body.whz).toBe('number');
    expect(await t.sql('SELECT count(*)::int AS n FROM cases WHERE subject_id = $1', [id])).toEqual([{ n: 0 }]);
  });

  it('a stunted reading opens a case, with the measurement in its first history entry', async () => {
    const id = await child('Pendek');
    const res = await measure(id, { measuredAt: '2026-11-02', weightKg: 10.1, heightCm: heightFor('2026-11-02', -2.6), method: 'standing' }).expect(201);
    expect(res.body.status.haz).toBe('pendek');
    expect(res.body.caseId).toEqual(expect.any(String));
    const c = await caseOf(res.body.caseId);
    expect(c).toMatchObject({ state: 'identified', source: 'manual', subject: { id } });
    const history = await t.http().get(`/api/v1/cases/${res.body.caseId}/history`).set(cm).expect(200);
    expect(history.body.items[0]).toMatchObject({ type: 'OPEN', payload: { measurement: { id: res.body.id, haz: res.body.haz } } });
    // A second stunted reading does not open another case: it belongs to the open one, and says why it did not move it.
    const again = await measure(id, { measuredAt: '2026-11-03', heightCm: heightFor('2026-11-03', -2.7), method: 'standing' }).expect(201);
    expect(again.body).toMatchObject({ caseId: res.body.caseId, caseEffect: 'linked', caseReason: expect.stringContaining('identified') });
    expect(await t.sql('SELECT count(*)::int AS n FROM cases WHERE subject_id = $1', [id])).toEqual([{ n: 1 }]);
  });

  it('an implausible reading or a height drop asks for a re-measurement and touches no case', async () => {
    const id = await child('Salah Ukur');
    const wild = await measure(id, { measuredAt: '2026-11-02', heightCm: 55, method: 'standing' }).expect(201);
    expect(wild.body).toMatchObject({ needsRemeasurement: true, caseId: null });
    expect(wild.body.flags).toContain('haz_implausible');
    await measure(id, { measuredAt: '2026-10-01', heightCm: heightFor('2026-10-01', -0.5), method: 'standing' }).expect(201);
    const drop = await measure(id, { measuredAt: '2026-10-20', heightCm: heightFor('2026-10-01', -0.5) - 1.5, method: 'standing' }).expect(201);
    expect(drop.body.flags).toContain('height_drop');
    expect(drop.body).toMatchObject({ needsRemeasurement: true, caseId: null });
    expect(await t.sql('SELECT count(*)::int AS n FROM cases WHERE subject_id = $1', [id])).toEqual([{ n: 0 }]);
  });

  it('a reading after the intervention started re-measures the case, in the same transaction', async () => {
    const id = await child('Intervensi');
    const first = await measure(id, { measuredAt: '2026-09-01', heightCm: heightFor('2026-09-01', -2.8), method: 'standing' }).expect(201);
    const caseId = first.body.caseId as string;
    const send = (version: number, body: object) =>
      t.http().post(`/api/v1/cases/${caseId}/events`).set(cm).set('If-Match', String(version)).send(body).expect(200);
    await send(1, {
      type: 'RECORD_AUDIT',
      auditedAt: '2026-09-10',
      cycle: '2026-S2',
      causes: ['INADEQUATE_INTAKE'],
      recommendations: [{ action: 'PMT', opdCode: 'DINKES' }],
      experts: [{ specialty: 'GIZI' }],
    });
    await send(2, { type: 'START_INTERVENTION', startedAt: '2026-09-15', description: 'PMT lokal' });
    // Before the day the intervention started: linked, not a re-measurement.
    const before = await measure(id, { measuredAt: '2026-09-14', heightCm: heightFor('2026-09-14', -2.75), method: 'standing' }).expect(201);
    expect(before.body).toMatchObject({ caseId, caseEffect: 'linked', caseReason: expect.stringContaining('before the intervention started') });
    // The day it started is a calendar day in the regency (WIB): a reading of that day re-measures.
    const sameDay = await measure(id, { measuredAt: '2026-09-15', heightCm: heightFor('2026-09-15', -2.7), method: 'standing' }).expect(201);
    expect(sameDay.body).toMatchObject({ caseId, caseEffect: 'remeasured' });
    const later = await measure(id, { measuredAt: '2026-11-10', weightKg: 11, heightCm: heightFor('2026-11-10', -1.9), method: 'standing' }).expect(201);
    expect(later.body).toMatchObject({ caseId, caseEffect: 'linked', caseReason: expect.stringContaining('remeasured') });
    const c = await caseOf(caseId);
    // 2026-09-15 00:00 WIB, the start of the day the intervention started.
    expect(c).toMatchObject({ state: 'remeasured', version: 4, context: { lastMeasuredAt: '2026-09-14T17:00:00.000Z' } });
    const history = await t.http().get(`/api/v1/cases/${caseId}/history`).set(cm).expect(200);
    expect(history.body.items[3]).toMatchObject({ type: 'RECORD_REMEASUREMENT', payload: { measurementId: sameDay.body.id } });
    // The outcome comes from the stored readings: -2.8 at identification, about -1.9 now.
    const resolved = await send(4, { type: 'RESOLVE', note: 'tumbuh baik' });
    expect(resolved.body.state).toBe('resolved');
    expect(await checkEveryCaseReplays(t)).toBeGreaterThan(1);
  });

  it('returns the growth series with the WHO reference lines', async () => {
    const id = await child('Grafik');
    await measure(id, { measuredAt: '2026-08-01', weightKg: 10, heightCm: heightFor('2026-08-01', -1), method: 'standing' }).expect(201);
    await measure(id, { measuredAt: '2026-11-01', weightKg: 10.6, heightCm: heightFor('2026-11-01', -0.9), method: 'standing' }).expect(201);
    const g = await t.http().get(`/api/v1/subjects/${id}/growth`).set(bearer(w.a.tokens.auditor)).expect(200);
    expect(g.body.items.map((m: { measuredAt: string }) => m.measuredAt)).toEqual(['2026-08-01', '2026-11-01']);
    const ref = g.body.items[0].reference.lengthHeightCm;
    expect(ref['-3']).toBeLessThan(ref['-2']);
    expect(ref['-2']).toBeLessThan(ref['0']);
    expect(ref['0']).toBeLessThan(ref['2']);
    expect(g.body.items[0].lengthHeightCm).toBeGreaterThan(ref['-2']);
    await t.http().get(`/api/v1/subjects/${id}/growth`).set(bearer(w.b.tokens.case_manager)).expect(404);
  });

  it('refuses bad readings with the field and writes nothing', async () => {
    const id = await child('Tolak');
    const count = () => t.sql('SELECT count(*)::int AS n FROM measurements');
    const before = await count();
    const bad = async (body: object, field: string) => {
      const res = await measure(id, body);
      expect([res.status, res.body.error]).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    };
    await bad({ measuredAt: '2024-05-01', heightCm: 60, method: 'recumbent' }, 'measuredAt');
    await bad({ measuredAt: '2026-12-30', heightCm: 90, method: 'standing' }, 'measuredAt');
    await bad({ measuredAt: '2026-11-01', weightKg: 80, method: 'standing' }, 'weightKg');
    await bad({ measuredAt: '2026-11-01', heightCm: 20, method: 'standing' }, 'heightCm');
    await bad({ measuredAt: '2026-11-01', heightCm: 90, method: 'sitting' }, 'method');
    await bad({ measuredAt: '2026-11-01', method: 'standing' }, 'weightKg');
    await bad({ measuredAt: '2026-11-01', heightCm: 90, method: 'standing', haz: -3 }, 'haz');
    expect(await count()).toEqual(before);
    await measure(id, { measuredAt: '2026-11-01', heightCm: 90, method: 'standing' }).expect(201);
    const dup = await measure(id, { measuredAt: '2026-11-01', heightCm: 90, method: 'standing' });
    expect([dup.status, dup.body.error]).toEqual([409, 'CONFLICT']);
  });

  it("a mother's reading is stored without child z-scores", async () => {
    const id = await child('Ibu Hamil', 'F', 'IBU_HAMIL', '1999-01-01');
    const res = await measure(id, { measuredAt: '2026-11-01', weightKg: 52, heightCm: 150, method: 'standing', muacCm: 22.5 }).expect(201);
    expect(res.body).toMatchObject({ haz: null, waz: null, whz: null, muacCm: 22.5, caseId: null });
  });
});
