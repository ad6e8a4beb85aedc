import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { WorkflowService } from '../../workflow/workflow.service.js';
import { SlaPoliciesService } from '../escalation/sla-policies.service.js';
import { localDay } from '../families/dates.js';
import type { Actor } from '../identity/actor.js';
import { type AccompanimentRow, AccompanimentsRepository } from './accompaniments.repository.js';
import type { AccompanimentEvent, AccompanimentFacts } from './machine/accompaniment.machine.js';
import type { ScheduledGroup } from './schedule.js';

export { scheduleTarget } from './accompaniment.lifecycle.js';

export interface OpenTarget {
  subjectId: string;
  familyId: string | null;
  regencyCode: string;
  villageCode: string;
  group: ScheduledGroup;
  facts: AccompanimentFacts;
}

/**
 * Accompaniments as persisted lifecycles, the same way cases and tasks are: a pure machine,
 * its snapshot and version, an append-only history, and the due visit as the step in
 * step_deadlines, entered and left in the transaction of the transition. A visit moves the step
 * to the next due visit; when the schedule owes no more, the accompaniment closes. The
 * lifecycle itself is AccompanimentLifecycle, run by the workflow kernel.
 */
@Injectable()
export class AccompanimentsService {
  constructor(
    private readonly repo: AccompanimentsRepository,
    private readonly workflow: WorkflowService,
    private readonly policies: SlaPoliciesService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Opens the target's accompaniment, or brings an open one's facts up to date. Returns its row. */
  async openOrUpdate(em: EntityManager, actor: Actor, t: OpenTarget): Promise<AccompanimentRow> {
    const [open] = (await this.repo.openOfSubjects(em, [t.subjectId])).filter((r) => r.targetGroup === t.group);
    if (open) {
      return this.apply(em, actor, open, { type: 'UPDATE', facts: t.facts }, { villageCode: t.villageCode, familyId: t.familyId ?? open.familyId });
    }
    const now = this.clock.now();
    const input = { group: t.group, openedOn: localDay(t.regencyCode, now), ...t.facts };
    const [row] = await this.workflow.start<AccompanimentRow>('accompaniment', em, actor, [
      {
        row: {
          id: randomUUID(),
          regencyCode: t.regencyCode,
          villageCode: t.villageCode,
          subjectId: t.subjectId,
          familyId: t.familyId,
          targetGroup: t.group,
          dueOn: null,
          createdAt: now,
          updatedAt: now,
        },
        input,
        entry: { type: 'OPEN', payload: { input } },
        policy: await this.policies.of(t.regencyCode, em),
        villageCode: t.villageCode,
        opdId: null,
      },
    ], { at: now });
    return row;
  }

  /** A visit on `on` to the subject's open accompaniment of `group`, if it has one. */
  async visited(em: EntityManager, actor: Actor, subjectId: string, group: string, on: string, visitId: string): Promise<AccompanimentRow | null> {
    const [open] = (await this.repo.openOfSubjects(em, [subjectId])).filter((r) => r.targetGroup === group);
    return open ? this.apply(em, actor, open, { type: 'VISIT', on, visitId }) : null;
  }

  /** Ends the subject's open accompaniment of `group` (a pregnancy that ended in a delivery). */
  async end(em: EntityManager, actor: Actor, subjectId: string, group: ScheduledGroup, reason: 'ENDED' | 'REPLACED'): Promise<void> {
    const [open] = (await this.repo.openOfSubjects(em, [subjectId])).filter((r) => r.targetGroup === group);
    if (open) await this.apply(em, actor, open, { type: 'CLOSE', reason });
  }

  /** One transition of a locked open row, on the kernel: the visit or fact is the cause, not a role's own act. */
  private async apply(em: EntityManager, actor: Actor, row: AccompanimentRow, event: AccompanimentEvent, changes?: Partial<AccompanimentRow>): Promise<AccompanimentRow> {
    const { type, ...payload } = event;
    const cause = { aggregate: type === 'VISIT' ? ('visit' as const) : ('family' as const), id: type === 'VISIT' ? (payload as { visitId: string }).visitId : row.subjectId, event: type };
    const { row: next } = await this.workflow.apply<AccompanimentRow>('accompaniment', row.id, { type, payload }, actor, { em, expectedVersion: row.version, cause, changes });
    return next;
  }
}
