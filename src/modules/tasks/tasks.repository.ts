import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
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
