import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import { preparedQuery } from '../../database/prepared.js';
import { CASE_BRIEF, type CaseBrief } from '../cases/case-brief.js';
import { OPD_SUMMARY, type OpdSummary } from '../organisations/opd-summary.js';
import { SUBJECT_SUMMARY, type SubjectSummaryRow } from '../subjects/subject-summary.js';
import { POLICY_JOIN_COLUMNS, type StoredPolicy, storedPolicyOf } from '../escalation/policy.js';
import type { TaskState } from './machine/task.types.js';
import { TaskEntity } from './task.entity.js';

export interface TaskScope {
  regencyCode: string | null;
  /** An OPD liaison's own OPD: they see nothing else. */
  opdId: string | null;
}

export interface TaskFilter extends TaskScope {
  state?: TaskState;
  filterOpdId?: string;
  caseId?: string;
  overdueAt?: Date;
  /** Keyset: (step_due_at, id) of the last row seen; finished tasks (no deadline) sort last. */
  after?: [string | null, string];
  limit: number;
}

/** What a task command reads: the task, and what its transition and its answer need. */
export interface TaskForCommand {
  row: TaskEntity;
  policy: StoredPolicy | null;
  brief: CaseBrief | null;
  /** The child (the case's, or a referral's own); null when its processing is restricted. */
  subject: SubjectSummaryRow | null;
  opd: OpdSummary | null;
}

/** The only door to tasks (the kernel writes their moves and task_history). */
@Injectable()
export class TasksRepository {
  constructor(@InjectRepository(TaskEntity) private readonly repo: Repository<TaskEntity>) {}

  findInScope(id: string, scope: TaskScope, em: EntityManager = this.repo.manager): Promise<TaskEntity | null> {
    return em.getRepository(TaskEntity).findOneBy({
      id,
      ...(scope.regencyCode !== null ? { regencyCode: scope.regencyCode } : {}),
      ...(scope.opdId !== null ? { opdId: scope.opdId } : {}),
    });
  }

  /**
   * A task for a command, with its regency's stored policy, its case's brief, its child's summary
   * and its OPD, in one prepared statement: a read model across five tables on purpose, because a
   * transition needs the first three and its answer the last two, and each separate read was a
   * round trip (the case lifecycle's read does the same).
   */
  async findForCommand(em: EntityManager, id: string, scope: TaskScope): Promise<TaskForCommand | null> {
    const rows = await preparedQuery<Record<string, unknown>>(
      em,
      'task_for_command',
      `SELECT t.id, t.regency_code, t.case_id, t.subject_id, t.evidence, t.opd_id, t.action, t.state, t.machine_version, t.snapshot, t.version,
              t.ack_due_at, t.due_at, t.step_due_at, t.replaces_task_id, t.created_by, t.created_at, t.updated_at,
              ${POLICY_JOIN_COLUMNS}, ${CASE_BRIEF.json('c')} AS brief, ${SUBJECT_SUMMARY.json('s')} AS subject, ${OPD_SUMMARY.json('o')} AS opd
         FROM tasks t LEFT JOIN sla_policies p ON p.regency_code = t.regency_code LEFT JOIN cases c ON c.id = t.case_id
              LEFT JOIN subjects s ON s.id = COALESCE(c.subject_id, t.subject_id) AND s.restricted_at IS NULL
              LEFT JOIN opds o ON o.id = t.opd_id
        WHERE t.id = $1 AND ($2::text IS NULL OR t.regency_code = $2) AND ($3::uuid IS NULL OR t.opd_id = $3)`,
      [id, scope.regencyCode, scope.opdId],
    );
    const r = rows[0];
    if (!r) return null;
    const row: TaskEntity = {
      id: r.id as string,
      regencyCode: r.regency_code as string,
      caseId: r.case_id as string | null,
      subjectId: r.subject_id as string | null,
      evidence: r.evidence as TaskEntity['evidence'],
      opdId: r.opd_id as string,
      action: r.action as string,
      state: r.state as TaskState,
      machineVersion: r.machine_version as number,
      snapshot: r.snapshot as TaskEntity['snapshot'],
      version: r.version as number,
      ackDueAt: r.ack_due_at as Date,
      dueAt: r.due_at as Date,
      stepDueAt: r.step_due_at as Date | null,
      replacesTaskId: r.replaces_task_id as string | null,
      createdBy: r.created_by as string,
      createdAt: r.created_at as Date,
      updatedAt: r.updated_at as Date,
    };
    return { row, policy: storedPolicyOf(r), brief: r.brief as CaseBrief | null, subject: r.subject as SubjectSummaryRow | null, opd: r.opd as OpdSummary | null };
  }

  findMany(em: EntityManager, ids: string[]): Promise<TaskEntity[]> {
    if (!ids.length) return Promise.resolve([]);
    return em.getRepository(TaskEntity).createQueryBuilder('t').where('t.id = ANY(:ids)', { ids }).getMany();
  }

  ofCase(em: EntityManager, caseId: string): Promise<TaskEntity[]> {
    return em.getRepository(TaskEntity).find({ where: { caseId }, order: { createdAt: 'ASC' } });
  }

  /** A child's tasks: those of its cases and its referrals, oldest first. */
  aboutSubject(em: EntityManager, subjectId: string, caseIds: string[]): Promise<TaskEntity[]> {
    return em
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .where('(t.subject_id = :subjectId OR t.case_id = ANY(:caseIds))', { subjectId, caseIds })
      .orderBy('t.created_at')
      .addOrderBy('t.id')
      .getMany();
  }

  /** Referrals of these children (tasks without a case), or only those not in a `finished` state. */
  referralsOf(em: EntityManager, subjectIds: string[], finished: readonly string[] = []): Promise<TaskEntity[]> {
    if (!subjectIds.length) return Promise.resolve([]);
    return em
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .where(`t.subject_id = ANY(:subjectIds) AND t.state <> ALL(:finished)`, { subjectIds, finished })
      .orderBy('t.created_at')
      .getMany();
  }

  /** The case's tasks not in one of the `finished` states (the lifecycle's). */
  openOfCase(em: EntityManager, caseId: string, finished: readonly string[]): Promise<TaskEntity[]> {
    return em
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .where(`t.case_id = :caseId AND t.state <> ALL(:finished)`, { caseId, finished })
      .getMany();
  }

  async insert(em: EntityManager, rows: TaskEntity[]): Promise<void> {
    if (!rows.length) return;
    await em.getRepository(TaskEntity).insert(rows);
  }

  /** The inbox: most urgent first, limit+1 rows. */
  list(f: TaskFilter): Promise<TaskEntity[]> {
    const qb = this.repo.createQueryBuilder('t').orderBy('t.step_due_at', 'ASC', 'NULLS LAST').addOrderBy('t.id').limit(f.limit + 1);
    if (f.regencyCode !== null) qb.andWhere('t.regency_code = :regencyCode', { regencyCode: f.regencyCode });
    if (f.opdId !== null) qb.andWhere('t.opd_id = :opdId', { opdId: f.opdId });
    if (f.filterOpdId) qb.andWhere('t.opd_id = :filterOpdId', { filterOpdId: f.filterOpdId });
    if (f.caseId) qb.andWhere('t.case_id = :caseId', { caseId: f.caseId });
    if (f.state) qb.andWhere('t.state = :state', { state: f.state });
    if (f.overdueAt) qb.andWhere('t.step_due_at < :overdueAt', { overdueAt: f.overdueAt });
    if (f.after) {
      const [due, id] = f.after;
      if (due === null) qb.andWhere('t.step_due_at IS NULL AND t.id > :id', { id });
      else qb.andWhere('(t.step_due_at > :due OR (t.step_due_at = :due AND t.id > :id) OR t.step_due_at IS NULL)', { due, id });
    }
    return qb.getMany();
  }
}
