import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AggregateType, DueStep, StepDeadline } from './lifecycle.js';
import { preparedQuery } from '../database/prepared.js';

export type { AggregateType, DueStep, StepDeadline } from './lifecycle.js';

const DUE_COLUMNS = `aggregate_type AS "aggregateType", aggregate_id AS "aggregateId", regency_code AS "regencyCode",
  village_code AS "villageCode", opd_id AS "opdId", step, step_seq AS "stepSeq", entered_at AS "enteredAt", due_at AS "dueAt",
  last_level AS "lastLevel", next_rung AS "nextRung", next_rung_at AS "nextRungAt"`;

/** The only door to step_deadlines, the open step of every lifecycle. Set-based: every call is one statement for any number of rows. */
@Injectable()
export class StepDeadlinesRepository {
  /** Enters steps: a row per aggregate, replaced when it moves to another step. */
  async upsert(em: EntityManager, rows: (StepDeadline & { nextRung: number | null; nextRungAt: Date | null })[]): Promise<void> {
    if (!rows.length) return;
    await em.query(
      `INSERT INTO step_deadlines (aggregate_type, aggregate_id, regency_code, village_code, opd_id, step, step_seq, entered_at, due_at,
                                   last_level, next_rung, next_rung_at)
       SELECT t, id, r, v, o, s, q, e, d, 0, n, na
         FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::int[], $8::timestamptz[], $9::timestamptz[],
                     $10::int[], $11::timestamptz[]) AS x(t, id, r, v, o, s, q, e, d, n, na)
       ON CONFLICT (aggregate_type, aggregate_id) DO UPDATE SET
         regency_code = EXCLUDED.regency_code, village_code = EXCLUDED.village_code, opd_id = EXCLUDED.opd_id, step = EXCLUDED.step,
         step_seq = EXCLUDED.step_seq, entered_at = EXCLUDED.entered_at, due_at = EXCLUDED.due_at, last_level = 0,
         next_rung = EXCLUDED.next_rung, next_rung_at = EXCLUDED.next_rung_at`,
      [
        rows.map((r) => r.aggregateType),
        rows.map((r) => r.aggregateId),
        rows.map((r) => r.regencyCode),
        rows.map((r) => r.villageCode),
        rows.map((r) => r.opdId),
        rows.map((r) => r.step),
        rows.map((r) => r.stepSeq),
        rows.map((r) => r.enteredAt),
        rows.map((r) => r.dueAt),
        rows.map((r) => r.nextRung),
        rows.map((r) => r.nextRungAt),
      ],
    );
  }

  /** Leaves steps: their rungs still to fire are cancelled with them. */
  async remove(em: EntityManager, aggregateType: AggregateType, ids: string[]): Promise<void> {
    if (!ids.length) return;
    await em.query(`DELETE FROM step_deadlines WHERE aggregate_type = $1 AND aggregate_id = ANY($2::uuid[])`, [aggregateType, ids]);
  }

  async current(em: EntityManager, aggregateType: AggregateType, ids: string[]): Promise<DueStep[]> {
    if (!ids.length) return [];
    return preparedQuery(em, 'step_deadlines_current', `SELECT ${DUE_COLUMNS} FROM step_deadlines WHERE aggregate_type = $1 AND aggregate_id = ANY($2::uuid[])`, [aggregateType, ids]);
  }

  /**
   * Locks up to `limit` steps whose next rung is due, oldest first, skipping rows another sweep
   * holds: concurrent sweeps share the backlog instead of queueing on it. Reads the partial
   * index on next_rung_at only, so it costs the same however many steps are open.
   */
  claimDue(em: EntityManager, now: Date, limit: number): Promise<DueStep[]> {
    return em.query(
      `SELECT ${DUE_COLUMNS} FROM step_deadlines
        WHERE next_rung_at IS NOT NULL AND next_rung_at <= $1
        ORDER BY next_rung_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
  }

  /** Moves claimed steps on to their next rung (or to none after the last). */
  async advance(em: EntityManager, rows: { aggregateType: AggregateType; aggregateId: string; lastLevel: number; nextRung: number | null; nextRungAt: Date | null }[]): Promise<void> {
    if (!rows.length) return;
    await em.query(
      `UPDATE step_deadlines d SET last_level = x.l, next_rung = x.n, next_rung_at = x.na
         FROM unnest($1::text[], $2::uuid[], $3::int[], $4::int[], $5::timestamptz[]) AS x(t, id, l, n, na)
        WHERE d.aggregate_type = x.t AND d.aggregate_id = x.id`,
      [rows.map((r) => r.aggregateType), rows.map((r) => r.aggregateId), rows.map((r) => r.lastLevel), rows.map((r) => r.nextRung), rows.map((r) => r.nextRungAt)],
    );
  }

  /** Open steps past their deadline, grouped: what the TPPS looks at weekly. */
  overdueGroups(
    em: EntityManager,
    f: { regencyCode: string | null; regionPrefix?: string; opdId?: string; groupBy: 'opd' | 'village' | 'state'; now: Date },
  ): Promise<{ key: string | null; count: string; oldestDueAt: Date; maxLevel: number }[]> {
    const key = { opd: 'opd_id::text', village: 'village_code', state: `aggregate_type || ':' || step` }[f.groupBy];
    return em.query(
      `SELECT ${key} AS key, count(*) AS count, min(due_at) AS "oldestDueAt", max(last_level) AS "maxLevel"
         FROM step_deadlines
        WHERE due_at < $1 AND ($2::text IS NULL OR regency_code = $2) AND ($3::uuid IS NULL OR opd_id = $3)
          AND ($4::text IS NULL OR left(regency_code, length($4)) = $4)
          ${f.groupBy === 'opd' ? 'AND opd_id IS NOT NULL' : ''}
        GROUP BY 1 ORDER BY min(due_at), 1`,
      [f.now, f.regencyCode, f.opdId ?? null, f.regionPrefix ?? null],
    );
  }

}
