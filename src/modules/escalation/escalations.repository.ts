import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AggregateType } from '../../workflow/lifecycle.js';

export interface FiredEscalation {
  id: string;
  regencyCode: string;
  aggregateType: AggregateType;
  aggregateId: string;
  caseId: string | null;
  opdId: string | null;
  step: string;
  stepSeq: number;
  level: number;
  dueAt: Date;
  scheduledAt: Date;
  firedAt: Date;
  recipients: object[];
}

/** The only door to escalations: the rungs fired, one row each. */
@Injectable()
export class EscalationsRepository {
  constructor(private readonly ds: DataSource) {}

  /** Records fired rungs; a rung already recorded is skipped. Returns the ones this call recorded. */
  async insertEscalations(em: EntityManager, rows: FiredEscalation[]): Promise<{ id: string }[]> {
    if (!rows.length) return [];
    return em.query(
      `INSERT INTO escalations (id, regency_code, aggregate_type, aggregate_id, case_id, opd_id, step, step_seq, level, due_at, scheduled_at,
                                fired_at, recipients)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::uuid[], $6::uuid[], $7::text[], $8::int[], $9::int[],
                            $10::timestamptz[], $11::timestamptz[], $12::timestamptz[], $13::jsonb[])
       ON CONFLICT ON CONSTRAINT ux_escalations_rung DO NOTHING
       RETURNING id`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.regencyCode),
        rows.map((r) => r.aggregateType),
        rows.map((r) => r.aggregateId),
        rows.map((r) => r.caseId),
        rows.map((r) => r.opdId),
        rows.map((r) => r.step),
        rows.map((r) => r.stepSeq),
        rows.map((r) => r.level),
        rows.map((r) => r.dueAt),
        rows.map((r) => r.scheduledAt),
        rows.map((r) => r.firedAt),
        rows.map((r) => JSON.stringify(r.recipients)),
      ],
    );
  }

  /** Keyset page of escalations, newest first, limit+1 rows. */
  listEscalations(f: {
    regencyCode: string | null;
    opdId?: string;
    caseId?: string;
    level?: number;
    from?: Date;
    to?: Date;
    after?: [string, string];
    limit: number;
  }): Promise<(FiredEscalation & { overdueNow: boolean })[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.regencyCode !== null) add('regency_code = ?', f.regencyCode);
    if (f.opdId) add('opd_id = ?', f.opdId);
    if (f.caseId) add('case_id = ?', f.caseId);
    if (f.level) add('level = ?', f.level);
    if (f.from) add('fired_at >= ?', f.from);
    if (f.to) add('fired_at < ?', f.to);
    if (f.after) {
      params.push(f.after[0], f.after[1]);
      where.push(`(fired_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(f.limit + 1);
    return this.query(
      `SELECT id, regency_code AS "regencyCode", aggregate_type AS "aggregateType", aggregate_id AS "aggregateId", case_id AS "caseId",
              opd_id AS "opdId", step, step_seq AS "stepSeq", level, due_at AS "dueAt", scheduled_at AS "scheduledAt", fired_at AS "firedAt",
              recipients
         FROM escalations ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY fired_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
  }

  private query<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.ds.query(sql, params);
  }
}
