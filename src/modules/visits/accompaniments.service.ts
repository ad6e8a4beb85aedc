import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { initialTransition, transition } from 'xstate';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { VersionConflict } from '../../common/errors/domain-error.js';
import { persist, restore } from '../../workflow/snapshot.js';
import type { DueStep } from '../escalation/deadlines.repository.js';
import { DeadlinesService, type StepParties } from '../escalation/deadlines.service.js';
import type { SlaPolicy } from '../escalation/policy.js';
import { SlaPoliciesService } from '../escalation/sla-policies.service.js';
import { endOfLocalDay, localDay } from '../families/dates.js';
import type { Actor } from '../identity/actor.js';
import { type AccompanimentRow, AccompanimentsRepository } from './accompaniments.repository.js';
import {
  ACCOMPANIMENT_MACHINES,
  type AccompanimentContext,
  type AccompanimentEvent,
  type AccompanimentFacts,
  LATEST_ACCOMPANIMENT_MACHINE,
} from './machine/accompaniment.machine.js';
import { type DueVisit, nextDue, type ScheduledGroup, type ScheduleTarget } from './schedule.js';
import { TpkTeamsRepository } from './tpk-teams.repository.js';

export const ACCOMPANIMENT = 'accompaniment';

export interface OpenTarget {
  subjectId: string;
  familyId: string | null;
  regencyCode: string;
  villageCode: string;
  group: ScheduledGroup;
  facts: AccompanimentFacts;
}

/** The schedule's view of an accompaniment's context. */
export function scheduleTarget(c: AccompanimentContext): ScheduleTarget | null {
  switch (c.group) {
    case 'BUMIL':
      return c.lmp ? { group: 'BUMIL', openedOn: c.openedOn, lmp: c.lmp } : null;
    case 'NIFAS':
      return c.deliveredOn ? { group: 'NIFAS', openedOn: c.openedOn, deliveredOn: c.deliveredOn } : null;
    case 'BADUTA':
      return c.birthDate ? { group: 'BADUTA', openedOn: c.openedOn, birthDate: c.birthDate } : null;
    case 'CATIN':
      return c.marriageOn ? { group: 'CATIN', openedOn: c.openedOn, marriageOn: c.marriageOn, atRisk: !!c.atRisk } : null;
    case 'BALITA':
      return { group: 'BALITA', openedOn: c.openedOn };
  }
}

/**
 * Accompaniments as persisted lifecycles, the same way cases and tasks are: a pure machine,
 * its snapshot and version, an append-only history, and the due visit as the step in
 * step_deadlines, entered and left in the transaction of the transition. A visit moves the step
 * to the next due visit; when the schedule owes no more, the accompaniment closes.
 *
 * Self-contained until the workflow kernel lands (issue 13): then this becomes one definition
 * file over `WorkflowService.apply()`, with the machine and the schedule unchanged.
 */
@Injectable()
export class AccompanimentsService implements OnModuleInit {
  constructor(
    private readonly repo: AccompanimentsRepository,
    private readonly teams: TpkTeamsRepository,
    private readonly deadlines: DeadlinesService,
    private readonly policies: SlaPoliciesService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.deadlines.describeWith(ACCOMPANIMENT, (em, steps) => this.describe(em, steps));
  }

  /** Opens the target's accompaniment, or brings an open one's facts up to date. Returns its row. */
  async openOrUpdate(em: EntityManager, actor: Actor, t: OpenTarget): Promise<AccompanimentRow> {
    const [open] = (await this.repo.openOfSubjects(em, [t.subjectId])).filter((r) => r.targetGroup === t.group);
    if (open) {
      open.villageCode = t.villageCode;
      open.familyId = t.familyId ?? open.familyId;
      return this.apply(em, actor, open, { type: 'UPDATE', facts: t.facts });
    }
    const now = this.clock.now();
    const policy = await this.policies.of(t.regencyCode, em);
    const openedOn = localDay(t.regencyCode, now);
    const machine = ACCOMPANIMENT_MACHINES[LATEST_ACCOMPANIMENT_MACHINE];
    const [snapshot] = initialTransition(machine, { group: t.group, openedOn, ...t.facts });
    const stored = persist(snapshot);
    const due = this.dueOf(stored.context, policy);
    const row: AccompanimentRow = {
      id: randomUUID(),
      regencyCode: t.regencyCode,
      villageCode: t.villageCode,
      subjectId: t.subjectId,
      familyId: t.familyId,
      targetGroup: t.group,
      state: 'open',
      machineVersion: LATEST_ACCOMPANIMENT_MACHINE,
      snapshot: stored,
      version: 1,
      dueOn: null,
      stepDueAt: null,
      createdAt: now,
      updatedAt: now,
    };
    this.setDue(row, due);
    if (!due) {
      // Nothing is owed any more (a delivery recorded after the KF windows): nothing to open.
      row.state = 'closed';
      row.snapshot = { ...row.snapshot, value: 'closed', context: { ...row.snapshot.context, closedReason: 'COMPLETED' } };
    }
    await this.repo.insert(em, row);
    await this.repo.appendHistory(em, {
      accompanimentId: row.id,
      seq: 1,
      regencyCode: row.regencyCode,
      type: 'OPEN',
      fromState: null,
      toState: row.state,
      payload: { group: t.group, due },
      actorId: actor.userId,
      actorRole: actor.role,
      machineVersion: row.machineVersion,
      at: now,
    });
    await this.step(em, row, 1, policy, due);
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

  /**
   * One transition: restore, transition, the next due visit from the regency's schedule (a
   * closing one when none is owed), the optimistic write, history, the step.
   */
  async apply(em: EntityManager, actor: Actor, row: AccompanimentRow, event: AccompanimentEvent): Promise<AccompanimentRow> {
    const now = this.clock.now();
    const policy = await this.policies.of(row.regencyCode, em);
    const machine = ACCOMPANIMENT_MACHINES[row.machineVersion];
    let [snapshot] = transition(machine, restore(machine, row.snapshot), event);
    let due = snapshot.value === 'open' ? this.dueOf(persist(snapshot).context, policy) : null;
    if (snapshot.value === 'open' && !due) [snapshot] = transition(machine, snapshot, { type: 'CLOSE', reason: 'COMPLETED' });
    const before = row.state;
    const expected = row.version;
    const stored = persist(snapshot);
    const next: AccompanimentRow = { ...row, state: stored.value as AccompanimentRow['state'], snapshot: stored, version: row.version + 1, updatedAt: now };
    if (next.state === 'closed') due = null;
    this.setDue(next, due);
    if (!(await this.repo.update(em, next, expected))) throw new VersionConflict('accompaniment', expected, expected + 1);
    const seq = await this.repo.nextSeq(em, row.id);
    await this.repo.appendHistory(em, {
      accompanimentId: row.id,
      seq,
      regencyCode: row.regencyCode,
      type: event.type,
      fromState: before,
      toState: next.state,
      payload: { ...event, due },
      actorId: actor.userId,
      actorRole: actor.role,
      machineVersion: row.machineVersion,
      at: now,
    });
    // A step is re-entered only when the due visit changed: a fact that leaves it as it is keeps its escalation progress.
    if (next.state === 'closed') await this.deadlines.leave(em, ACCOMPANIMENT, [row.id]);
    else if (next.dueOn !== row.dueOn || event.type === 'VISIT') await this.step(em, next, seq, policy, due);
    return next;
  }

  /** The step's parties for the sweep: the TPK members of the village, its team's coordinator, the kecamatan's PKB, DP2KB. */
  private async describe(em: EntityManager, steps: DueStep[]): Promise<Map<string, StepParties>> {
    const villages = [...new Set(steps.map((s) => s.villageCode).filter((v): v is string => !!v))];
    const [members, policies] = await Promise.all([
      this.teams.membersOfVillages(em, villages),
      this.policies.ofMany([...new Set(steps.map((s) => s.regencyCode))], em),
    ]);
    const out = new Map<string, StepParties>();
    for (const s of steps) {
      const here = members.filter((m) => m.villageCodes.includes(s.villageCode ?? ''));
      const policy = policies.get(s.regencyCode)!;
      const coordinators = [...new Set(here.map((m) => m.coordinatorUserId).filter((x): x is string => !!x))];
      out.set(s.aggregateId, {
        caseId: null,
        // No personal data: it goes to webhooks and e-mail.
        title: `TPK visit ${s.step.replace('visit:', '')} due in village ${s.villageCode} is overdue`,
        assignees: [...new Set(here.map((m) => m.userId))],
        supervisors: coordinators,
        byRule: {
          tpk_member: [...new Set(here.map((m) => m.userId))],
          tpk_coordinator: coordinators,
          pkb: policy.visits.pkbUserIds[(s.villageCode ?? '').slice(0, 6)] ?? [],
          dp2kb: policy.visits.dp2kbUserIds,
        },
      });
    }
    return out;
  }

  private dueOf(c: AccompanimentContext, policy: SlaPolicy): DueVisit | null {
    const target = scheduleTarget(c);
    return target ? nextDue(target, c.visits, policy.visits.schedule) : null;
  }

  private setDue(row: AccompanimentRow, due: DueVisit | null): void {
    row.dueOn = due?.dueOn ?? null;
    row.stepDueAt = due ? endOfLocalDay(row.regencyCode, due.dueOn) : null;
  }

  private async step(em: EntityManager, row: AccompanimentRow, seq: number, policy: SlaPolicy, due: DueVisit | null): Promise<void> {
    if (row.state !== 'open' || !row.stepDueAt || !due) return;
    const label = due.label;
    await this.deadlines.enter(
      em,
      [
        {
          aggregateType: ACCOMPANIMENT,
          aggregateId: row.id,
          regencyCode: row.regencyCode,
          villageCode: row.villageCode,
          opdId: null,
          step: `visit:${row.targetGroup}:${label}`,
          stepSeq: seq,
          enteredAt: this.clock.now(),
          dueAt: row.stepDueAt,
        },
      ],
      new Map([[row.regencyCode, policy]]),
    );
  }
}
