import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { DomainError, Forbidden, NotFound, ValidationFailed } from '../../common/errors/domain-error.js';
import { decodeCursor, type Page, pageSize, toPage } from '../../common/http/pagination.js';
import { WorkflowService } from '../../workflow/workflow.service.js';
import { CasesService } from '../cases/cases.service.js';
import { SlaPoliciesService } from '../escalation/sla-policies.service.js';
import { type Actor, regencyScope } from '../identity/actor.js';
import { OpdsService } from '../organisations/opds.service.js';
import { SubjectProjection, type SubjectView } from '../subjects/subject-projection.js';
import { SubjectsService } from '../subjects/subjects.service.js';
import type { CreateTaskDto, ListTasksQueryDto, TaskCommand } from './dto/task.dto.js';
import type { TaskContext, TaskEventType, TaskState } from './machine/task.types.js';
import { STEP_OF, TaskLifecycle, taskScope } from './task.lifecycle.js';
import type { TaskEntity } from './task.entity.js';
import { TasksRepository } from './tasks.repository.js';

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
  /** As the caller's role may see the child (SubjectProjection): never the NIK. */
  subject: SubjectView | null;
  replacesTaskId: string | null;
  context: TaskContext;
  createdAt: string;
  updatedAt: string;
}

/**
 * OPD follow-up tasks (RTL) as persisted lifecycles, like cases: pure machine, optimistic
 * version, append-only history, and a step deadline that the escalation sweep watches. An audit
 * creates them; a finished case cancels the ones still open; all in the case's transaction.
 */
@Injectable()
export class TasksService {
  constructor(
    private readonly ds: DataSource,
    private readonly tasks: TasksRepository,
    private readonly lifecycle: TaskLifecycle,
    private readonly workflow: WorkflowService,
    private readonly cases: CasesService,
    private readonly subjects: SubjectsService,
    private readonly projection: SubjectProjection,
    private readonly opds: OpdsService,
    private readonly policies: SlaPoliciesService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(actor: Actor, caseId: string, dto: CreateTaskDto): Promise<TaskView> {
    const task = await this.ds.transaction(async (em) => {
      const brief = (await this.cases.briefs(em, [caseId], regencyScope(actor))).get(caseId);
      if (!brief) throw new NotFound('case');
      if (this.cases.isFinished(brief.state)) throw new DomainError('INVALID_TRANSITION', `the case is ${brief.state}: it takes no new tasks`, { state: brief.state });
      const opd = await this.opds.byCode(em, brief.regencyCode, dto.opdCode);
      if (!opd) throw ValidationFailed.field('opdCode', `names no OPD of regency ${brief.regencyCode}`);
      const now = this.clock.now();
      const policy = await this.policies.of(brief.regencyCode, em);
      const items = this.lifecycle.newTasks(actor, brief, [{ opdId: opd.id, action: dto.action, dueInDays: dto.dueInDays }], policy, now);
      return (await this.workflow.start<TaskEntity>('task', em, actor, items, { at: now }))[0];
    });
    return (await this.views(actor, [task]))[0];
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
    const scope = taskScope(actor);
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
    const row = await this.tasks.findInScope(id, taskScope(actor));
    if (!row) throw new NotFound('task');
    return (await this.views(actor, [row]))[0];
  }

  async history(actor: Actor, id: string): Promise<Page<object>> {
    const row = await this.tasks.findInScope(id, taskScope(actor));
    if (!row) throw new NotFound('task');
    const entries = await this.workflow.history('task', id);
    return {
      items: entries.map((h) => ({
        seq: h.seq,
        type: h.type,
        fromState: h.fromState,
        toState: h.toState,
        payload: h.payload,
        actor: h.actorId ? { id: h.actorId, role: h.actorRole } : null,
        cause: h.cause,
        at: h.at.toISOString(),
      })),
      nextCursor: null,
    };
  }

  /** One lifecycle event, if the task is still at `expectedVersion`; a refused event writes nothing. */
  async apply(actor: Actor, id: string, expectedVersion: number, command: TaskCommand): Promise<TaskView> {
    const { row } = await this.workflow.apply<TaskEntity>('task', id, command, actor, { expectedVersion });
    return (await this.views(actor, [row]))[0];
  }

  private async views(actor: Actor, rows: TaskEntity[]): Promise<TaskView[]> {
    const em = this.ds.manager;
    const cases = await this.cases.briefs(em, rows.map((r) => r.caseId));
    const [subjects, opds, deadlines] = await Promise.all([
      this.subjects.summaries([...cases.values()].map((c) => c.subjectId), em),
      this.opds.summaries(em, rows.map((r) => r.opdId)),
      this.workflow.currentSteps(em, 'task', rows.map((r) => r.id)),
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
        allowedEvents: this.workflow.allowedEvents(this.lifecycle, actor, r) as TaskEventType[],
        subject: this.projection.subject(actor, s),
        replacesTaskId: r.replacesTaskId,
        context: r.snapshot.context,
        createdAt: r.createdAt.toISOString(),
        updatedAt: r.updatedAt.toISOString(),
      };
    });
  }
}
