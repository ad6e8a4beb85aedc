import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { DomainError, Forbidden, NotFound, ValidationFailed } from '../../common/errors/domain-error.js';
import { decodeCursor, type Page, pageSize, toPage } from '../../common/http/pagination.js';
import type { HistoryEntry } from '../../workflow/lifecycle.js';
import { WorkflowService } from '../../workflow/workflow.service.js';
import { CasesService } from '../cases/cases.service.js';
import { SlaPoliciesService } from '../escalation/sla-policies.service.js';
import { type Actor, regencyScope } from '../identity/actor.js';
import { type OpdSummary, OpdsService } from '../organisations/opds.service.js';
import { SubjectProjection, type SubjectView } from '../subjects/subject-projection.js';
import { type SubjectSummary, SubjectsService } from '../subjects/subjects.service.js';
import type { CreateTaskDto, ListTasksQueryDto, TaskCommand } from './dto/task.dto.js';
import type { TaskContext, TaskEventType, TaskState } from './machine/task.types.js';
import { STEP_OF, TaskLifecycle, taskScope } from './task.lifecycle.js';
import type { TaskEntity } from './task.entity.js';
import { TasksRepository } from './tasks.repository.js';

export interface TaskView {
  id: string;
  /** null for a referral (an early-warning flag of a child without a case). */
  caseId: string | null;
  /** A referral's flag and the reading that raised it. */
  referral: { flag: string; measurementId: string; raisedOn: string } | null;
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

export interface TimelineTask {
  id: string;
  caseId: string | null;
  referral: { flag: string; measurementId: string; raisedOn: string } | null;
  regencyCode: string;
  opd: { id: string; code: string | null; name: string | null };
  action: string;
  state: TaskState;
  createdAt: Date;
  history: HistoryEntry[];
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

  /** The tasks of these cases and the subject's referrals, for a subject's data export. */
  async exportFor(caseIds: string[], subjectId?: string): Promise<object[]> {
    const out: object[] = [];
    const rows = [];
    for (const caseId of caseIds) rows.push(...(await this.tasks.ofCase(this.ds.manager, caseId)));
    if (subjectId) rows.push(...(await this.tasks.referralsOf(this.ds.manager, [subjectId])));
    for (const t of rows) {
      out.push({ id: t.id, caseId: t.caseId, referral: t.evidence, opdId: t.opdId, action: t.action, state: t.state, context: t.snapshot.context, createdAt: t.createdAt.toISOString() });
    }
    return out;
  }

  /**
   * Every task about a child, of every OPD: its cases' tasks and its referrals, with the OPD and
   * the task's history (the child's timeline; the caller decides who may see them).
   */
  async ofSubject(subjectId: string, caseIds: string[]): Promise<TimelineTask[]> {
    const em = this.ds.manager;
    const rows = await this.tasks.aboutSubject(em, subjectId, caseIds);
    const opds = await this.opds.summaries(em, rows.map((r) => r.opdId));
    const out: TimelineTask[] = [];
    for (const r of rows) {
      const o = opds.get(r.opdId);
      out.push({
        id: r.id,
        caseId: r.caseId,
        referral: r.evidence,
        regencyCode: r.regencyCode,
        opd: { id: r.opdId, code: o?.code ?? null, name: o?.name ?? null },
        action: r.action,
        state: r.state,
        createdAt: r.createdAt,
        history: await this.workflow.history('task', r.id, em),
      });
    }
    return out;
  }

  /**
   * Referrals of children an early warning flagged (2T, BGM, faltering; issue 23): one task each
   * for the regency's referral OPD (the KMS standard names it, DINKES by default), with the reading
   * as evidence, in the readings' transaction. None for a child who already has an open referral
   * or an open case (the case owns its follow-up), nor where the regency has no such OPD.
   */
  async refer(
    em: EntityManager,
    actor: Actor,
    flags: { subjectId: string; regencyCode: string; villageCode: string; kind: string; measurementId: string; raisedOn: string; opdCode: string }[],
  ): Promise<TaskEntity[]> {
    // Per regency once (an import batch flags many children of one regency): its referral OPD and policy.
    const opds = new Map<string, { id: string } | null>();
    for (const f of flags) {
      const key = `${f.regencyCode}:${f.opdCode}`;
      if (!opds.has(key)) opds.set(key, await this.opds.byCode(em, f.regencyCode, f.opdCode));
    }
    const referable = flags.filter((f) => opds.get(`${f.regencyCode}:${f.opdCode}`));
    if (!referable.length) return [];
    const open = new Set((await this.tasks.referralsOf(em, referable.map((f) => f.subjectId), this.lifecycle.finished)).map((t) => t.subjectId));
    const cases = await this.cases.openCasesFor(em, referable.map((f) => f.subjectId));
    const policies = await this.policies.ofMany([...new Set(referable.map((f) => f.regencyCode))], em);
    const now = this.clock.now();
    const items = [];
    const seen = new Set<string>();
    for (const f of referable) {
      if (open.has(f.subjectId) || cases.has(f.subjectId) || seen.has(f.subjectId)) continue;
      seen.add(f.subjectId);
      const [task] = this.lifecycle.newTasks(
        actor,
        { id: null, subjectId: f.subjectId, regencyCode: f.regencyCode, villageCode: f.villageCode },
        [{ opdId: opds.get(`${f.regencyCode}:${f.opdCode}`)!.id, action: `Rujukan: ${f.kind} pada penimbangan ${f.raisedOn}`, evidence: { flag: f.kind, measurementId: f.measurementId, raisedOn: f.raisedOn } }],
        policies.get(f.regencyCode)!,
        now,
      );
      items.push({ ...task, cause: { aggregate: 'measurement' as const, id: f.measurementId, event: 'FLAGGED' } });
    }
    return this.workflow.start<TaskEntity>('task', em, actor, items, { at: now });
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
    const { row, loaded, escalationLevel } = await this.workflow.apply<TaskEntity>('task', id, command, actor, { expectedVersion });
    // The command's read brought the case, the child and the OPD along: the answer reads nothing more.
    const read = this.lifecycle.readOf(loaded);
    const s = read.subject ? this.subjects.summaryOf(read.subject) : undefined;
    return this.view(actor, row, s, read.opd ?? undefined, escalationLevel);
  }

  private async views(actor: Actor, rows: TaskEntity[]): Promise<TaskView[]> {
    const em = this.ds.manager;
    const cases = await this.cases.briefs(em, rows.flatMap((r) => (r.caseId ? [r.caseId] : [])));
    const subjectOf = (r: TaskEntity) => (r.caseId ? cases.get(r.caseId)?.subjectId : (r.subjectId ?? undefined));
    const [subjects, opds, deadlines] = await Promise.all([
      this.subjects.summaries(rows.map(subjectOf).filter((x): x is string => !!x), em),
      this.opds.summaries(em, rows.map((r) => r.opdId)),
      this.workflow.currentSteps(em, 'task', rows.map((r) => r.id)),
    ]);
    return rows.map((r) => {
      const subjectId = subjectOf(r);
      return this.view(actor, r, subjectId ? subjects.get(subjectId) : undefined, opds.get(r.opdId), deadlines.get(r.id)?.escalationLevel ?? 0);
    });
  }

  private view(actor: Actor, r: TaskEntity, s: SubjectSummary | undefined, o: OpdSummary | undefined, escalationLevel: number): TaskView {
    return {
        id: r.id,
        caseId: r.caseId,
        referral: r.evidence,
        regencyCode: r.regencyCode,
        opd: o ? { id: o.id, code: o.code, name: o.name } : null,
        action: r.action,
        state: r.state,
        version: r.version,
        ackDueAt: r.ackDueAt.toISOString(),
        dueAt: r.dueAt.toISOString(),
        step: STEP_OF[r.state] ?? null,
        stepDueAt: r.stepDueAt ? r.stepDueAt.toISOString() : null,
        overdue: r.stepDueAt !== null && r.stepDueAt < this.clock.now(),
        escalationLevel,
        allowedEvents: this.workflow.allowedEvents(this.lifecycle, actor, r) as TaskEventType[],
        subject: this.projection.subject(actor, s),
        replacesTaskId: r.replacesTaskId,
        context: r.snapshot.context,
        createdAt: r.createdAt.toISOString(),
        updatedAt: r.updatedAt.toISOString(),
      };
  }
}
