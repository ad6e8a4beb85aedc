import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { PersistedSnapshot } from '../../workflow/snapshot.js';
import type { AccompanimentContext } from './machine/accompaniment.machine.js';
import type { ScheduledGroup } from './schedule.js';

export interface AccompanimentRow {
  id: string;
  regencyCode: string;
  villageCode: string;
  subjectId: string;
  familyId: string | null;
  targetGroup: ScheduledGroup;
  state: 'open' | 'closed';
  machineVersion: number;
  snapshot: PersistedSnapshot<AccompanimentContext>;
  version: number;
  dueOn: string | null;
  stepDueAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, regency_code AS "regencyCode", village_code AS "villageCode", subject_id AS "subjectId", family_id AS "familyId",
  target_group AS "targetGroup", state, machine_version AS "machineVersion", snapshot, version, due_on::text AS "dueOn", step_due_at AS "stepDueAt",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/** The only door to accompaniments (the kernel writes their moves and history). */
@Injectable()
export class AccompanimentsRepository {
  constructor(private readonly ds: DataSource) {}

  async insert(em: EntityManager, r: AccompanimentRow): Promise<void> {
    await em.query(
      `INSERT INTO accompaniments (id, regency_code, village_code, subject_id, family_id, target_group, state, machine_version, snapshot, version, due_on,
                                   step_due_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [r.id, r.regencyCode, r.villageCode, r.subjectId, r.familyId, r.targetGroup, r.state, r.machineVersion, JSON.stringify(r.snapshot), r.version, r.dueOn,
        r.stepDueAt, r.createdAt, r.updatedAt],
    );
  }

  /** The open accompaniments of these subjects, locked for the caller's transition. */
  openOfSubjects(em: EntityManager, subjectIds: string[]): Promise<AccompanimentRow[]> {
    if (!subjectIds.length) return Promise.resolve([]);
    return em.query(`SELECT ${COLUMNS} FROM accompaniments WHERE subject_id = ANY($1::uuid[]) AND state = 'open' ORDER BY id FOR UPDATE`, [subjectIds]);
  }

  byIds(em: EntityManager, ids: string[]): Promise<AccompanimentRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return em.query(`SELECT ${COLUMNS} FROM accompaniments WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /** The visits due by `until` in these villages, most urgent first, with how far each has escalated. */
  due(f: { regencyCode: string | null; villageCodes: readonly string[] | null; villageCode?: string; until: string; limit: number }): Promise<
    (AccompanimentRow & { subjectName: string; escalationLevel: number | null })[]
  > {
    return this.ds.query(
      `SELECT a.*, s.name AS "subjectName", d.last_level AS "escalationLevel"
         FROM (SELECT ${COLUMNS} FROM accompaniments
                WHERE state = 'open' AND due_on <= $1 AND ($2::text IS NULL OR regency_code = $2) AND ($3::text[] IS NULL OR village_code = ANY($3))
                  AND ($4::text IS NULL OR village_code = $4)) a
         JOIN subjects s ON s.id = a."subjectId" AND s.restricted_at IS NULL
         LEFT JOIN step_deadlines d ON d.aggregate_type = 'accompaniment' AND d.aggregate_id = a.id
        ORDER BY a."dueOn", a.id LIMIT $5`,
      [f.until, f.regencyCode, f.villageCodes, f.villageCode ?? null, f.limit],
    );
  }

  /** Open accompaniments overdue at `at` in a regency (or one village). */
  async overdueCount(em: EntityManager, regencyCode: string, villageCode: string | null, at: Date): Promise<number> {
    const [r]: { n: string }[] = await em.query(
      `SELECT count(*) AS n FROM accompaniments WHERE state = 'open' AND regency_code = $1 AND ($2::text IS NULL OR village_code = $2) AND step_due_at < $3`,
      [regencyCode, villageCode, at],
    );
    return Number(r.n);
  }
}
