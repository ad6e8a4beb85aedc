import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkEveryCaseReplays } from '../support/cases.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, REGENCY_A } from '../support/world.js';

/** Drives a few cases to different states and returns everything stored about them. */
async function populate(t: TestApp): Promise<void> {
  const w = await buildWorld(t);
  const cm = bearer(w.a.tokens.case_manager);
  const steps = [
    [],
    [{ type: 'CLOSE', reason: 'transferred', note: 'pindah' }],
    [
      { type: 'RECORD_AUDIT', auditedAt: '2026-11-10', cycle: '2026-S2', causes: ['POVERTY'], recommendations: [{ action: 'PKH', opdCode: 'DINKES' }], experts: [{ specialty: 'GIZI' }] },
      { type: 'START_INTERVENTION', startedAt: '2026-11-11', description: 'PMT' },
      { type: 'RECORD_REMEASUREMENT', measuredAt: '2026-11-20', heightCm: 75.5, method: 'recumbent' },
    ],
  ];
  for (const [i, events] of steps.entries()) {
    const subject = await t
      .http()
      .post('/api/v1/subjects')
      .set(cm)
      .send({ targetGroup: 'BADUTA', name: `Anak ${i}`, sex: 'M', birthDate: '2025-06-01', villageCode: REGENCY_A.village })
      .expect(201);
    const c = await t.http().post('/api/v1/cases').set(cm).send({ subjectId: subject.body.id, identifiedAt: '2026-11-05', source: 'referral' }).expect(201);
    for (const [v, e] of events.entries()) {
      await t.http().post(`/api/v1/cases/${c.body.id}/events`).set(cm).set('If-Match', String(v + 1)).send(e).expect(200);
    }
  }
}

const dump = (t: TestApp) =>
  Promise.all([
    t.sql('SELECT id, state, version, machine_version, snapshot, step_due_at FROM cases ORDER BY id'),
    t.sql('SELECT * FROM case_history ORDER BY case_id, seq'),
  ]).then((x) => JSON.stringify(x));

/** Populates, restarts through `reboot`, and checks that every stored byte and the replay hold. */
async function survivesRestart(first: TestApp, reboot: () => Promise<TestApp>): Promise<void> {
  await populate(first);
  const before = await dump(first);
  const second = await reboot();
  try {
    expect(await dump(second)).toBe(before);
    expect(await checkEveryCaseReplays(second)).toBe(3);
  } finally {
    await second.close();
  }
}

describe('cases survive a restart unchanged', () => {
  it('on the embedded database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tuntas-cases-'));
    try {
      const first = await createTestApp({ DATA_DIR: dir });
      await survivesRestart(first, async () => {
        await first.close();
        return createTestApp({ DATA_DIR: dir });
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000); // every migration runs on a fresh embedded database: more than a minute on a busy 2-core machine

  (process.env.TEST_DATABASE_URL ? it : it.skip)('on the PostgreSQL server', async () => {
    const first = await createTestApp();
    try {
      await survivesRestart(first, async () => {
        await first.close({ keepDatabase: true });
        return createTestApp(first.env);
      });
    } finally {
      await first.dropDatabase();
    }
  });
});
