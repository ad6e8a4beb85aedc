import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ValidationFailed } from '../../common/errors/domain-error.js';
import { Lifecycle, type LifecycleDefinition, type Loaded, type Move, type NewAggregate, type StepOpen, type StepParties, type Transition } from '../../workflow/lifecycle.js';
import { eventsOf, restore } from '../../workflow/snapshot.js';
import type { DueStep } from '../../workflow/step-deadlines.service.js';
import { WorkflowService } from '../../workflow/workflow.service.js';
import { type CaseBrief, CasesService } from '../cases/cases.service.js';
import type { Recommendation } from '../cases/machine/case.types.js';
import { resolvePolicy, type SlaPolicy } from '../escalation/policy.js';
import { SlaPoliciesService } from '../escalation/sla-policies.service.js';
import { addDays } from '../escalation/working-days.js';
import { type Actor, regencyScope } from '../identity/actor.js';
import { UsersDirectory } from '../identity/users.directory.js';
import { OpdsService } from '../organisations/opds.service.js';
import { LATEST_TASK_MACHINE, taskMachine } from './machine/task.machine.js';
import { FINAL_TASK_STATES, type TaskState } from './machine/task.types.js';
import { TASK_EVENT_ROLES } from './task-permissions.js';
import type { TaskEntity } from './task.entity.js';
import { type TaskForCommand, type TaskScope, TasksRepository } from './tasks.repository.js';

/** The deadline step each task state is in; finished states have none. */
export const STEP_OF: Partial<Record<TaskState, 'acknowledge' | 'complete' | 'verify' | 'reassign'>> = {
  assigned: 'acknowledge',
  acknowledged: 'complete',
  in_progress: 'complete',
  done: 'verify',
  declined: 'reassign',
};

export interface NewTask {
  /** Set when the id was promised before the task exists (a REASSIGN names its successor). */
  id?: string;
  opdId: string;
  action: string;
  dueInDays?: number;
  replacesTaskId?: string;
}

/** An actor's view of tasks: an OPD liaison sees their own OPD's only. */
export function taskScope(actor: Actor): TaskScope {
  return { regencyCode: regencyScope(actor), opdId: actor.role === 'opd_liaison' ? (actor.opdId ?? '00000000-0000-0000-0000-000000000000') : null };
}

/**
 * The OPD follow-up task (RTL) lifecycle: assigned → acknowledged → in_progress → done →
 * verified, declined → reassigned, cancelled. An audit's recommendations open tasks; a finished
 * case calls off those still open; a REASSIGN opens the successor it names.
 */
@Injectable()
@Lifecycle()
export class TaskLifecycle implements LifecycleDefinition<TaskEntity> {
  readonly type = 'task';
  readonly noun = 'task';
  readonly latestMachine = LATEST_TASK_MACHINE;
  readonly table = 'tasks';
  readonly history = 'task_history';
  readonly historyKey = 'task_id';
  readonly eventRoles = TASK_EVENT_ROLES;
  readonly finished = FINAL_TASK_STATES;
  readonly effects = { REASSIGN: ['task:open-replacement'] } as const;
  readonly reactions = {
    'open-recommended': (t: Transition<never>) => this.openRecommended(t as unknown as Transition<CaseBrief>),
    'cancel-open': (t: Transition<never>) => this.cancelOpen(t as unknown as Transition<CaseBrief>),
    'open-replacement': (t: Transition<never>) => this.openReplacement(t as unknown as Transition<TaskEntity>),
  };

  constructor(
    private readonly tasks: TasksRepository,
    private readonly cases: CasesService,
    private readonly opds: OpdsService,
    private readonly policies: SlaPoliciesService,
    private readonly users: UsersDirectory,
    private readonly workflow: WorkflowService,
  ) {}

  machine(version: number) {
    return taskMachine(version);
  }

  async load(em: EntityManager, id: string, actor: Actor | null): Promise<Loaded<TaskEntity> | null> {
    const found = await this.tasks.findForCommand(em, id, actor ? taskScope(actor) : { regencyCode: null, opdId: null });
    if (!found) return null;
    const { row, brief, subject } = found;
    const policy = resolvePolicy(row.regencyCode, found.policy);
    // A case's task is where the case is; a referral where the child lives.
    const villageCode = row.caseId === null ? (subject?.villageCode ?? null) : (brief?.villageCode ?? null);
    return { row, policy, villageCode, opdId: row.opdId, extra: found };
  }

  /** What the command's read brought along (the case's brief, the child, the OPD), for the answer. */
  readOf(loaded: Loaded<TaskEntity>): TaskForCommand {
    return loaded.extra as TaskForCommand;
  }

  insert(em: EntityManager, rows: TaskEntity[]): Promise<void> {
    return this.tasks.insert(em, rows);
  }

  inputOf(first: { at: Date }) {
    return { assignedAt: new Date(first.at).toISOString() };
  }

  async complete(m: Move<TaskEntity>): Promise<Record<string, unknown>> {
    const payload = { ...m.command.payload };
    if (m.command.type === 'REASSIGN') {
      const opd = await this.opds.byCode(m.em, m.row.regencyCode, payload.opdCode as string);
      if (!opd) throw ValidationFailed.field('opdCode', `names no OPD of regency ${m.row.regencyCode}`);
      if (opd.id === m.row.opdId) throw ValidationFailed.field('opdCode', 'is the OPD that declined the task: name another');
      payload.newTaskId = randomUUID();
    }
    return payload;
  }

  stepOf(m: Move<TaskEntity>, to: string): StepOpen | null {
    const step = STEP_OF[to as TaskState];
    if (!step) return null;
    const dueAt = this.stepDue(m.row, step, m.loaded.policy, m.now);
    // Acknowledged → in progress is the same step: its escalation goes on.
    return { step, dueAt, keep: step === STEP_OF[m.row.state] };
  }

  /**
   * New tasks of a case (an audit's recommendations, one added by hand, a reassignment's
   * successor) or, with `c.subjectId` and no case, a referral of a child.
   */
  newTasks(
    actor: Actor,
    c: { id: string | null; subjectId?: string; regencyCode: string; villageCode: string },
    items: (NewTask & { evidence?: TaskEntity['evidence'] })[],
    policy: SlaPolicy,
    at: Date,
  ): NewAggregate<TaskEntity>[] {
    return items.map((item) => {
      const ackDueAt = this.policies.addWorkingDays(policy, at, policy.tasks.acknowledgeWorkingDays);
      const row = {
        id: item.id ?? randomUUID(),
        regencyCode: c.regencyCode,
        caseId: c.id,
        subjectId: c.id === null ? (c.subjectId ?? null) : null,
        evidence: item.evidence ?? null,
        opdId: item.opdId,
        action: item.action,
        ackDueAt,
        dueAt: addDays(at, item.dueInDays ?? policy.tasks.completeDays),
        replacesTaskId: item.replacesTaskId ?? null,
        createdBy: actor.userId,
        createdAt: at,
        updatedAt: at,
      };
      return {
        row,
        input: { assignedAt: at.toISOString() },
        entry: { type: 'ASSIGN', payload: { opdId: item.opdId, action: item.action, replacesTaskId: row.replacesTaskId, ...(row.evidence ? { evidence: row.evidence } : {}) } },
        policy,
        villageCode: c.villageCode,
        opdId: item.opdId,
      };
    });
  }

  private stepDue(row: TaskEntity, step: NonNullable<(typeof STEP_OF)[TaskState]>, policy: SlaPolicy, now: Date): Date {
    switch (step) {
      case 'acknowledge':
        return row.ackDueAt;
      case 'complete':
        return row.dueAt;
      case 'verify':
        return addDays(now, policy.tasks.verifyDays);
      case 'reassign':
        return this.policies.addWorkingDays(policy, now, policy.tasks.reassignWorkingDays);
    }
  }

  private async openRecommended(t: Transition<CaseBrief>): Promise<void> {
    const items: NewTask[] = [];
    for (const r of t.payload.recommendations as Recommendation[]) {
      // The case checked every code before the audit was accepted.
      const opd = (await this.opds.byCode(t.em, t.row.regencyCode, r.opdCode))!;
      items.push({ opdId: opd.id, action: r.action, dueInDays: r.dueInDays });
    }
    const c = { id: t.row.id, regencyCode: t.row.regencyCode, villageCode: t.loaded.villageCode ?? '' };
    await this.workflow.start('task', t.em, t.actor, this.newTasks(t.actor, c, items, t.loaded.policy, t.at), {
      cause: { aggregate: 'case', id: t.row.id, event: t.event },
      at: t.at,
    });
  }

  /** Work not yet done is called off; a task already done still waits for its verification. */
  private async cancelOpen(t: Transition<CaseBrief>): Promise<void> {
    for (const task of await this.tasks.openOfCase(t.em, t.row.id, this.finished)) {
      if (!eventsOf(restore(taskMachine(task.machineVersion), task.snapshot)).includes('CANCEL')) continue;
      await this.workflow.apply('task', task.id, { type: 'CANCEL', payload: { reason: `the case was ${t.to}` } }, t.actor, {
        em: t.em,
        expectedVersion: task.version,
        cause: { aggregate: 'case', id: t.row.id, event: t.event },
      });
    }
  }

  private async openReplacement(t: Transition<TaskEntity>): Promise<void> {
    const p = t.payload;
    const opd = (await this.opds.byCode(t.em, t.row.regencyCode, p.opdCode as string))!;
    const c = { id: t.row.caseId, subjectId: t.row.subjectId ?? undefined, regencyCode: t.row.regencyCode, villageCode: t.loaded.villageCode ?? '' };
    const item: NewTask & { evidence?: TaskEntity['evidence'] } = { evidence: t.row.evidence, id: p.newTaskId as string, opdId: opd.id, action: (p.action as string | undefined) ?? t.row.action, dueInDays: p.dueInDays as number | undefined, replacesTaskId: t.row.id };
    await this.workflow.start('task', t.em, t.actor, this.newTasks(t.actor, c, [item], t.loaded.policy, t.at), { at: t.at });
  }

  /** Acknowledging and completing answer to the OPD's liaisons, watched by the case manager; verifying and reassigning to the case manager. */
  async parties(em: EntityManager, steps: DueStep[]): Promise<Map<string, StepParties>> {
    const tasks = new Map((await this.tasks.findMany(em, steps.map((s) => s.aggregateId))).map((t) => [t.id, t]));
    const cases = await this.cases.briefs(em, [...tasks.values()].flatMap((t) => (t.caseId ? [t.caseId] : [])));
    const opdIds = [...new Set([...tasks.values()].map((t) => t.opdId))];
    const liaisons = await this.users.activeByRole(em, 'opd_liaison', { opdIds });
    // A referral has no case: every case manager of its regency watches it.
    const unassigned = [
      ...new Set([...[...cases.values()].filter((c) => !c.assigneeId).map((c) => c.regencyCode), ...[...tasks.values()].filter((t) => !t.caseId).map((t) => t.regencyCode)]),
    ];
    const managers = unassigned.length ? await this.users.activeByRole(em, 'case_manager', { regencyCodes: unassigned }) : [];
    const opds = await this.opds.summaries(em, opdIds);
    const out = new Map<string, StepParties>();
    for (const s of steps) {
      const t = tasks.get(s.aggregateId);
      if (!t) continue;
      const c = t.caseId ? cases.get(t.caseId) : undefined;
      const caseManagers = c?.assigneeId ? [c.assigneeId] : managers.filter((m) => m.regencyCode === t.regencyCode).map((m) => m.id);
      const opdStep = s.step === 'acknowledge' || s.step === 'complete';
      out.set(t.id, {
        caseId: t.caseId,
        title: `task ${t.id} of ${opds.get(t.opdId)?.code ?? 'an OPD'} is past its ${s.step} deadline`,
        assignees: opdStep ? liaisons.filter((l) => l.opdId === t.opdId).map((l) => l.id) : caseManagers,
        supervisors: opdStep ? caseManagers : [],
      });
    }
    return out;
  }
}
