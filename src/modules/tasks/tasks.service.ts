import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { initialTransition, transition } from 'xstate';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { DomainError, Forbidden, NotFound, ValidationFailed, VersionConflict } from '../../common/errors/domain-error.js';
import { decodeCursor, type Page, pageSize, toPage } from '../../common/http/pagination.js';
import { eventsOf, persist, restore } from '../../workflow/snapshot.js';
import type { CaseBrief } from '../cases/cases.repository.js';
import { type CaseTransition, CasesService } from '../cases/cases.service.js';
import type { Recommendation } from '../cases/machine/case.types.js';
import type { DueStep } from '../escalation/deadlines.repository.js';
import { DeadlinesService, type StepParties } from '../escalation/deadlines.service.js';
import { addDays } from '../escalation/working-days.js';
import type { SlaPolicy } from '../escalation/policy.js';
import { SlaPoliciesService } from '../escalation/sla-policies.service.js';
import { type Actor, regencyScope } from '../identity/actor.js';
import { UsersRepository } from '../identity/users.repository.js';
import { OpdsService } from '../organisations/opds.service.js';
import { SubjectsService } from '../subjects/subjects.service.js';
import type { CreateTaskDto, ListTasksQueryDto, TaskCommand } from './dto/task.dto.js';
import { LATEST_TASK_MACHINE, taskMachine } from './machine/task.machine.js';
import { FINAL_TASK_STATES, type TaskContext, type TaskEvent, type TaskEventType, type TaskState } from './machine/task.types.js';
import { TASK_EVENT_ROLES } from './task-permissions.js';
import type { TaskEntity, TaskHistoryEntity } from './task.entity.js';
import { type TaskScope, TasksRepository } from './tasks.repository.js';

/** The deadline step each task state is in; finished states have none. */
const STEP_OF: Partial<Record<TaskState, 'acknowledge' | 'complete' | 'verify' | 'reassign'>> = {
  assigned: 'acknowledge',
  acknowledged: 'complete',
  in_progress: 'complete',
  done: 'verify',
  declined: 'reassign',
};

export interface TaskView {
  id: string;
  caseId: string;
  regencyCode: string;
  opd: { id: string; code: string; name: string } | null;
  action: string;
  state: TaskState;
  version: number;
  ackDueAt: string;
  dueAt: string;
  /** The deadline of the step the task is in (acknowledge, complete, verify or reassign). */
  step: string | null;
  stepDueAt: string | null;
  overdue: boolean;
  escalationLevel: number;
  allowedEvents: TaskEventType[];
  /** Only what the task needs of the child: never the NIK, never the audit's findings. */
  subject: { firstName: string; targetGroup: string; villageCode: string; villageName: string | null; districtName: string | null } | null;
  replacesTaskId: string | null;
  context: TaskContext;
  createdAt: string;
  updatedAt: string;
}

interface NewTask {
  /** Set when the id was promised before the task exists (a REASSIGN names its successor). */
  id?: string;
  opdId: string;
  action: string;
  dueInDays?: number;
  replacesTaskId?: string;
}

/**
 * OPD follow-up tasks (RTL) as persisted lifecycles, like cases: pure machine, optimistic
 * version, append-only history, and a step deadline that the escalation sweep watches. An audit
 * creates them; a finished case cancels the ones still open; all in the case's transaction.
 */
@Injectable()
export class TasksService implements OnModuleInit {
  constructor(
    private readonly ds: DataSource,
    private readonly tasks: TasksRepository,
    private readonly cases: CasesService,
    private readonly subjects: SubjectsService,
    private readonly opds: OpdsService,
    private readonly deadlines: DeadlinesService,
    private readonly policies: SlaPoliciesService,
    private readonly users: UsersRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.cases.onTransition(['RECORD_AUDIT', 'RESOLVE', 'CLOSE'], (em, t) => this.onCaseTransition(em, t));
    this.deadlines.describeWith('task', (em, steps) => this.stepParties(em, steps));
  }

  private async onCaseTransition(em: EntityManager, t: CaseTransition): Promise<void> {
    if (t.type === 'RECORD_AUDIT') {
      const brief = { id: t.caseId, regencyCode: t.regencyCode, villageCode: t.villageCode };
      const recommendations = t.payload.recommendations as Recommendation[];
      const items: NewTask[] = [];
      for (const r of recommendations) {
        // The case checked every code before the audit was accepted.
        const opd = (await this.opds.byCode(em, t.regencyCode, r.opdCode))!;
        items.push({ opdId: opd.id, action: r.action, dueInDays: r.dueInDays });
      }
      await this.createIn(em, t.actor, brief, items, t.at);
    }
    if (t.to === 'resolved' || t.to === 'closed') {
      // Work not yet done is called off; a task already done still waits for its verification.
      for (const task of await this.tasks.openOfCase(em, t.caseId)) {
        if (!eventsOf(restore(taskMachine(task.machineVersion), task.snapshot)).includes('CANCEL')) continue;
        await this.applyIn(em, t.actor, task, { type: 'CANCEL', payload: { reason: `the case was ${t.to}` } }, { asEffect: true });
      }
    }
  }

  async create(actor: Actor, caseId: string, dto: CreateTaskDto): Promise<TaskView> {
    const task = await this.ds.transaction(async (em) => {
      const brief = (await this.cases.briefs(em, [caseId], regencyScope(actor))).get(caseId);
      if (!brief) throw new NotFound('case');
      if (brief.state === 'resolved' || brief.state === 'closed') throw new DomainError('INVALID_TRANSITION', `the case is ${brief.state}: it takes no new tasks`, { state: brief.state });
      const opd = await this.opds.byCode(em, brief.regencyCode, dto.opdCode);
      if (!opd) throw ValidationFailed.field('opdCode', `names no OPD of regency ${brief.regencyCode}`);
      return (await this.createIn(em, actor, brief, [{ opdId: opd.id, action: dto.action, dueInDays: dto.dueInDays }], this.clock.now()))[0];
    });
    return (await this.views(actor, [task]))[0];
  }

  private async createIn(em: EntityManager, actor: Actor, c: Pick<CaseBrief, 'id' | 'regencyCode' | 'villageCode'>, items: NewTask[], at: Date): Promise<TaskEntity[]> {
    if (!items.length) return [];
    const policy = await this.policies.of(c.regencyCode, em);
    const rows: TaskEntity[] = [];
    const entries: TaskHistoryEntity[] = [];
    for (const item of items) {
      const [snapshot] = initialTransition(taskMachine(LATEST_TASK_MACHINE), { assignedAt: at.toISOString() });
      const ackDueAt = this.policies.addWorkingDays(policy, at, policy.tasks.acknowledgeWorkingDays);
      const row: TaskEntity = {
        id: item.id ?? randomUUID(),
        regencyCode: c.regencyCode,
        caseId: c.id,
        opdId: item.opdId,
        action: item.action,
        state: 'assigned',
        machineVersion: LATEST_TASK_MACHINE,
        snapshot: persist(snapshot),
        version: 1,
        ackDueAt,
        dueAt: addDays(at, item.dueInDays ?? policy.tasks.completeDays),
        stepDueAt: ackDueAt,
        replacesTaskId: item.replacesTaskId ?? null,
        createdBy: actor.userId,
        createdAt: at,
        updatedAt: at,
      };
      rows.push(row);
      entries.push(this.entry(row, actor, 'ASSIGN', null, 'assigned', { opdId: item.opdId, action: item.action, replacesTaskId: row.replacesTaskId }, at, 1));
    }
    await this.tasks.insert(em, rows, entries);
    await this.deadlines.enter(
      em,
      rows.map((r) => this.stepOf(r, c.villageCode, 'acknowledge', r.ackDueAt, 1, at)),
      new Map([[policy.regencyCode, policy]]),
    );
    return rows;
  }

  /** The tasks of these cases, for a subject's data export. */
  async exportFor(caseIds: string[]): Promise<object[]> {
    const out: object[] = [];
    for (const caseId of caseIds) {
      for (const t of await this.tasks.ofCase(this.ds.manager, caseId)) {
        out.push({ id: t.id, caseId: t.caseId, opdId: t.opdId, action: t.action, state: t.state, context: t.snapshot.context, createdAt: t.createdAt.toISOString() });
      }
    }
    return out;
  }

  async list(actor: Actor, q: ListTasksQueryDto): Promise<Page<TaskView>> {
    const scope = this.scope(actor);
    if (scope.opdId !== null && q.opdId !== undefined && q.opdId !== scope.opdId) throw new Forbidden('an OPD liaison sees their own OPD only');
    const limit = pageSize(q.limit);
    const after = decodeCursor(q.cursor, ['string', 'string']) as [string, string] | undefined;
    const rows = await this.tasks.list({
      ...scope,
      state: q.state,
      filterOpdId: q.opdId,
      caseId: q.caseId,
      overdueAt: q.overdue === 'true' ? this.clock.now() : undefined,
      after: after ? [after[0] === '' ? null : after[0], after[1]] : undefined,
      limit,
    });
    const page = toPage(rows, limit, (r) => r, (r) => [r.stepDueAt ? r.stepDueAt.toISOString() : '', r.id]);
    return { items: await this.views(actor, page.items), nextCursor: page.nextCursor };
  }

  async get(actor: Actor, id: string): Promise<TaskView> {
    const row = await this.tasks.findInScope(id, this.scope(actor));
    if (!row) throw new NotFound('task');
    return (await this.views(actor, [row]))[0];
  }

  async history(actor: Actor, id: string): Promise<Page<object>> {
    const row = await this.tasks.findInScope(id, this.scope(actor));
    if (!row) throw new NotFound('task');
    const entries = await this.tasks.history(id);
    return {
      items: entries.map((h) => ({
        seq: h.seq,
        type: h.type,
        fromState: h.fromState,
        toState: h.toState,
        payload: h.payload,
        actor: h.actorId ? { id: h.actorId, role: h.actorRole } : null,
        at: h.at.toISOString(),
      })),
      nextCursor: null,
    };
  }

  /** One lifecycle event, if the task is still at `expectedVersion`; a refused event writes nothing. */
  async apply(actor: Actor, id: string, expectedVersion: number, command: TaskCommand): Promise<TaskView> {
    const updated = await this.ds.transaction(async (em) => {
      if (!TASK_EVENT_ROLES[command.type].includes(actor.role)) throw new Forbidden(`the role ${actor.role} may not send ${command.type}`);
      const row = await this.tasks.findInScope(id, this.scope(actor), em);
      if (!row) throw new NotFound('task');
      if (row.version !== expectedVersion) throw new VersionConflict('task', expectedVersion, row.version);
      return this.applyIn(em, actor, row, command);
    });
    return (await this.views(actor, [updated]))[0];
  }

  private async applyIn(em: EntityManager, actor: Actor, row: TaskEntity, command: TaskCommand, opts: { asEffect?: boolean } = {}): Promise<TaskEntity> {
    const machine = taskMachine(row.machineVersion);
    const snapshot = restore(machine, row.snapshot);
    if (!eventsOf(snapshot).includes(command.type)) {
      throw new DomainError('INVALID_TRANSITION', `${command.type} is not possible while the task is ${row.state}`, {
        state: row.state,
        allowedEvents: this.allowedEvents(actor, row),
      });
    }
    const now = this.clock.now();
    const policy = await this.policies.of(row.regencyCode, em);
    const c = (await this.cases.briefs(em, [row.caseId])).get(row.caseId)!;
    const payload = { ...command.payload };
    let replacement: NewTask | null = null;
    if (command.type === 'REASSIGN') {
      const opd = await this.opds.byCode(em, row.regencyCode, payload.opdCode as string);
      if (!opd) throw ValidationFailed.field('opdCode', `names no OPD of regency ${row.regencyCode}`);
      if (opd.id === row.opdId) throw ValidationFailed.field('opdCode', 'is the OPD that declined the task: name another');
      payload.newTaskId = randomUUID();
      replacement = { id: payload.newTaskId as string, opdId: opd.id, action: (payload.action as string | undefined) ?? row.action, dueInDays: payload.dueInDays as number | undefined, replacesTaskId: row.id };
    }
    const [next] = transition(machine, snapshot, { ...payload, type: command.type, at: now.toISOString() } as TaskEvent);
    const state = next.value as TaskState;
    const step = STEP_OF[state];
    const stepDueAt = this.stepDue(row, state, policy, now);
    const entry = this.entry(row, actor, command.type, row.state, state, payload, now, row.version + 1, opts.asEffect);
    const changes = { state, snapshot: persist(next), stepDueAt, updatedAt: now };
    if (!(await this.tasks.update(em, row.id, row.version, changes, entry))) {
      throw new VersionConflict('task', row.version, row.version + 1);
    }
    const updated: TaskEntity = { ...row, ...changes, version: row.version + 1 };
    if (!step) await this.deadlines.leave(em, 'task', [row.id]);
    else if (step !== STEP_OF[row.state]) {
      await this.deadlines.enter(em, [this.stepOf(updated, c.villageCode, step, stepDueAt!, updated.version, now)], new Map([[policy.regencyCode, policy]]));
    }
    if (replacement) await this.createIn(em, actor, c, [replacement], now);
    return updated;
  }

  private stepDue(row: TaskEntity, state: TaskState, policy: SlaPolicy, now: Date): Date | null {
    switch (STEP_OF[state]) {
      case 'acknowledge':
        return row.ackDueAt;
      case 'complete':
        return row.dueAt;
      case 'verify':
        return addDays(now, policy.tasks.verifyDays);
      case 'reassign':
        return this.policies.addWorkingDays(policy, now, policy.tasks.reassignWorkingDays);
      default:
        return null;
    }
  }

  private stepOf(row: TaskEntity, villageCode: string, step: string, dueAt: Date, stepSeq: number, at: Date) {
    return {
      aggregateType: 'task' as const,
      aggregateId: row.id,
      regencyCode: row.regencyCode,
      villageCode,
      opdId: row.opdId,
      step,
      stepSeq,
      enteredAt: at,
      dueAt,
    };
  }

  /** Acknowledging and completing answer to the OPD's liaisons, watched by the case manager; verifying and reassigning to the case manager. */
  private async stepParties(em: EntityManager, steps: DueStep[]): Promise<Map<string, StepParties>> {
    const tasks = new Map((await this.tasks.findMany(em, steps.map((s) => s.aggregateId))).map((t) => [t.id, t]));
    const cases = await this.cases.briefs(em, [...tasks.values()].map((t) => t.caseId));
    const opdIds = [...new Set([...tasks.values()].map((t) => t.opdId))];
    const liaisons = await this.users.activeByRole(em, 'opd_liaison', { opdIds });
    const unassigned = [...new Set([...cases.values()].filter((c) => !c.assigneeId).map((c) => c.regencyCode))];
    const managers = unassigned.length ? await this.users.activeByRole(em, 'case_manager', { regencyCodes: unassigned }) : [];
    const opds = await this.opds.summaries(em, opdIds);
    const out = new Map<string, StepParties>();
    for (const s of steps) {
      const t = tasks.get(s.aggregateId);
      if (!t) continue;
      const c = cases.get(t.caseId);
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

  private scope(actor: Actor): TaskScope {
    return { regencyCode: regencyScope(actor), opdId: actor.role === 'opd_liaison' ? (actor.opdId ?? '00000000-0000-0000-0000-000000000000') : null };
  }

  private entry(row: TaskEntity, actor: Actor, type: string, from: TaskState | null, to: TaskState, payload: object, at: Date, seq: number, asEffect = false): TaskHistoryEntity {
    return {
      taskId: row.id,
      seq,
      regencyCode: row.regencyCode,
      type,
      fromState: from,
      toState: to,
      payload: asEffect ? { ...payload, effect: true } : payload,
      actorId: actor.userId,
      actorRole: actor.role,
      machineVersion: row.machineVersion,
      at,
    };
  }

  private allowedEvents(actor: Actor, row: TaskEntity): TaskEventType[] {
    const snapshot = restore(taskMachine(row.machineVersion), row.snapshot);
    return (eventsOf(snapshot) as TaskEventType[]).filter((t) => TASK_EVENT_ROLES[t].includes(actor.role));
  }

  private async views(actor: Actor, rows: TaskEntity[]): Promise<TaskView[]> {
    const em = this.ds.manager;
    const cases = await this.cases.briefs(em, rows.map((r) => r.caseId));
    const [subjects, opds, deadlines] = await Promise.all([
      this.subjects.summaries([...cases.values()].map((c) => c.subjectId), em),
      this.opds.summaries(em, rows.map((r) => r.opdId)),
      this.deadlines.current(em, 'task', rows.map((r) => r.id)),
    ]);
    const now = this.clock.now();
    return rows.map((r) => {
      const c = cases.get(r.caseId);
      const s = c ? subjects.get(c.subjectId) : undefined;
      const o = opds.get(r.opdId);
      return {
        id: r.id,
        caseId: r.caseId,
        regencyCode: r.regencyCode,
        opd: o ? { id: o.id, code: o.code, name: o.name } : null,
        action: r.action,
        state: r.state,
        version: r.version,
        ackDueAt: r.ackDueAt.toISOString(),
        dueAt: r.dueAt.toISOString(),
        step: STEP_OF[r.state] ?? null,
        stepDueAt: r.stepDueAt ? r.stepDueAt.toISOString() : null,
        overdue: r.stepDueAt !== null && r.stepDueAt < now,
        escalationLevel: deadlines.get(r.id)?.escalationLevel ?? 0,
        allowedEvents: FINAL_TASK_STATES.includes(r.state) ? [] : this.allowedEvents(actor, r),
        subject: s
          ? { firstName: s.name.split(' ')[0], targetGroup: s.targetGroup, villageCode: s.villageCode, villageName: s.villageName, districtName: s.districtName }
          : null,
        replacesTaskId: r.replacesTaskId,
        context: r.snapshot.context,
        createdAt: r.createdAt.toISOString(),
        updatedAt: r.updatedAt.toISOString(),
      };
    });
  }
}
