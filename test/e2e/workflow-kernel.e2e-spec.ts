import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { assign, setup } from 'xstate';
import { DomainError } from '../../src/common/errors/domain-error.js';
import type { Actor } from '../../src/modules/identity/actor.js';
import { resolvePolicy } from '../../src/modules/escalation/policy.js';
import type { AggregateType, LifecycleDefinition, LifecycleRow, Loaded, Transition } from '../../src/workflow/lifecycle.js';
import { WorkflowService } from '../../src/workflow/workflow.service.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface ToyRow extends LifecycleRow {
  partnerId: string | null;
  bumps: number;
}

/** A toy lifecycle: idle → running → stopped, BUMP counts while running (and refuses n ≤ 0 in the machine only). */
const toyMachine = setup({
  types: { context: {} as { bumps: number; startedBy: string | null }, events: {} as { type: string; n?: number; by?: string; at: string } },
}).createMachine({
  id: 'toy',
  initial: 'idle',
  context: { bumps: 0, startedBy: null },
  states: {
    idle: { on: { START: { target: 'running', actions: assign({ startedBy: ({ event }) => event.by ?? null }) } } },
    running: {
      on: {
        BUMP: { guard: ({ event }) => (event.n ?? 0) > 0, actions: assign({ bumps: ({ context, event }) => context.bumps + (event.n ?? 0) }) },
        STOP: { target: 'stopped' },
      },
    },
    stopped: { type: 'final' },
  },
});

const TOY = 'toy' as AggregateType;

/**
 * The kernel on a lifecycle of its own, not one of the product's: what every lifecycle gets from
 * WorkflowService.apply without writing it again.
 */
describe('the workflow kernel, on a toy lifecycle', () => {
  let t: TestApp;
  let wf: WorkflowService;
  const actor: Actor = { userId: randomUUID(), username: 'toy', displayName: 'Toy', role: 'case_manager', regencyCode: '3216', provinceCode: null, level: 'regency', opdId: null, sponsorId: null, villageCodes: null };
  const viewer: Actor = { ...actor, role: 'viewer' };

  const toy: LifecycleDefinition<ToyRow> = {
    type: TOY,
    noun: 'toy',
    machine: () => toyMachine,
    latestMachine: 1,
    table: 'toys',
    history: 'toy_history',
    historyKey: 'toy_id',
    columns: [{ prop: 'bumps', column: 'bumps' }],
    eventRoles: { START: ['case_manager'], BUMP: ['case_manager'], STOP: ['case_manager'] },
    finished: ['stopped'],
    effects: { STOP: [`${TOY}:stop-partner`] },
    reactions: {
      'stop-partner': async (tr: Transition<never>) => {
        const row = tr.row as unknown as ToyRow;
        if (!row.partnerId) return;
        await wf.apply(TOY, row.partnerId, { type: 'STOP', payload: {} }, tr.actor, { em: tr.em, cause: { aggregate: TOY, id: row.id, event: tr.event } });
      },
    },
    async load(em: EntityManager, id: string): Promise<Loaded<ToyRow> | null> {
      const [r] = await em.query(
        `SELECT id, regency_code AS "regencyCode", state, machine_version AS "machineVersion", snapshot, version, step_due_at AS "stepDueAt",
                updated_at AS "updatedAt", partner_id AS "partnerId", bumps FROM toys WHERE id = $1`,
        [id],
      );
      return r ? { row: r, policy: resolvePolicy(r.regencyCode, null), villageCode: null, opdId: null } : null;
    },
    async insert(em: EntityManager, rows: ToyRow[]) {
      for (const r of rows) {
        await em.query(
          `INSERT INTO toys (id, regency_code, state, machine_version, snapshot, version, step_due_at, updated_at, partner_id, bumps)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [r.id, r.regencyCode, r.state, r.machineVersion, JSON.stringify(r.snapshot), r.version, r.stepDueAt, r.updatedAt, r.partnerId, r.bumps],
        );
      }
    },
    inputOf: () => ({}),
    guardProblem: (type, _c, e) => (type === 'START' && e.by === 'nobody' ? 'a toy is started by somebody' : null),
    stepOf: () => null,
    changes: (_m, _to, c) => ({ bumps: (c as { bumps: number }).bumps }),
    parties: async () => new Map(),
  };

  const newToy = async (partnerId: string | null = null): Promise<string> => {
    const [row] = await wf.start<ToyRow>(TOY, t.app.get(DataSource).manager, actor, [
      {
        row: { id: randomUUID(), regencyCode: '3216', updatedAt: t.clock.now(), partnerId, bumps: 0 },
        input: {},
        entry: { type: 'MAKE', payload: {} },
        policy: resolvePolicy('3216', null),
        villageCode: null,
        opdId: null,
      },
    ]);
    return row.id;
  };
  const stored = async (id: string) => JSON.stringify(await t.sql(`SELECT t.*, (SELECT json_agg(h ORDER BY seq) FROM toy_history h WHERE h.toy_id = t.id) AS h FROM toys t WHERE id = $1`, [id]));
  const refusal = async (p: Promise<unknown>): Promise<DomainError> => {
    try {
      await p;
    } catch (e) {
      return e as DomainError;
    }
    throw new Error('the command was not refused');
  };

  beforeAll(async () => {
    t = await createTestApp();
    await t.sql(`CREATE TABLE toys (id uuid PRIMARY KEY, regency_code text NOT NULL, state text NOT NULL, machine_version int NOT NULL, snapshot jsonb NOT NULL,
                 version int NOT NULL, step_due_at timestamptz, updated_at timestamptz NOT NULL, partner_id uuid, bumps int NOT NULL)`);
    await t.sql(`CREATE TABLE toy_history (toy_id uuid NOT NULL REFERENCES toys (id), seq int NOT NULL, regency_code text NOT NULL, type text NOT NULL,
                 from_state text, to_state text NOT NULL, payload jsonb NOT NULL, actor_id uuid, actor_role text, machine_version int NOT NULL,
                 at timestamptz NOT NULL, cause jsonb, PRIMARY KEY (toy_id, seq))`);
    wf = t.app.get(WorkflowService);
    wf.define(toy as unknown as LifecycleDefinition);
  });
  afterAll(async () => {
    await t.sql('DROP TABLE toy_history');
    await t.sql('DROP TABLE toys');
    await t.close();
  });

  it('moves, records history with the actor and the new version, and offers only what the role may send', async () => {
    const id = await newToy();
    const { row } = await wf.apply<ToyRow>(TOY, id, { type: 'START', payload: { by: 'ana' } }, actor, { expectedVersion: 1 });
    expect(row).toMatchObject({ state: 'running', version: 2 });
    expect(wf.allowedEvents(TOY, actor, row).sort()).toEqual(['BUMP', 'STOP']);
    expect(wf.allowedEvents(TOY, viewer, row)).toEqual([]);
    const history = await wf.history(TOY, id);
    expect(history.map((h) => [h.seq, h.type, h.fromState, h.toState, h.actorRole, h.cause])).toEqual([
      [1, 'MAKE', null, 'idle', 'case_manager', null],
      [2, 'START', 'idle', 'running', 'case_manager', null],
    ]);
  });

  it('a conflict names the version that is really there, read or raced', async () => {
    const id = await newToy();
    await wf.apply(TOY, id, { type: 'START', payload: {} }, actor, { expectedVersion: 1 });
    await wf.apply(TOY, id, { type: 'BUMP', payload: { n: 1 } }, actor, { expectedVersion: 2 });
    const stale = await refusal(wf.apply(TOY, id, { type: 'BUMP', payload: { n: 1 } }, actor, { expectedVersion: 1 }));
    expect([stale.code, stale.details.currentVersion]).toEqual(['VERSION_CONFLICT', 3]);
    const race = await Promise.allSettled(Array.from({ length: 8 }, () => wf.apply(TOY, id, { type: 'BUMP', payload: { n: 1 } }, actor, { expectedVersion: 3 })));
    const lost = race.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as DomainError);
    expect(race.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(lost.every((e) => e.code === 'VERSION_CONFLICT' && e.details.currentVersion === 4)).toBe(true);
  });

  it('refuses without writing anything: a role, an event the state lacks, a guard with its reason, a move the machine did not take', async () => {
    const id = await newToy();
    const before = await stored(id);
    expect((await refusal(wf.apply(TOY, id, { type: 'START', payload: {} }, viewer))).code).toBe('FORBIDDEN');
    const invalid = await refusal(wf.apply(TOY, id, { type: 'STOP', payload: {} }, actor));
    expect([invalid.code, invalid.details.allowedEvents]).toEqual(['INVALID_TRANSITION', ['START']]);
    const guard = await refusal(wf.apply(TOY, id, { type: 'START', payload: { by: 'nobody' } }, actor));
    expect([guard.code, guard.details.reason]).toEqual(['GUARD_FAILED', 'a toy is started by somebody']);
    expect(await stored(id)).toBe(before);
    await wf.apply(TOY, id, { type: 'START', payload: {} }, actor);
    const running = await stored(id);
    // BUMP is an event of `running`, but its machine guard says no: no from = to entry, no new version.
    const noop = await refusal(wf.apply(TOY, id, { type: 'BUMP', payload: { n: 0 } }, actor));
    expect(noop.code).toBe('GUARD_FAILED');
    expect(await stored(id)).toBe(running);
  });

  it('runs declared effects in the same transaction, tagged with their cause; the actor stays who started the chain', async () => {
    const partner = await newToy();
    const id = await newToy(partner);
    await wf.apply(TOY, partner, { type: 'START', payload: {} }, actor);
    await wf.apply(TOY, id, { type: 'START', payload: {} }, actor);
    await wf.apply(TOY, id, { type: 'STOP', payload: {} }, actor);
    const [last] = (await wf.history(TOY, partner)).slice(-1);
    expect(last).toMatchObject({ type: 'STOP', toState: 'stopped', actorId: actor.userId, cause: { aggregate: TOY, id, event: 'STOP' } });
    // An effect that fails takes its cause down with it.
    const other = await newToy();
    const broken = await newToy(other);
    await wf.apply(TOY, broken, { type: 'START', payload: {} }, actor);
    const before = await stored(broken);
    const e = await refusal(wf.apply(TOY, broken, { type: 'STOP', payload: {} }, actor));
    expect(e.code).toBe('INVALID_TRANSITION');
    expect(await stored(broken)).toBe(before);
  });

  it('every stored toy equals the fold of its history', async () => {
    const rows = await t.sql<{ id: string; snapshot: unknown }>('SELECT id, snapshot FROM toys');
    expect(rows.length).toBeGreaterThan(4);
    for (const r of rows) {
      const history = (await wf.history(TOY, r.id)).map((h) => ({ ...h, at: new Date(h.at) }));
      expect(wf.replay(TOY, history)).toEqual(r.snapshot);
    }
  });
});
