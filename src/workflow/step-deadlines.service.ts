import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ladderFor, rungAt, type SlaPolicy } from '../modules/escalation/policy.js';
import type { AggregateType } from './lifecycle.js';
import { type DueStep, type StepDeadline, StepDeadlinesRepository } from './step-deadlines.repository.js';

export type { DueStep, StepDeadline } from './step-deadlines.repository.js';
export type { StepParties } from './lifecycle.js';

export type StepRow = StepDeadline & { nextRung: number | null; nextRungAt: Date | null };

export interface DeadlineView {
  step: string;
  dueAt: string;
  /** The highest rung fired on this step so far (0: none). */
  escalationLevel: number;
  nextEscalationAt: string | null;
}

/**
 * The one deadline table of every lifecycle. The kernel enters and leaves steps here in the
 * transaction of the transition; the escalation sweep claims and advances them.
 */
@Injectable()
export class StepDeadlinesService {
  constructor(private readonly deadlines: StepDeadlinesRepository) {}

  /** The row a step enters with: its first rung scheduled from the policy's ladder. */
  rowFor(step: StepDeadline, policy: SlaPolicy): StepRow {
    const ladder = ladderFor(policy, step.aggregateType);
    const first = ladder[0];
    return { ...step, nextRung: first?.level ?? null, nextRungAt: first ? rungAt(ladder, first.level, step.dueAt) : null };
  }

  /** Enters steps (replacing each aggregate's previous one), with the first rung of the regency's ladder scheduled. */
  async enter(em: EntityManager, steps: StepDeadline[], policies: Map<string, SlaPolicy>): Promise<void> {
    if (!steps.length) return;
    await this.deadlines.upsert(em, steps.map((s) => this.rowFor(s, policies.get(s.regencyCode) ?? [...policies.values()][0])));
  }

  /** Leaves the current steps of these aggregates: their pending rungs are cancelled. */
  leave(em: EntityManager, type: AggregateType, ids: string[]): Promise<void> {
    return this.deadlines.remove(em, type, ids);
  }

  async current(em: EntityManager, type: AggregateType, ids: string[]): Promise<Map<string, DeadlineView>> {
    const rows = await this.deadlines.current(em, type, ids);
    return new Map(
      rows.map((r) => [
        r.aggregateId,
        { step: r.step, dueAt: r.dueAt.toISOString(), escalationLevel: r.lastLevel, nextEscalationAt: r.nextRungAt ? r.nextRungAt.toISOString() : null },
      ]),
    );
  }

  /** The open steps of these aggregates as stored (a changed deadline re-enters them with the same seq). */
  rows(em: EntityManager, type: AggregateType, ids: string[]): Promise<DueStep[]> {
    return this.deadlines.current(em, type, ids);
  }

  /** Locks due steps for one sweep batch (SKIP LOCKED: concurrent sweeps share the backlog). */
  claimDue(em: EntityManager, now: Date, limit: number): Promise<DueStep[]> {
    return this.deadlines.claimDue(em, now, limit);
  }

  advance(em: EntityManager, rows: Parameters<StepDeadlinesRepository['advance']>[1]): Promise<void> {
    return this.deadlines.advance(em, rows);
  }

  overdueGroups(em: EntityManager, f: Parameters<StepDeadlinesRepository['overdueGroups']>[1]) {
    return this.deadlines.overdueGroups(em, f);
  }
}
