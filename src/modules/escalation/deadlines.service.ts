import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type AggregateType, DeadlinesRepository, type DueStep, type StepDeadline } from './deadlines.repository.js';
import { ladderFor, type RecipientRule, rungAt, type SlaPolicy } from './policy.js';
import { SlaPoliciesService } from './sla-policies.service.js';

/** Who answers for a step, as its own lifecycle sees it. */
export interface StepParties {
  caseId: string | null;
  /** What the step is, without personal data: it goes to webhooks and e-mail. */
  title: string;
  /** Users the rule `assignee` reaches. */
  assignees: string[];
  /** Users the rule `supervisor` reaches; when none, the AKS team chair. */
  supervisors: string[];
  /** Users a lifecycle's own rules reach (a due visit's TPK member, coordinator, PKB, DP2KB). */
  byRule?: Partial<Record<RecipientRule, string[]>>;
}

export type StepRow = StepDeadline & { nextRung: number | null; nextRungAt: Date | null };

export type DescribeSteps = (em: EntityManager, steps: DueStep[]) => Promise<Map<string, StepParties>>;

export interface DeadlineView {
  step: string;
  dueAt: string;
  /** The highest rung fired on this step so far (0: none). */
  escalationLevel: number;
  nextEscalationAt: string | null;
}

/**
 * The one deadline table of every lifecycle. A lifecycle enters and leaves its steps here, in
 * the transaction of the transition; the sweep reads it. Each lifecycle module also tells the
 * sweep who answers for its steps.
 */
@Injectable()
export class DeadlinesService {
  private readonly describers = new Map<AggregateType, DescribeSteps>();

  constructor(
    private readonly deadlines: DeadlinesRepository,
    private readonly policies: SlaPoliciesService,
  ) {}

  describeWith(type: AggregateType, describe: DescribeSteps): void {
    this.describers.set(type, describe);
  }

  /** The parties of each step, keyed `type:id`. */
  async describe(em: EntityManager, steps: DueStep[]): Promise<Map<string, StepParties>> {
    const out = new Map<string, StepParties>();
    for (const [type, describe] of this.describers) {
      const mine = steps.filter((s) => s.aggregateType === type);
      if (!mine.length) continue;
      for (const [id, parties] of await describe(em, mine)) out.set(`${type}:${id}`, parties);
    }
    return out;
  }

  /** The row a step enters with: its first rung scheduled from the policy's ladder. */
  rowFor(step: StepDeadline, policy: SlaPolicy): StepRow {
    const ladder = ladderFor(policy, step.aggregateType);
    const first = ladder[0];
    return { ...step, nextRung: first?.level ?? null, nextRungAt: first ? rungAt(ladder, first.level, step.dueAt) : null };
  }

  /** Enters steps (replacing each aggregate's previous one), with the first rung of the regency's ladder scheduled. */
  async enter(em: EntityManager, steps: StepDeadline[], policies?: Map<string, SlaPolicy>): Promise<void> {
    if (!steps.length) return;
    const known = policies ?? (await this.policies.ofMany([...new Set(steps.map((s) => s.regencyCode))], em));
    await this.deadlines.upsert(
      em,
      steps.map((s) => this.rowFor(s, known.get(s.regencyCode) ?? [...known.values()][0])),
    );
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
        {
          step: r.step,
          dueAt: r.dueAt.toISOString(),
          escalationLevel: r.lastLevel,
          nextEscalationAt: r.nextRungAt ? r.nextRungAt.toISOString() : null,
        },
      ]),
    );
  }
}
