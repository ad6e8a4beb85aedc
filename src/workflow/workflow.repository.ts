import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { preparedQuery } from '../database/prepared.js';
import type { Cause, HistoryEntry, LifecycleDefinition, LifecycleRow } from './lifecycle.js';
import type { StepRow } from './step-deadlines.service.js';

/** What a move does to the aggregate's step: enter one (replacing the last), leave it, or keep it as it is. */
export type StepWrite = { enter: StepRow } | { leave: true } | { keep: true };

export interface MoveWrite {
  id: string;
  version: number;
  state: string;
  snapshot: unknown;
  stepDueAt: Date | null;
  updatedAt: Date;
  /** The definition's own columns, in the order of `def.columns`. */
  own: unknown[];
  entry: Omit<HistoryEntry, 'seq' | 'machineVersion'>;
  step: StepWrite;
}

const HISTORY_COLUMNS = (key: string) => `${key}, seq, regency_code, type, from_state, to_state, payload, actor_id, actor_role, machine_version, at, cause`;

/**
 * The kernel's door to every lifecycle table, its history and step_deadlines. A move is one
 * statement (so atomic without BEGIN, and one round trip): the row only if its version is
 * unchanged, its history entry as seq = the new version, and its step.
 */
@Injectable()
export class WorkflowRepository {
  private readonly statements = new Map<string, string>();

  /**
   * The escalation level of the step the aggregate is in after the move (0 for a step just
   * entered or none), or null when the version moved since it was read.
   */
  async move(em: EntityManager, def: LifecycleDefinition<never>, w: MoveWrite): Promise<{ escalationLevel: number } | null> {
    const mode = 'enter' in w.step ? 'enter' : 'leave' in w.step ? 'leave' : 'keep';
    const name = `wf_move_${def.type}_${mode}`;
    const params: unknown[] = [w.id, w.version, w.state, JSON.stringify(w.snapshot), w.stepDueAt, w.updatedAt,
      w.entry.type, w.entry.fromState, w.entry.toState, JSON.stringify(w.entry.payload), w.entry.actorId, w.entry.actorRole, w.entry.at,
      w.entry.cause ? JSON.stringify(w.entry.cause) : null, ...w.own];
    if ('enter' in w.step) {
      const s = w.step.enter;
      params.push(s.step, s.enteredAt, s.dueAt, s.villageCode, s.opdId, s.nextRung, s.nextRungAt);
    }
    const rows = await preparedQuery<{ level: number | null }>(em, name, this.statement(def, mode, name), params);
    return rows.length === 1 ? { escalationLevel: rows[0].level ?? 0 } : null;
  }

  private statement(def: LifecycleDefinition<never>, mode: 'enter' | 'leave' | 'keep', name: string): string {
    const known = this.statements.get(name);
    if (known) return known;
    const own = (def.columns ?? []).map((c, i) => `, ${c.column} = $${15 + i}`).join('');
    const n = 15 + (def.columns ?? []).length;
    let sql = `WITH moved AS (
         UPDATE ${def.table} SET state = $3, snapshot = $4, step_due_at = $5, updated_at = $6, version = version + 1${own}
          WHERE id = $1 AND version = $2
         RETURNING id, version, regency_code, machine_version),
       entry AS (
         INSERT INTO ${def.history} (${HISTORY_COLUMNS(def.historyKey)})
         SELECT id, version, regency_code, $7, $8, $9, $10, $11, $12, machine_version, $13, $14 FROM moved
         RETURNING seq)`;
    if (mode === 'leave') {
      // A finished step's pending rungs never fire.
      sql += `, gone AS (DELETE FROM step_deadlines WHERE aggregate_type = '${def.type}' AND aggregate_id IN (SELECT id FROM moved))`;
    } else if (mode === 'enter') {
      // The same row shape and conflict rule as StepDeadlinesRepository.upsert.
      sql += `, deadline AS (
         INSERT INTO step_deadlines (aggregate_type, aggregate_id, regency_code, village_code, opd_id, step, step_seq, entered_at, due_at,
                                     last_level, next_rung, next_rung_at)
         SELECT '${def.type}', id, regency_code, $${n + 3}, $${n + 4}, $${n}, version, $${n + 1}, $${n + 2}, 0, $${n + 5}, $${n + 6} FROM moved
         ON CONFLICT (aggregate_type, aggregate_id) DO UPDATE SET
           regency_code = EXCLUDED.regency_code, village_code = EXCLUDED.village_code, opd_id = EXCLUDED.opd_id, step = EXCLUDED.step,
           step_seq = EXCLUDED.step_seq, entered_at = EXCLUDED.entered_at, due_at = EXCLUDED.due_at, last_level = 0,
           next_rung = EXCLUDED.next_rung, next_rung_at = EXCLUDED.next_rung_at)`;
    }
    // A kept step goes on escalating where it was (the statement sees the row as it was before).
    sql += mode === 'keep'
      ? ` SELECT seq, (SELECT last_level FROM step_deadlines WHERE aggregate_type = '${def.type}' AND aggregate_id = $1) AS level FROM entry`
      : ` SELECT seq, 0 AS level FROM entry`;
    this.statements.set(name, sql);
    return sql;
  }

  /** First history entries of new aggregates: one statement of column arrays for any number. */
  async appendFirst(em: EntityManager, def: LifecycleDefinition<never>, rows: (HistoryEntry & { aggregateId: string; regencyCode: string })[]): Promise<void> {
    if (!rows.length) return;
    const c = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
    await em.query(
      `INSERT INTO ${def.history} (${HISTORY_COLUMNS(def.historyKey)})
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::uuid[], $9::text[],
                            $10::int[], $11::timestamptz[], $12::jsonb[])`,
      [
        c('aggregateId'), c('seq'), c('regencyCode'), c('type'), c('fromState'), c('toState'), rows.map((r) => JSON.stringify(r.payload)),
        c('actorId'), c('actorRole'), c('machineVersion'), c('at'), rows.map((r) => (r.cause ? JSON.stringify(r.cause) : null)),
      ],
    );
  }

  history(em: EntityManager, def: LifecycleDefinition<never>, id: string): Promise<HistoryEntry[]> {
    return em.query(
      `SELECT seq, type, from_state AS "fromState", to_state AS "toState", payload, actor_id AS "actorId", actor_role AS "actorRole",
              machine_version AS "machineVersion", at, cause
         FROM ${def.history} WHERE ${def.historyKey} = $1 ORDER BY seq`,
      [id],
    );
  }

  /** The current version of a row, to report a conflict with what is really there. */
  async versionOf(em: EntityManager, def: LifecycleDefinition<never>, id: string): Promise<number | null> {
    const rows: { version: number }[] = await em.query(`SELECT version FROM ${def.table} WHERE id = $1`, [id]);
    return rows[0]?.version ?? null;
  }
}

export type { Cause, LifecycleRow };
