import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildOpenApiDocument } from '../../src/openapi/document.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { bearer, buildWideActors, buildWorld, createUser, nikFor, REGENCY_A, REGENCY_B, type RegencyWorld, type WideActors, type World } from '../support/world.js';

/**
 * Province and nation (issue 18, part 5): a province-32 viewer sees the aggregates of both world
 * regencies (3216 and 3273 are in province 32) and nothing by name; a province-31 viewer sees
 * nothing of 32; a national viewer sees both; a province admin manages its own province's users only.
 */
describe('province and national users: aggregates only, never another province', () => {
  let t: TestApp;
  let world: World;
  let wide: WideActors;
  /** What must never reach an aggregates-only reader: NIKs, names and ids of children, cases, tasks. */
  const secrets: string[] = [];
  const caseOf: Record<string, string> = {};
  const taskOf: Record<string, string> = {};
  /** The month the readings are in (T0 is 2026-11-23). */
  const MONTH = '2026-11';

  beforeAll(async () => {
    t = await createTestApp();
    world = await buildWorld(t);
    wide = await buildWideActors(t, world.nationalToken);
    for (const w of [world.a, world.b]) {
      const cm = bearer(w.tokens.case_manager);
      const district = w === world.a ? REGENCY_A.district : REGENCY_B.district;
      for (let i = 0; i < 3; i++) {
        const nik = nikFor(district, '010325');
        const name = `Anak Rahasia ${w.regencyCode} ${i}`;
        const res = await t.http().post('/api/v1/subjects').set(cm).send({ targetGroup: 'BALITA', name, sex: 'F', birthDate: '2025-03-01', nik, villageCode: w.village }).expect(201);
        secrets.push(nik, name, res.body.id);
        if (i < 2) {
          await t
            .http()
            .post(`/api/v1/subjects/${res.body.id}/measurements`)
            .set(cm)
            .send({ measuredAt: `${MONTH}-0${i + 2}`, weightKg: 8.1 + i, heightCm: 71 + i, method: 'recumbent' })
            .expect(201);
        }
        if (i === 2) {
          const c = await t.http().post('/api/v1/cases').set(cm).send({ subjectId: res.body.id, identifiedAt: `${MONTH}-02`, source: 'manual' }).expect(201);
          const task = await t.http().post(`/api/v1/cases/${c.body.id}/tasks`).set(cm).send({ opdCode: 'DINKES', action: 'Kunjungan rumah' }).expect(201);
          caseOf[w.regencyCode] = c.body.id;
          taskOf[w.regencyCode] = task.body.id;
          secrets.push(c.body.id, task.body.id);
        }
      }
      secrets.push(w.subjectId, `Anak ${w === world.a ? 'a' : 'b'}`);
    }
  }, 300_000);

  afterAll(async () => {
    await t?.close();
  });

  const as = (token: string) => bearer(token);

  it('GET /users/me names the province (and none for a national viewer)', async () => {
    const me = await t.http().get('/api/v1/users/me').set(as(wide.tokens.provinceViewer)).expect(200);
    expect([me.body.role, me.body.regencyCode, me.body.provinceCode]).toEqual(['viewer', null, '32']);
    const national = await t.http().get('/api/v1/users/me').set(as(wide.tokens.nationalViewer)).expect(200);
    expect([national.body.role, national.body.regencyCode, national.body.provinceCode]).toEqual(['viewer', null, null]);
  });

  /** S and D of a month, computed here from the stored rows (children under five of the regency; children weighed that month). */
  async function storedSkdn(regencyCode: string): Promise<{ s: number; d: number }> {
    const [s] = await t.sql<{ n: string }>(
      `SELECT count(*) AS n FROM subjects WHERE regency_code = $1 AND target_group IN ('BALITA', 'BADUTA') AND birth_date <= '2026-11-30' AND birth_date > '2021-11-30'`,
      [regencyCode],
    );
    const [d] = await t.sql<{ n: string }>(
      `SELECT count(DISTINCT m.subject_id) AS n FROM measurements m JOIN subjects s ON s.id = m.subject_id
        WHERE s.regency_code = $1 AND m.measured_on BETWEEN '2026-11-01' AND '2026-11-30' AND m.trend IS NOT NULL`,
      [regencyCode],
    );
    return { s: Number(s.n), d: Number(d.n) };
  }

  it('SKDN: the province viewer and the national viewer read both regencies, equal to the regency and to the stored rows', async () => {
    for (const w of [world.a, world.b]) {
      const own = await t.http().get(`/api/v1/reports/skdn?month=${MONTH}`).set(as(w.tokens.case_manager)).expect(200);
      const stored = await storedSkdn(w.regencyCode);
      expect(stored.s).toBeGreaterThanOrEqual(4);
      expect({ s: own.body.total.s, d: own.body.total.d }).toEqual(stored);
      for (const token of [wide.tokens.provinceViewer, wide.tokens.provinceAdmin, wide.tokens.nationalViewer]) {
        const res = await t.http().get(`/api/v1/reports/skdn?month=${MONTH}&regencyCode=${w.regencyCode}`).set(as(token)).expect(200);
        expect(res.body).toEqual(own.body);
        const byVillage = await t.http().get(`/api/v1/reports/skdn?month=${MONTH}&villageCode=${w.village}`).set(as(token)).expect(200);
        expect(byVillage.body.total.s).toBe(own.body.villages.find((v: { villageCode: string }) => v.villageCode === w.village).s);
      }
    }
    const missing = await t.http().get(`/api/v1/reports/skdn?month=${MONTH}`).set(as(wide.tokens.provinceViewer)).expect(400);
    expect(missing.body.details.fields).toEqual([{ field: 'regencyCode', reason: 'is required for a national or province user' }]);
    // A regency of another province (Kota Jakarta Pusat) answers as if it did not exist.
    await t.http().get(`/api/v1/reports/skdn?month=${MONTH}&regencyCode=3171`).set(as(wide.tokens.provinceViewer)).expect(404);
  });

  it('a viewer of province 31 sees nothing of province 32', async () => {
    const other = as(wide.tokens.otherProvinceViewer);
    for (const w of [world.a, world.b]) {
      await t.http().get(`/api/v1/reports/skdn?month=${MONTH}&regencyCode=${w.regencyCode}`).set(other).expect(404);
      await t.http().get(`/api/v1/reports/skdn?month=${MONTH}&villageCode=${w.village}`).set(other).expect(404);
      await t.http().get(`/api/v1/reports/overdue?groupBy=village&regencyCode=${w.regencyCode}`).set(other).expect(404);
    }
    // Jakarta holds no data: its own regency answers empty, never 32's numbers.
    const jakarta = await t.http().get(`/api/v1/reports/skdn?month=${MONTH}&regencyCode=3171`).set(other).expect(200);
    expect([jakarta.body.total.s, jakarta.body.villages]).toEqual([0, []]);
  });

  it('overdue report: a province counts its regencies, another province none, the nation all, each equal to the stored deadlines', async () => {
    // The world's steps are weeks from due: bring every deadline 120 days forward, so they are overdue now.
    await t.sql(`UPDATE step_deadlines SET due_at = due_at - interval '120 days'`);
    {
      const now = t.clock.now();
      const stored = async (prefix: string) =>
        Number(
          (await t.sql<{ n: string }>(`SELECT count(*) AS n FROM step_deadlines WHERE due_at < $1 AND left(regency_code, length($2)) = $2`, [now, prefix]))[0].n,
        );
      const total = async (token: string, query = '') => {
        const res = await t.http().get(`/api/v1/reports/overdue?groupBy=state${query}`).set(as(token)).expect(200);
        return (res.body.groups as { count: number }[]).reduce((sum, g) => sum + g.count, 0);
      };
      const province = await stored('32');
      expect(province).toBeGreaterThanOrEqual(2);
      expect(await total(wide.tokens.provinceViewer)).toBe(province);
      expect(await total(wide.tokens.provinceViewer, `&regencyCode=${world.b.regencyCode}`)).toBe(await stored(world.b.regencyCode));
      expect(await total(wide.tokens.otherProvinceViewer)).toBe(0);
      expect(await total(wide.tokens.nationalViewer)).toBe(await stored(''));
      expect(await total(world.a.tokens.viewer)).toBe(await stored(world.a.regencyCode));
    }
  });

  /** A value for each path parameter: a record of regency A (in province 32) of the kind the path names. */
  function fill(path: string, w: RegencyWorld): string {
    return path.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (name === 'regencyCode' || name === 'code') return w.regencyCode;
      if (name === 'year') return '2026';
      if (path.startsWith('/api/v1/cases/')) return caseOf[w.regencyCode];
      if (path.startsWith('/api/v1/tasks/')) return taskOf[w.regencyCode];
      if (path.startsWith('/api/v1/users/')) return w.targetUserId;
      if (path.startsWith('/api/v1/opds/')) return w.opdId;
      if (path.startsWith('/api/v1/sponsors/')) return w.sponsorId;
      return w.subjectId;
    });
  }

  /** The routes open to aggregates-only users, with the query they need; every other GET must refuse them. */
  const OPEN: Record<string, string> = {
    '/api/v1/users/me': '',
    '/api/v1/regions': '?parent=32',
    '/api/v1/catalogues/causes': '',
    '/api/v1/catalogues/interventions': '',
    '/api/v1/reports/skdn': `?month=${MONTH}&regencyCode=3216`,
    '/api/v1/reports/overdue': '?groupBy=village',
    '/api/v1/lokus': '?year=2026&regencyCode=3216',
    '/api/v1/reports/lokus-watch': '?regencyCode=3216',
    '/api/v1/reports/convergence': '?level=desa&period=2026-11&code=3216',
    '/api/v1/convergence-packages/{regencyCode}': '',
    '/api/v1/reports/prevalence': '?level=desa&code=3216&from=2026-10&to=2026-11',
    '/api/v1/reports/hotspots': '?level=kecamatan&period=2026-11&code=3216',
    '/api/v1/prevalence-targets/{code}': '',
    '/api/v1/target-populations/{code}': '',
    '/api/v1/survey-figures': '',
    '/api/v1/ansit/{year}/completeness': '?regencyCode=3216',
    '/api/v1/aksi/{year}/cycle': '?regionCode=3216',
    '/api/v1/aksi/{year}': '?regionCode=3216',
  };
  /** A province admin also administers its province's users. */
  const ADMIN_OPEN = ['/api/v1/users', '/api/v1/users/{id}'];

  it('every GET route: refused (403) to province and national users unless it is an aggregate, and no NIK, name or id of a child anywhere', async () => {
    const doc = buildOpenApiDocument(t.app);
    const gets = Object.entries(doc.paths)
      .filter(([, item]) => item.get && !(Array.isArray(item.get.security) && item.get.security.length === 0))
      .map(([path]) => path)
      .filter((path) => !['/health', '/api/v1/auth/login'].includes(path));
    // The walk must reach every by-name list the issue names.
    for (const p of ['/api/v1/subjects', '/api/v1/cases', '/api/v1/tasks', '/api/v1/interventions', '/api/v1/families', '/api/v1/visits', '/api/v1/reports/early-warning', '/api/v1/subjects/{id}/timeline', '/api/v1/audit-log', '/api/v1/users']) {
      expect(gets).toContain(p);
    }
    const problems: string[] = [];
    const actors = { provinceViewer: wide.tokens.provinceViewer, provinceAdmin: wide.tokens.provinceAdmin, nationalViewer: wide.tokens.nationalViewer };
    for (const path of gets) {
      for (const [who, token] of Object.entries(actors)) {
        for (const w of [world.a, world.b]) {
          const url = fill(path, w) + (OPEN[path] ?? (path.includes('{') ? '' : '?limit=200'));
          const res = await t.http().get(url).set(as(token)).set('X-Purpose', 'province walk');
          const open = path in OPEN || (who === 'provinceAdmin' && ADMIN_OPEN.includes(path));
          if (open ? res.status !== 200 : res.status !== 403) problems.push(`${who} GET ${url}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
          // The users routes are the province admin's; to a viewer they are refused by role, as to any viewer.
          const reason = ADMIN_OPEN.includes(path) ? 'the role viewer may not do this' : 'a province or national user sees aggregates only, never records by name';
          if (!open && res.status === 403 && res.body.message !== reason) {
            problems.push(`${who} GET ${url}: refused without the plain reason: ${res.body.message}`);
          }
          const text = res.text ?? JSON.stringify(res.body);
          const leaked = secrets.filter((s) => text.includes(s));
          if (leaked.length) problems.push(`${who} GET ${url} leaked ${leaked.join(', ')}`);
        }
      }
    }
    expect(problems).toEqual([]);
  }, 240_000); // some 600 requests: on a loaded 2-core machine it outlasts the default minute

  it('a province admin manages the users of its province only', async () => {
    const admin32 = as(wide.tokens.provinceAdmin);
    const body = (username: string, extra: object) => ({ username, password: 'a-long-password-77', displayName: username, ...extra });
    // Another province, a regency of another province: refused outright.
    const elsewhere = await t.http().post('/api/v1/users').set(admin32).send(body('lain.31', { role: 'viewer', provinceCode: '31' })).expect(403);
    expect(elsewhere.body.message).toBe('provinceCode is outside your province');
    await t.http().post('/api/v1/users').set(admin32).send(body('lain.3171', { role: 'viewer', regencyCode: '3171' })).expect(403);
    // A role that works cases by name cannot be bound to a province.
    const cm = await t.http().post('/api/v1/users').set(admin32).send(body('cm.prov', { role: 'case_manager', provinceCode: '32' })).expect(400);
    expect(cm.body.details.fields).toEqual([{ field: 'provinceCode', reason: 'is only for the roles viewer and admin: a case_manager is bound to a regency' }]);
    const id = await t.http().post('/api/v1/users').set(admin32).set('Accept-Language', 'id').send(body('cm.prov2', { role: 'case_manager' })).expect(400);
    expect(id.body.details.fields[0].reason).toBe('hanya untuk peran viewer dan admin: case_manager terikat pada satu kabupaten/kota');
    // Its own province's level (the default) and a regency of its province: created.
    const viewer = await t.http().post('/api/v1/users').set(admin32).send(body('viewer.prov32', { role: 'viewer' })).expect(201);
    expect([viewer.body.provinceCode, viewer.body.regencyCode]).toEqual(['32', null]);
    const bandung = await t.http().post('/api/v1/users').set(admin32).send(body('cm.bandung2', { role: 'case_manager', regencyCode: '3273' })).expect(201);
    expect([bandung.body.provinceCode, bandung.body.regencyCode]).toEqual([null, '3273']);
    // The list: its province's users and its regencies', never another province's or the nation's.
    const list = await t.http().get('/api/v1/users?limit=200').set(admin32).expect(200);
    const rows = list.body.items as { id: string; regencyCode: string | null; provinceCode: string | null }[];
    const [stored] = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM users WHERE province_code = '32' OR left(regency_code, 2) = '32'`);
    expect(rows.length).toBe(Number(stored.n));
    expect(rows.every((u) => u.provinceCode === '32' || u.regencyCode?.startsWith('32'))).toBe(true);
    expect(rows.map((u) => u.id)).toEqual(expect.arrayContaining([world.a.targetUserId, world.b.targetUserId, wide.userIds.provinceViewer]));
    await t.http().get(`/api/v1/users/${wide.userIds.otherProvinceViewer}`).set(admin32).expect(404);
    await t.http().get(`/api/v1/users/${wide.userIds.nationalViewer}`).set(admin32).expect(404);
    await t.http().patch(`/api/v1/users/${wide.userIds.otherProvinceViewer}`).set(admin32).send({ active: false }).expect(404);
    // Moving one of its users out of the province is refused; disabling one of its province works.
    await t.http().patch(`/api/v1/users/${viewer.body.id}`).set(admin32).send({ provinceCode: '31' }).expect(403);
    await t.http().patch(`/api/v1/users/${viewer.body.id}`).set(admin32).send({ active: false }).expect(200);
  });

  it('who may be bound where: the national admin, a regency admin, a national viewer', async () => {
    const national = as(world.nationalToken);
    const body = (username: string, extra: object) => ({ username, password: 'a-long-password-77', displayName: username, ...extra });
    const unknown = await t.http().post('/api/v1/users').set(national).send(body('prov.99', { role: 'viewer', provinceCode: '99' })).expect(400);
    expect(unknown.body.details.fields).toEqual([{ field: 'provinceCode', reason: 'is not a Kemendagri province code' }]);
    const both = await t.http().post('/api/v1/users').set(national).send(body('prov.both', { role: 'viewer', provinceCode: '32', regencyCode: '3216' })).expect(400);
    expect(both.body.details.fields).toEqual([{ field: 'provinceCode', reason: 'give regencyCode or provinceCode, not both' }]);
    const auditor = await t.http().post('/api/v1/users').set(national).send(body('prov.auditor', { role: 'auditor', provinceCode: '32' })).expect(400);
    expect(auditor.body.details.fields[0].field).toBe('provinceCode');
    const nationalCm = await t.http().post('/api/v1/users').set(national).send(body('nat.cm', { role: 'case_manager' })).expect(400);
    expect(nationalCm.body.details.fields).toEqual([{ field: 'regencyCode', reason: 'is required for the role case_manager' }]);
    await createUser(t, world.nationalToken, { username: 'nat.viewer2', role: 'viewer' });
    // A regency admin cannot reach the province level; a national viewer administers nothing.
    await t.http().post('/api/v1/users').set(as(world.a.tokens.admin)).send(body('prov.by.regency', { role: 'viewer', provinceCode: '32' })).expect(403);
    await t.http().post('/api/v1/users').set(as(wide.tokens.nationalViewer)).send(body('by.viewer', { role: 'viewer' })).expect(403);
    // A province user writes nothing by name either: a POST is refused before it reaches the service.
    const write = await t
      .http()
      .post('/api/v1/subjects')
      .set(as(wide.tokens.provinceAdmin))
      .send({ targetGroup: 'BALITA', name: 'Anak baru', sex: 'F', birthDate: '2025-03-01', villageCode: REGENCY_A.village })
      .expect(403);
    expect(write.body.message).toBe('a province or national user sees aggregates only, never records by name');
  });
});
