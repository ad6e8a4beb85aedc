import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import type { TaskState } from './machine/task.types.js';
import { TaskEntity, TaskHistoryEntity } from './task.entity.js';

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

export type TaskChanges = Pick<TaskEntity, 'state' | 'snapshot' | 'stepDueAt' | 'updatedAt'>;

/** The only door to tasks and task_history. */
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

  openOfCase(em: EntityManager, caseId: string): Promise<TaskEntity[]> {
    return em
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .where(`t.case_id = :caseId AND t.state NOT IN ('verified', 'closed', 'cancelled')`, { caseId })
      .getMany();
  }

  async insert(em: EntityManager, rows: TaskEntity[], firsts: TaskHistoryEntity[]): Promise<void> {
    if (!rows.length) return;
    await em.getRepository(TaskEntity).insert(rows);
    await em.getRepository(TaskHistoryEntity).insert(firsts);
  }

  /** Optimistic write with its history entry (seq = the new version), in one statement; false when the version moved. */
  async update(em: EntityManager, id: string, version: number, c: TaskChanges, entry: TaskHistoryEntity): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `WITH moved AS (
         UPDATE tasks SET state = $3, snapshot = $4, step_due_at = $5, updated_at = $6, version = version + 1
          WHERE id = $1 AND version = $2
         RETURNING id, version, regency_code, machine_version)
       INSERT INTO task_history (task_id, seq, regency_code, type, from_state, to_state, payload, actor_id, actor_role, machine_version, at)
       SELECT id, version, regency_code, $7, $8, $9, $10, $11, $12, machine_version, $13 FROM moved
       RETURNING seq`,
      [id, version, c.state, JSON.stringify(c.snapshot), c.stepDueAt, c.updatedAt,
        entry.type, entry.fromState, entry.toState, JSON.stringify(entry.payload), entry.actorId, entry.actorRole, entry.at],
    );
    return rows.length === 1;
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

  history(taskId: string): Promise<TaskHistoryEntity[]> {
    return this.repo.manager.getRepository(TaskHistoryEntity).find({ where: { taskId }, order: { seq: 'ASC' } });
  }
}
