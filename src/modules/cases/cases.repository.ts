import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import { CaseCauseEntity, CaseEntity, CaseHistoryEntity, SlaPolicyEntity } from './case.entity.js';
import type { CaseState } from './machine/case.types.js';

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

export type CaseChanges = Pick<CaseEntity, 'state' | 'snapshot' | 'stepEnteredAt' | 'stepDueAt' | 'assigneeId' | 'updatedAt'>;

/** The only door to cases, case_history, case_causes and sla_policies. */
@Injectable()
export class CasesRepository {
  constructor(@InjectRepository(CaseEntity) private readonly repo: Repository<CaseEntity>) {}

  findInScope(id: string, regencyCode: string | null, em: EntityManager = this.repo.manager): Promise<CaseEntity | null> {
    return em.getRepository(CaseEntity).findOneBy(regencyCode === null ? { id } : { id, regencyCode });
  }

  async openCaseOf(em: EntityManager, subjectId: string): Promise<string | null> {
    const rows: { id: string }[] = await em.query(
      `SELECT id FROM cases WHERE subject_id = $1 AND state NOT IN ('resolved', 'closed')`,
      [subjectId],
    );
    return rows[0]?.id ?? null;
  }

  async insert(em: EntityManager, row: CaseEntity, first: CaseHistoryEntity): Promise<void> {
    await em.getRepository(CaseEntity).insert(row);
    await em.getRepository(CaseHistoryEntity).insert(first);
  }

  /**
   * Optimistic write: applies the change only if nobody else changed the case since `version`
   * was read, and appends its history entry as seq = version + 1. False when someone did.
   */
  async update(em: EntityManager, id: string, version: number, changes: CaseChanges, entry: CaseHistoryEntity): Promise<boolean> {
    const result = await em
      .createQueryBuilder()
      .update(CaseEntity)
      .set({ ...changes, version: () => 'version + 1' })
      .where('id = :id AND version = :version', { id, version })
      .execute();
    if (result.affected !== 1) return false;
    await em.getRepository(CaseHistoryEntity).insert(entry);
    return true;
  }

  /** Keyset page of the work queue, most urgent first, limit+1 rows. */
  queue(f: CaseQueueFilter): Promise<CaseEntity[]> {
    const qb = this.repo.createQueryBuilder('c').orderBy('c.step_due_at', 'ASC', 'NULLS LAST').addOrderBy('c.id').limit(f.limit + 1);
    if (f.regencyCode !== null) qb.andWhere('c.regency_code = :regencyCode', { regencyCode: f.regencyCode });
    if (f.states?.length) qb.andWhere('c.state IN (:...states)', { states: f.states });
    if (f.villageCode) qb.andWhere('c.village_code = :villageCode', { villageCode: f.villageCode });
    if (f.assigneeId) qb.andWhere('c.assignee_id = :assigneeId', { assigneeId: f.assigneeId });
    if (f.overdueAt) {
      qb.andWhere(`c.state NOT IN ('resolved', 'closed') AND c.step_due_at < :overdueAt`, { overdueAt: f.overdueAt });
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

  history(caseId: string): Promise<CaseHistoryEntity[]> {
    return this.repo.manager.getRepository(CaseHistoryEntity).find({ where: { caseId }, order: { seq: 'ASC' } });
  }

  causes(): Promise<CaseCauseEntity[]> {
    return this.repo.manager.getRepository(CaseCauseEntity).find({ order: { code: 'ASC' } });
  }

  async unknownCauses(codes: string[], em: EntityManager = this.repo.manager): Promise<string[]> {
    const known = await em.getRepository(CaseCauseEntity).find({ select: { code: true } });
    const set = new Set(known.map((c) => c.code));
    return codes.filter((c) => !set.has(c));
  }

  slaPolicy(regencyCode: string, em: EntityManager = this.repo.manager): Promise<SlaPolicyEntity | null> {
    return em.getRepository(SlaPolicyEntity).findOneBy({ regencyCode });
  }

  async saveSlaPolicy(policy: SlaPolicyEntity): Promise<void> {
    await this.repo.manager.getRepository(SlaPolicyEntity).save(policy);
  }
}
