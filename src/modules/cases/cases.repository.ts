import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import { preparedQuery } from '../../database/prepared.js';
import { SUBJECT_SUMMARY, type SubjectSummaryRow } from '../subjects/subject-summary.js';
import { POLICY_JOIN_COLUMNS, type StoredPolicy, storedPolicyOf } from '../escalation/policy.js';
import { CASE_BRIEF, type CaseBrief } from './case-brief.js';
import { CaseCauseEntity, CaseEntity } from './case.entity.js';
import { type CaseState, FINISHED_STATES } from './machine/case.types.js';

/**
 * The finished states as SQL text, from the lifecycle's list: written out (not a parameter) so
 * PostgreSQL matches the partial indexes on open cases, whose predicate is the same text.
 */
const FINISHED = `(${FINISHED_STATES.map((s) => `'${s}'`).join(', ')})`;

export interface CaseQueueFilter {
  regencyCode: string | null;
  states?: CaseState[];
  villageCode?: string;
  assigneeId?: string;
  overdueAt?: Date;
  /** Keyset: the (step_due_at, id) of the last row seen; a null due date sorts last. */
  after?: [string | null, string];
  limit: number;
}

export type CaseSubject = SubjectSummaryRow;

export type { CaseBrief };


/** The only door to cases, case_history, case_causes and sla_policies. */
@Injectable()
export class CasesRepository {
  constructor(@InjectRepository(CaseEntity) private readonly repo: Repository<CaseEntity>) {}

  findInScope(id: string, regencyCode: string | null, em: EntityManager = this.repo.manager): Promise<CaseEntity | null> {
    return em.getRepository(CaseEntity).findOneBy(regencyCode === null ? { id } : { id, regencyCode });
  }

  ofSubject(em: EntityManager, subjectId: string): Promise<CaseEntity[]> {
    return em.getRepository(CaseEntity).find({ where: { subjectId }, order: { openedAt: 'ASC' } });
  }

  /**
   * Retention: removes free text (notes, descriptions) from finished cases' history. The only
   * change the history's trigger allows, and only inside this statement's transaction setting.
   */
  async stripFreeText(em: EntityManager, subjectIds: string[]): Promise<number> {
    if (!subjectIds.length) return 0;
    await em.query(`SELECT set_config('tuntas.retention', 'on', true)`);
    const [, n] = (await em.query(
      `UPDATE case_history h SET payload = h.payload - 'note' - 'description' - 'reason_note'
         FROM cases c WHERE c.id = h.case_id AND c.subject_id = ANY($1::uuid[]) AND c.state IN ${FINISHED}
          AND (h.payload ? 'note' OR h.payload ? 'description')`,
      [subjectIds],
    )) as [unknown, number];
    await em.query(`SELECT set_config('tuntas.retention', 'off', true)`);
    return n;
  }

  /** What other aggregates need of cases: where they are, whose they are, which step. */
  briefs(em: EntityManager, ids: string[], regencyCode: string | null = null): Promise<CaseBrief[]> {
    if (!ids.length) return Promise.resolve([]);
    return em.query(
      `SELECT ${CASE_BRIEF.columns('c')} FROM cases c WHERE c.id = ANY($1::uuid[]) AND ($2::text IS NULL OR c.regency_code = $2)`,
      [ids, regencyCode],
    );
  }

  async openCaseOf(em: EntityManager, subjectId: string): Promise<string | null> {
    const rows: { id: string }[] = await em.query(
      `SELECT id FROM cases WHERE subject_id = $1 AND state NOT IN ${FINISHED}`,
      [subjectId],
    );
    return rows[0]?.id ?? null;
  }

  /** Per subject with cases: whether one is open, and when any of them last changed. */
  activityOf(em: EntityManager, subjectIds: string[]): Promise<{ subjectId: string; open: boolean; lastChangedAt: Date }[]> {
    if (!subjectIds.length) return Promise.resolve([]);
    return em.query(
      `SELECT subject_id AS "subjectId", bool_or(state NOT IN ${FINISHED}) AS open, max(updated_at) AS "lastChangedAt"
         FROM cases WHERE subject_id = ANY($1::uuid[]) GROUP BY subject_id`,
      [subjectIds],
    );
  }

  /** Each subject's latest finished case: when it ended, and the HAZ a resolution was decided on. */
  lastFinishedOf(
    em: EntityManager,
    subjectIds: string[],
  ): Promise<{ subjectId: string; regencyCode: string; state: 'resolved' | 'closed'; finishedAt: Date; resolvedHaz: number | null }[]> {
    if (!subjectIds.length) return Promise.resolve([]);
    // Served by ix_cases_finished_subject; the RESOLVE entry by pk_case_history.
    return em.query(
      `SELECT DISTINCT ON (c.subject_id) c.subject_id AS "subjectId", c.regency_code AS "regencyCode", c.state, c.updated_at AS "finishedAt",
              (SELECT (h.payload->>'latestHaz')::float8 FROM case_history h WHERE h.case_id = c.id AND h.type = 'RESOLVE' ORDER BY h.seq DESC LIMIT 1)
                AS "resolvedHaz"
         FROM cases c
        WHERE c.subject_id = ANY($1::uuid[]) AND c.state IN ${FINISHED}
        ORDER BY c.subject_id, c.updated_at DESC`,
      [subjectIds],
    );
  }

  openCasesOf(em: EntityManager, subjectIds: string[]): Promise<CaseEntity[]> {
    if (!subjectIds.length) return Promise.resolve([]);
    return em
      .getRepository(CaseEntity)
      .createQueryBuilder('c')
      .where(`c.subject_id = ANY(:subjectIds) AND c.state NOT IN ${FINISHED}`, { subjectIds })
      .getMany();
  }

  /** New cases, one statement of column arrays (TypeORM's multi-row insert is slow at import sizes). */
  async insertMany(em: EntityManager, rows: CaseEntity[]): Promise<void> {
    if (!rows.length) return;
    const c = <K extends keyof CaseEntity>(k: K) => rows.map((r) => r[k]);
    await em.query(
      `INSERT INTO cases (id, regency_code, subject_id, village_code, state, machine_version, snapshot, version, source, assignee_id,
                          step_entered_at, step_due_at, opened_at, opened_by, updated_at)
       SELECT id, regency_code, subject_id, village_code, state, machine_version, snapshot::jsonb, version, source, assignee_id,
              step_entered_at, step_due_at, opened_at, opened_by, updated_at
         FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::int[], $7::text[], $8::int[], $9::text[], $10::uuid[],
                     $11::timestamptz[], $12::timestamptz[], $13::timestamptz[], $14::uuid[], $15::timestamptz[])
           AS r(id, regency_code, subject_id, village_code, state, machine_version, snapshot, version, source, assignee_id,
                step_entered_at, step_due_at, opened_at, opened_by, updated_at)`,
      [
        c('id'), c('regencyCode'), c('subjectId'), c('villageCode'), c('state'), c('machineVersion'), rows.map((r) => JSON.stringify(r.snapshot)),
        c('version'), c('source'), c('assigneeId'), c('stepEnteredAt'), c('stepDueAt'), c('openedAt'), c('openedBy'), c('updatedAt'),
      ],
    );
  }

  /**
   * A case with its regency's policy row, for a command: one plain query on the hot path of
   * every transition (TypeORM's entity loading costs more than the query itself here).
   */
  async findForCommand(
    em: EntityManager,
    id: string,
    regencyCode: string | null,
  ): Promise<{ row: CaseEntity; policy: StoredPolicy | null; subject: CaseSubject | null } | null> {
    const rows = await preparedQuery<Record<string, unknown>>(
      em,
      'case_for_command',
      `SELECT c.id, c.regency_code, c.subject_id, c.village_code, c.state, c.machine_version, c.snapshot, c.version, c.source,
              c.assignee_id, c.step_entered_at, c.step_due_at, c.opened_at, c.opened_by, c.updated_at,
              ${POLICY_JOIN_COLUMNS},
              ${SUBJECT_SUMMARY.json('s')} AS subject
         FROM cases c LEFT JOIN sla_policies p ON p.regency_code = c.regency_code
              LEFT JOIN subjects s ON s.id = c.subject_id AND s.restricted_at IS NULL
        WHERE c.id = $1 AND ($2::text IS NULL OR c.regency_code = $2)`,
      [id, regencyCode],
    );
    const r = rows[0];
    if (!r) return null;
    const row: CaseEntity = {
      id: r.id as string,
      regencyCode: r.regency_code as string,
      subjectId: r.subject_id as string,
      villageCode: r.village_code as string,
      state: r.state as CaseState,
      machineVersion: r.machine_version as number,
      snapshot: r.snapshot as CaseEntity['snapshot'],
      version: r.version as number,
      source: r.source as CaseEntity['source'],
      assigneeId: r.assignee_id as string | null,
      stepEnteredAt: r.step_entered_at as Date,
      stepDueAt: r.step_due_at as Date | null,
      openedAt: r.opened_at as Date,
      openedBy: r.opened_by as string,
      updatedAt: r.updated_at as Date,
    };
    const policy = storedPolicyOf(r);
    // The subject's summary rides along (the view every command answers with needs it): one round trip less per transition.
    const subject = r.subject as CaseSubject | null;
    return { row, policy, subject };
  }

  /** Keyset page of the work queue (open cases unless states are named), most urgent first, limit+1 rows. */
  queue(f: CaseQueueFilter): Promise<CaseEntity[]> {
    const qb = this.repo.createQueryBuilder('c').orderBy('c.step_due_at', 'ASC', 'NULLS LAST').addOrderBy('c.id').limit(f.limit + 1);
    if (f.regencyCode !== null) qb.andWhere('c.regency_code = :regencyCode', { regencyCode: f.regencyCode });
    if (f.states?.length) qb.andWhere('c.state IN (:...states)', { states: f.states });
    else qb.andWhere(`c.state NOT IN ${FINISHED}`);
    if (f.villageCode) qb.andWhere('c.village_code = :villageCode', { villageCode: f.villageCode });
    if (f.assigneeId) qb.andWhere('c.assignee_id = :assigneeId', { assigneeId: f.assigneeId });
    if (f.overdueAt) {
      qb.andWhere(`c.state NOT IN ${FINISHED} AND c.step_due_at < :overdueAt`, { overdueAt: f.overdueAt });
    }
    if (f.after) {
      const [due, id] = f.after;
      if (due === null) qb.andWhere('c.step_due_at IS NULL AND c.id > :id', { id });
      else {
        qb.andWhere('(c.step_due_at > :due OR (c.step_due_at = :due AND c.id > :id) OR c.step_due_at IS NULL)', { due, id });
      }
    }
    return qb.getMany();
  }

  causes(): Promise<CaseCauseEntity[]> {
    return this.repo.manager.getRepository(CaseCauseEntity).find({ order: { code: 'ASC' } });
  }

  async unknownCauses(codes: string[], em: EntityManager = this.repo.manager): Promise<string[]> {
    const known = await em.getRepository(CaseCauseEntity).find({ select: { code: true } });
    const set = new Set(known.map((c) => c.code));
    return codes.filter((c) => !set.has(c));
  }
}
