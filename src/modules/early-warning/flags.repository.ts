import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { plainArray, textArray } from '../../database/sql-arrays.js';
import type { Warning } from '../growth/kms/trends.js';
import { preparedQuery } from '../../database/prepared.js';

export interface FlagRow {
  id: string;
  regencyCode: string;
  villageCode: string;
  subjectId: string;
  kind: Warning;
  raisedBy: string;
  raisedOn: string;
  clearedBy: string | null;
  clearedOn: string | null;
}

const COLUMNS = `f.id, f.regency_code AS "regencyCode", f.village_code AS "villageCode", f.subject_id AS "subjectId", f.kind, f.raised_by AS "raisedBy",
  f.raised_on::text AS "raisedOn", f.cleared_by AS "clearedBy", f.cleared_on::text AS "clearedOn"`;

/** The only door to growth_flags. Every write is one statement for a whole batch. */
@Injectable()
export class FlagsRepository {
  /** The flags of these children open on, or raised or cleared from, each one's day. */
  async from(em: EntityManager, from: { subjectId: string; day: string }[]): Promise<FlagRow[]> {
    if (!from.length) return [];
    return preparedQuery(
      em,
      'growth_flags_from',
      `SELECT ${COLUMNS} FROM growth_flags f JOIN unnest($1::uuid[], $2::date[]) AS q(subject_id, from_day) ON f.subject_id = q.subject_id
        WHERE f.cleared_on IS NULL OR f.cleared_on >= q.from_day ORDER BY f.raised_on, f.id`,
      [plainArray(from.map((f) => f.subjectId)), plainArray(from.map((f) => f.day))],
    );
  }

  async delete(em: EntityManager, ids: string[]): Promise<void> {
    if (ids.length) await em.query(`DELETE FROM growth_flags WHERE id = ANY($1::uuid[])`, [plainArray(ids)]);
  }

  /** Sets who cleared each flag (null: open again). Call with the clearing ones first, then the reopened: one open flag of a kind per child. */
  async setCleared(em: EntityManager, rows: FlagRow[], at: Date): Promise<void> {
    if (!rows.length) return;
    await em.query(
      `UPDATE growth_flags f SET cleared_by = u.cleared_by, cleared_on = u.cleared_on, updated_at = $4
         FROM unnest($1::uuid[], $2::uuid[], $3::date[]) AS u(id, cleared_by, cleared_on) WHERE f.id = u.id`,
      [plainArray(rows.map((r) => r.id)), plainArray(rows.map((r) => r.clearedBy)), plainArray(rows.map((r) => r.clearedOn)), at],
    );
  }

  async insert(em: EntityManager, rows: FlagRow[], at: Date): Promise<void> {
    if (!rows.length) return;
    await em.query(
      `INSERT INTO growth_flags (id, regency_code, village_code, subject_id, kind, raised_by, raised_on, cleared_by, cleared_on, created_at, updated_at)
       SELECT id, regency_code, village_code, subject_id, kind, raised_by, raised_on, cleared_by, cleared_on, $10::timestamptz, $10::timestamptz
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::uuid[], $7::date[], $8::uuid[], $9::date[])
           AS r(id, regency_code, village_code, subject_id, kind, raised_by, raised_on, cleared_by, cleared_on)`,
      [
        plainArray(rows.map((r) => r.id)),
        textArray(rows.map((r) => r.regencyCode)),
        textArray(rows.map((r) => r.villageCode)),
        plainArray(rows.map((r) => r.subjectId)),
        textArray(rows.map((r) => r.kind)),
        plainArray(rows.map((r) => r.raisedBy)),
        plainArray(rows.map((r) => r.raisedOn)),
        plainArray(rows.map((r) => r.clearedBy)),
        plainArray(rows.map((r) => r.clearedOn)),
        at,
      ],
    );
  }
}
