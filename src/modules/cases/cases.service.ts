import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { dayOf, instantOf, isFutureDay, localDay } from '../../common/clock/calendar-day.js';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { Conflict, NotFound, ValidationFailed, VersionConflict } from '../../common/errors/domain-error.js';
import { pgCode, pgConstraint, UNIQUE_VIOLATION } from '../../common/errors/pg-errors.js';
import { decodeCursor, type Page, pageSize, toPage } from '../../common/http/pagination.js';
import { type Cause, type HistoryEntry, isFinished, type NewAggregate } from '../../workflow/lifecycle.js';
import { WorkflowService } from '../../workflow/workflow.service.js';
import type { SlaPolicy } from '../escalation/policy.js';
import { SlaPoliciesService } from '../escalation/sla-policies.service.js';
import { type Actor, regencyScope } from '../identity/actor.js';
import { UsersDirectory } from '../identity/users.directory.js';
import { SubjectProjection, type SubjectView } from '../subjects/subject-projection.js';
import { SubjectsService, type SubjectSummary } from '../subjects/subjects.service.js';
import type { CaseEntity, CaseSource } from './case.entity.js';
import { CaseLifecycle } from './case.lifecycle.js';
import { type CaseBrief, type CaseSubject, CasesRepository } from './cases.repository.js';
import type { CaseCommand } from './dto/case-event.dto.js';
import type { ListCasesQueryDto, OpenCaseDto } from './dto/case.dto.js';
import type { FinishedCase } from './new-case-rule.js';
import type { CaseContext, CaseEventType, CaseState } from './machine/case.types.js';

export type { CaseBrief } from './cases.repository.js';

export interface OpenCase {
  id: string;
  state: CaseState;
  version: number;
  context: CaseContext;
}

export interface CaseView {
  id: string;
  regencyCode: string;
  state: CaseState;
  version: number;
  machineVersion: number;
  stepEnteredAt: string;
  stepDueAt: string | null;
  overdue: boolean;
  /** The highest escalation rung fired on the current step (0: none). */
  escalationLevel: number;
  allowedEvents: CaseEventType[];
  /** As the caller's role may see the child (SubjectProjection). */
  subject: SubjectView | null;
  assignee: { id: string; displayName: string } | null;
  source: string;
  openedAt: string;
  updatedAt: string;
  context: CaseContext;
}

export interface HistoryView {
  seq: number;
  type: string;
  fromState: CaseState | null;
  toState: CaseState;
  payload: object;
  actor: { id: string; role: string | null } | null;
  /** Set when the entry is the effect of another event (a delivery started the intervention): what caused it. */
  cause: Cause | null;
  at: string;
}

/**
 * Cases as persisted lifecycles. A command reads the case, computes the next state with XState's
 * pure transition(), and writes it only if the version is unchanged, with one history entry, in
 * one atomic statement. A refused command writes nothing.
 */
@Injectable()
export class CasesService {
  constructor(
    private readonly ds: DataSource,
    private readonly cases: CasesRepository,
    private readonly lifecycle: CaseLifecycle,
    private readonly workflow: WorkflowService,
    private readonly sla: SlaPoliciesService,
    private readonly subjects: SubjectsService,
    private readonly projection: SubjectProjection,
    private readonly users: UsersDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async open(actor: Actor, dto: OpenCaseDto): Promise<CaseView> {
    let id: string;
    try {
      id = await this.ds.transaction(async (em) => {
        const subject = await this.subjects.summaryInScope(em, dto.subjectId, regencyScope(actor));
        if (!subject) throw new NotFound('subject');
        const now = this.clock.now();
        if (isFutureDay(dto.identifiedAt, subject.regencyCode, now)) throw ValidationFailed.field('identifiedAt', 'is in the future');
        if (dayOf(dto.identifiedAt, subject.regencyCode) < subject.birthDate) throw ValidationFailed.field('identifiedAt', 'is before the subject was born');
        const identifiedAt = instantOf(dto.identifiedAt, subject.regencyCode, { now });
        return this.openIn(em, actor, subject, identifiedAt, dto.source, dto.note ? { note: dto.note } : {});
      });
    } catch (e) {
      if (pgCode(e) === UNIQUE_VIOLATION && pgConstraint(e) === 'ux_cases_open_subject') {
        // Lost a race with a concurrent open for the same subject.
        await this.refuseSecondOpenCase(this.ds.manager, dto.subjectId);
      }
      throw e;
    }
    return this.get(actor, id);
  }

  /**
   * Opens cases as the effect of measurements, in their transaction, two statements for any
   * number: the caller passes subjects without an open case (the unique index refuses any
   * other). Each reading and its z-score go into its case's first history entry.
   */
  async openForMeasurements(
    em: EntityManager,
    actor: Actor,
    source: CaseSource,
    items: { subject: SubjectSummary; identifiedAt: Date; evidence: Record<string, unknown> }[],
  ): Promise<string[]> {
    if (!items.length) return [];
    const policies = new Map<string, SlaPolicy>();
    for (const { subject } of items) {
      if (!policies.has(subject.regencyCode)) policies.set(subject.regencyCode, await this.sla.of(subject.regencyCode, em));
    }
    const rows = await this.workflow.start<CaseEntity>(
      'case',
      em,
      actor,
      items.map(({ subject, identifiedAt, evidence }) =>
        this.newCase(actor, subject, source, identifiedAt, policies.get(subject.regencyCode)!, { measurement: evidence }),
      ),
    );
    return rows.map((r) => r.id);
  }

  /** Whether a case in this state is finished (it takes no new tasks or interventions). */
  isFinished(state: string): boolean {
    return isFinished(this.lifecycle, state);
  }

  /** Cases by id (within a regency, or any for null), for other aggregates' views and recipients. */
  async briefs(em: EntityManager, ids: string[], regencyCode: string | null = null): Promise<Map<string, CaseBrief>> {
    return new Map((await this.cases.briefs(em, [...new Set(ids)], regencyCode)).map((c) => [c.id, c]));
  }

  /** A subject's cases with their whole history, for the subject's data export. */
  async exportFor(em: EntityManager, subjectId: string): Promise<object[]> {
    const out: object[] = [];
    for (const c of await this.cases.ofSubject(em, subjectId)) {
      out.push({
        id: c.id,
        state: c.state,
        source: c.source,
        openedAt: c.openedAt.toISOString(),
        context: c.snapshot.context,
        history: (await this.workflow.history('case', c.id, em)).map((h) => ({ seq: h.seq, type: h.type, fromState: h.fromState, toState: h.toState, payload: h.payload, at: h.at.toISOString() })),
      });
    }
    return out;
  }

  /**
   * A subject's cases (optionally within a regency) with their raw history, oldest first, for the
   * child's timeline; the caller projects each payload (SubjectProjection.casePayload).
   */
  async ofSubjectWithHistory(subjectId: string, regencyCode: string | null): Promise<{ id: string; regencyCode: string; state: CaseState; source: string; openedAt: Date; history: HistoryEntry[] }[]> {
    const em = this.ds.manager;
    const out = [];
    for (const c of await this.cases.ofSubject(em, subjectId)) {
      if (regencyCode !== null && c.regencyCode !== regencyCode) continue;
      out.push({ id: c.id, regencyCode: c.regencyCode, state: c.state, source: c.source, openedAt: c.openedAt, history: await this.workflow.history('case', c.id, em) });
    }
    return out;
  }

  /** Per subject with cases: whether one is open, and when any of them last changed (retention weighs both). */
  async activityOf(em: EntityManager, subjectIds: string[]): Promise<Map<string, { open: boolean; lastChangedAt: Date }>> {
    return new Map((await this.cases.activityOf(em, subjectIds)).map((r) => [r.subjectId, { open: r.open, lastChangedAt: new Date(r.lastChangedAt) }]));
  }

  /** Retention: strips notes from the finished cases of these subjects. */
  stripFreeText(em: EntityManager, subjectIds: string[]): Promise<number> {
    return this.cases.stripFreeText(em, subjectIds);
  }

  /** The regency's rule for when a stunted reading opens a new case (see new-case-rule.ts). */
  async newCasePolicy(em: EntityManager, regencyCode: string): Promise<Pick<SlaPolicy, 'outcome' | 'newCases'>> {
    const { outcome, newCases } = await this.sla.of(regencyCode, em);
    return { outcome, newCases };
  }

  /** Each subject's last finished case, for the rule of when a stunted reading opens a new one. */
  async lastFinishedFor(em: EntityManager, subjectIds: string[]): Promise<Map<string, FinishedCase>> {
    const rows = await this.cases.lastFinishedOf(em, subjectIds);
    return new Map(
      rows.map((r) => [r.subjectId, { state: r.state, finishedDay: localDay(new Date(r.finishedAt), r.regencyCode), resolvedHaz: r.resolvedHaz }]),
    );
  }

  /** The open cases of these subjects, by subject, for effects of other aggregates on them. */
  async openCasesFor(em: EntityManager, subjectIds: string[]): Promise<Map<string, OpenCase>> {
    const rows = await this.cases.openCasesOf(em, subjectIds);
    return new Map(rows.map((r) => [r.subjectId, { id: r.id, state: r.state, version: r.version, context: r.snapshot.context }]));
  }

  private async openIn(
    em: EntityManager,
    actor: Actor,
    subject: SubjectSummary,
    identifiedAt: Date,
    source: CaseSource,
    extra: Record<string, unknown>,
  ): Promise<string> {
    await this.refuseSecondOpenCase(em, subject.id);
    const policy = await this.sla.of(subject.regencyCode, em);
    const [row] = await this.workflow.start<CaseEntity>('case', em, actor, [this.newCase(actor, subject, source, identifiedAt, policy, extra)]);
    return row.id;
  }

  private newCase(actor: Actor, subject: SubjectSummary, source: CaseSource, identifiedAt: Date, policy: SlaPolicy, extra: Record<string, unknown>): NewAggregate<CaseEntity> {
    const now = this.clock.now();
    const at = identifiedAt.toISOString();
    return {
      row: {
        id: randomUUID(),
        regencyCode: subject.regencyCode,
        subjectId: subject.id,
        villageCode: subject.villageCode,
        source,
        assigneeId: actor.role === 'case_manager' ? actor.userId : null,
        stepEnteredAt: now,
        openedAt: now,
        openedBy: actor.userId,
        updatedAt: now,
      },
      input: { identifiedAt: at },
      entry: { type: 'OPEN', payload: { identifiedAt: at, source, ...extra } },
      policy,
      villageCode: subject.villageCode,
      opdId: null,
    };
  }

  async get(actor: Actor, id: string): Promise<CaseView> {
    const row = await this.cases.findInScope(id, regencyScope(actor));
    if (!row) throw new NotFound('case');
    return (await this.views(actor, [row]))[0];
  }

  async list(actor: Actor, q: ListCasesQueryDto): Promise<Page<CaseView>> {
    const limit = pageSize(q.limit);
    const after = decodeCursor(q.cursor, ['string', 'string']) as [string, string] | undefined;
    const rows = await this.cases.queue({
      regencyCode: regencyScope(actor),
      states: q.state ? [q.state] : undefined,
      villageCode: q.villageCode,
      assigneeId: q.assignee === 'me' ? actor.userId : q.assignee,
      overdueAt: q.overdue === 'true' ? this.clock.now() : undefined,
      after: after ? [after[0] === '' ? null : after[0], after[1]] : undefined,
      limit,
    });
    const page = toPage(rows, limit, (r) => r, (r) => [r.stepDueAt ? r.stepDueAt.toISOString() : '', r.id]);
    return { items: await this.views(actor, page.items), nextCursor: page.nextCursor };
  }

  async history(actor: Actor, id: string): Promise<Page<HistoryView>> {
    const row = await this.cases.findInScope(id, regencyScope(actor));
    if (!row) throw new NotFound('case');
    const entries = await this.workflow.history('case', id);
    return {
      items: entries.map((h) => ({
        seq: h.seq,
        type: h.type,
        fromState: h.fromState as CaseState | null,
        toState: h.toState as CaseState,
        payload: this.projection.casePayload(actor, h.payload),
        actor: h.actorId ? { id: h.actorId, role: h.actorRole } : null,
        cause: h.cause,
        at: h.at.toISOString(),
      })),
      nextCursor: null,
    };
  }

  /** The HAZ at identification and the latest plausible one, for reports on what changed. */
  outcomeOf(em: EntityManager, subjectId: string, identifiedAt: string): Promise<{ latestHaz: number; baselineHaz: number } | null> {
    return this.lifecycle.evidence().outcome(em, subjectId, identifiedAt);
  }

  async causes(): Promise<Page<{ code: string; name: string; kind: string }>> {
    const rows = await this.cases.causes();
    return { items: rows.map((c) => ({ code: c.code, name: c.name, kind: c.kind })), nextCursor: null };
  }

  /**
   * Sends one lifecycle event to a case, as `actor`, if the case is still at `expectedVersion`
   * (the kernel's eight steps). Pass `em` and a `cause` to make it the effect of another event.
   */
  async apply(
    actor: Actor,
    id: string,
    expectedVersion: number,
    command: CaseCommand,
    em?: EntityManager,
    opts: { cause?: Cause } = {},
  ): Promise<CaseView> {
    const { row, loaded, escalationLevel } = await this.workflow.apply<CaseEntity>('case', id, command, actor, { em, expectedVersion, cause: opts.cause });
    return (await this.views(actor, [row], em, new Map([[id, escalationLevel]]), this.lifecycle.subjectOf(loaded)))[0];
  }

  async assign(actor: Actor, id: string, expectedVersion: number | undefined, userId: string): Promise<CaseView> {
    await this.ds.transaction(async (em) => {
      const loaded = await this.lifecycle.load(em, id, actor);
      if (!loaded) throw new NotFound('case');
      const row = loaded.row;
      if (expectedVersion !== undefined && row.version !== expectedVersion) throw new VersionConflict('case', expectedVersion, row.version);
      const user = await this.users.findInScope(userId, row.regencyCode, em);
      if (!user || !user.active || user.role !== 'case_manager') {
        throw ValidationFailed.field('userId', 'is not an active case manager of the case regency');
      }
      if (row.assigneeId === userId) return;
      await this.workflow.record<CaseEntity>('case', loaded, { type: 'ASSIGN', payload: { assigneeId: userId, previousAssigneeId: row.assigneeId } }, actor, {
        em,
        changes: { assigneeId: userId },
      });
    });
    return this.get(actor, id);
  }

  private async refuseSecondOpenCase(em: EntityManager, subjectId: string): Promise<void> {
    const openCaseId = await this.cases.openCaseOf(em, subjectId);
    if (openCaseId) throw new Conflict('the subject already has an open case', { openCaseId });
  }

  private allowedEvents(actor: Actor, row: CaseEntity): CaseEventType[] {
    return this.workflow.allowedEvents(this.lifecycle, actor, row) as CaseEventType[];
  }

  private async views(
    actor: Actor,
    rows: CaseEntity[],
    em: EntityManager = this.ds.manager,
    levels?: Map<string, number>,
    known?: CaseSubject | null,
  ): Promise<CaseView[]> {
    // A case manager mostly works their own cases: their name is already known.
    const assigneeIds = [...new Set(rows.map((r) => r.assigneeId).filter((x): x is string => x !== null && x !== actor.userId))];
    const [subjects, assignees, deadlines] = await Promise.all([
      known !== undefined ? new Map(known ? [[known.id, this.subjects.summaryOf(known)]] : []) : this.subjects.summaries(rows.map((r) => r.subjectId), em),
      this.users.displayNames(assigneeIds, em),
      levels ? Promise.resolve(null) : this.workflow.currentSteps(em, 'case', rows.map((r) => r.id)),
    ]);
    const now = this.clock.now();
    return rows.map((r) => ({
      id: r.id,
      regencyCode: r.regencyCode,
      state: r.state,
      version: r.version,
      machineVersion: r.machineVersion,
      stepEnteredAt: r.stepEnteredAt.toISOString(),
      stepDueAt: r.stepDueAt ? r.stepDueAt.toISOString() : null,
      overdue: r.stepDueAt !== null && r.stepDueAt < now,
      escalationLevel: levels?.get(r.id) ?? deadlines?.get(r.id)?.escalationLevel ?? 0,
      allowedEvents: this.allowedEvents(actor, r),
      subject: this.projection.subject(actor, subjects.get(r.subjectId)),
      assignee: r.assigneeId
        ? { id: r.assigneeId, displayName: r.assigneeId === actor.userId ? actor.displayName : (assignees.get(r.assigneeId) ?? '') }
        : null,
      source: r.source,
      openedAt: r.openedAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      context: r.snapshot.context,
    }));
  }
}

