import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { initialTransition, transition } from 'xstate';
import { dayOf, instantOf, isCalendarDay, isFutureDay, localDay } from '../../common/clock/calendar-day.js';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { Conflict, DomainError, Forbidden, NotFound, ValidationFailed, VersionConflict } from '../../common/errors/domain-error.js';
import { pgCode, pgConstraint, UNIQUE_VIOLATION } from '../../common/errors/pg-errors.js';
import { decodeCursor, type Page, pageSize, toPage } from '../../common/http/pagination.js';
import { eventsOf, persist, restore } from '../../workflow/snapshot.js';
import { type Actor, regencyScope } from '../identity/actor.js';
import { UsersRepository } from '../identity/users.repository.js';
import { OpdsService } from '../organisations/opds.service.js';
import { SubjectProjection, type SubjectView } from '../subjects/subject-projection.js';
import { SubjectsService, type SubjectSummary } from '../subjects/subjects.service.js';
import type { CaseEntity, CaseHistoryEntity, CaseSource } from './case.entity.js';
import { EVENT_ROLES } from './case-permissions.js';
import { eventOf } from './case-replay.js';
import { type CaseBrief, type CaseSubject, CasesRepository } from './cases.repository.js';
import type { CaseCommand } from './dto/case-event.dto.js';
import type { ListCasesQueryDto, OpenCaseDto } from './dto/case.dto.js';
import type { FinishedCase } from './new-case-rule.js';
import { guardProblems } from './machine/case.machine.js';
import { caseMachine, LATEST_CASE_MACHINE } from './machine/case-machines.js';
import { type CaseContext, type CaseEventType, type CaseState, FINISHED_STATES, type OpenState } from './machine/case.types.js';
import type { StepDeadline } from '../escalation/deadlines.repository.js';
import { DeadlinesService, type StepParties } from '../escalation/deadlines.service.js';
import { resolvePolicy, type SlaPolicy } from '../escalation/policy.js';
import { SlaPoliciesService } from '../escalation/sla-policies.service.js';

const DAY_MS = 86_400_000;

/** The HAZ at identification and the latest plausible HAZ of a subject, or null without one. */
export type OutcomeEvidence = (
  em: EntityManager,
  subjectId: string,
  identifiedAt: string,
) => Promise<{ latestHaz: number; baselineHaz: number } | null>;

/**
 * Stores the reading of a RECORD_REMEASUREMENT sent as a case event as the child's measurement
 * (scored against WHO, linked to the case), in the event's transaction: one reading, one truth.
 * Gives the stored reading's id and HAZ, or why it cannot count as the re-measurement.
 */
export type RemeasurementRecorder = (
  em: EntityManager,
  actor: Actor,
  c: { caseId: string; subjectId: string },
  reading: { measuredAt: string; heightCm: number; weightKg?: number; method: 'recumbent' | 'standing' },
) => Promise<{ measurementId: string; haz: number | null; problem: string | null }>;

/** A case moved by an event, as other aggregates see it, inside the transition's transaction. */
export interface CaseTransition {
  caseId: string;
  regencyCode: string;
  villageCode: string;
  subjectId: string;
  assigneeId: string | null;
  type: CaseEventType;
  from: CaseState;
  to: CaseState;
  payload: Record<string, unknown>;
  actor: Actor;
  at: Date;
}

export type TransitionListener = (em: EntityManager, t: CaseTransition) => Promise<void>;

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
  at: string;
}

/**
 * Cases as persisted lifecycles. A command reads the case, computes the next state with XState's
 * pure transition(), and writes it only if the version is unchanged, with one history entry, in
 * one atomic statement. A refused command writes nothing.
 */
@Injectable()
export class CasesService implements OnModuleInit {
  private readonly listeners: { events: CaseEventType[]; run: TransitionListener }[] = [];

  constructor(
    private readonly ds: DataSource,
    private readonly cases: CasesRepository,
    private readonly sla: SlaPoliciesService,
    private readonly subjects: SubjectsService,
    private readonly projection: SubjectProjection,
    private readonly users: UsersRepository,
    private readonly opds: OpdsService,
    private readonly deadlines: DeadlinesService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.deadlines.describeWith('case', (em, steps) => this.stepParties(em, steps.map((s) => s.aggregateId)));
  }

  /**
   * Lets another aggregate react to case transitions in their transaction (an audit creates OPD
   * tasks; a finished case cancels them). Registered by modules that depend on cases, which
   * cases cannot import.
   */
  onTransition(events: CaseEventType[], listener: TransitionListener): void {
    this.listeners.push({ events, run: listener });
  }

  /** Case steps answer to the case's manager (every case manager of the regency while unassigned); the AKS chair supervises. */
  private async stepParties(em: EntityManager, ids: string[]): Promise<Map<string, StepParties>> {
    const rows = await this.cases.briefs(em, ids);
    const unassigned = [...new Set(rows.filter((r) => !r.assigneeId).map((r) => r.regencyCode))];
    const managers = unassigned.length ? await this.users.activeByRole(em, 'case_manager', { regencyCodes: unassigned }) : [];
    return new Map(
      rows.map((r) => [
        r.id,
        {
          caseId: r.id,
          title: `case ${r.id} has been in step ${r.state} past its deadline`,
          assignees: r.assigneeId ? [r.assigneeId] : managers.filter((m) => m.regencyCode === r.regencyCode).map((m) => m.id),
          supervisors: [],
        },
      ]),
    );
  }

  private stepOf(row: CaseEntity, stepSeq: number): StepDeadline {
    return {
      aggregateType: 'case',
      aggregateId: row.id,
      regencyCode: row.regencyCode,
      villageCode: row.villageCode,
      opdId: null,
      step: row.state,
      stepSeq,
      enteredAt: row.stepEnteredAt,
      dueAt: row.stepDueAt!,
    };
  }

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
    const now = this.clock.now();
    const machineVersion = LATEST_CASE_MACHINE;
    const policies = new Map<string, SlaPolicy>();
    const rows: CaseEntity[] = [];
    const entries: CaseHistoryEntity[] = [];
    for (const { subject, identifiedAt, evidence } of items) {
      if (!policies.has(subject.regencyCode)) policies.set(subject.regencyCode, await this.sla.of(subject.regencyCode, em));
      const [snapshot] = initialTransition(caseMachine(machineVersion), { identifiedAt: identifiedAt.toISOString() });
      const row = this.newCase(actor, subject, source, persist(snapshot), now, policies.get(subject.regencyCode)!);
      rows.push(row);
      entries.push(this.openingEntry(row, actor, { identifiedAt: identifiedAt.toISOString(), source, measurement: evidence }));
    }
    await this.cases.insertMany(em, rows, entries);
    await this.deadlines.enter(em, rows.map((r) => this.stepOf(r, 1)), policies);
    return rows.map((r) => r.id);
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
        history: (await this.cases.history(c.id)).map((h) => ({ seq: h.seq, type: h.type, fromState: h.fromState, toState: h.toState, payload: h.payload, at: h.at.toISOString() })),
      });
    }
    return out;
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
    const [snapshot] = initialTransition(caseMachine(LATEST_CASE_MACHINE), { identifiedAt: identifiedAt.toISOString() });
    const policy = await this.sla.of(subject.regencyCode, em);
    const row = this.newCase(actor, subject, source, persist(snapshot), this.clock.now(), policy);
    await this.cases.insert(em, row, this.openingEntry(row, actor, { identifiedAt: identifiedAt.toISOString(), source, ...extra }));
    await this.deadlines.enter(em, [this.stepOf(row, 1)], new Map([[policy.regencyCode, policy]]));
    return row.id;
  }

  private newCase(actor: Actor, subject: SubjectSummary, source: CaseSource, snapshot: CaseEntity['snapshot'], now: Date, policy: SlaPolicy): CaseEntity {
    return {
      id: randomUUID(),
      regencyCode: subject.regencyCode,
      subjectId: subject.id,
      villageCode: subject.villageCode,
      state: 'identified',
      machineVersion: LATEST_CASE_MACHINE,
      snapshot,
      version: 1,
      source,
      assigneeId: actor.role === 'case_manager' ? actor.userId : null,
      stepEnteredAt: now,
      stepDueAt: new Date(now.getTime() + policy.days.identified * DAY_MS),
      openedAt: now,
      openedBy: actor.userId,
      updatedAt: now,
    };
  }

  private openingEntry(row: CaseEntity, actor: Actor, payload: Record<string, unknown>): CaseHistoryEntity {
    return {
      caseId: row.id,
      seq: 1,
      regencyCode: row.regencyCode,
      type: 'OPEN',
      fromState: null,
      toState: 'identified',
      payload,
      actorId: actor.userId,
      actorRole: actor.role,
      machineVersion: row.machineVersion,
      at: row.openedAt,
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
    const entries = await this.cases.history(id);
    return {
      items: entries.map((h) => ({
        seq: h.seq,
        type: h.type,
        fromState: h.fromState,
        toState: h.toState,
        payload: this.projection.casePayload(actor, h.payload),
        actor: h.actorId ? { id: h.actorId, role: h.actorRole } : null,
        at: h.at.toISOString(),
      })),
      nextCursor: null,
    };
  }

  private outcomeEvidence: OutcomeEvidence | undefined;
  private remeasurementRecorder: RemeasurementRecorder | undefined;

  /** Where a RECORD_REMEASUREMENT event's reading is stored: registered by the growth module, as the outcome evidence is. */
  useRemeasurementRecorder(recorder: RemeasurementRecorder): void {
    this.remeasurementRecorder = recorder;
  }

  /** The HAZ at identification and the latest plausible one, for reports on what changed. */
  async outcomeOf(em: EntityManager, subjectId: string, identifiedAt: string): Promise<{ latestHaz: number; baselineHaz: number } | null> {
    return (await this.outcomeEvidence?.(em, subjectId, identifiedAt)) ?? null;
  }

  /**
   * Where RESOLVE finds the outcome: registered by the growth module, which depends on cases
   * (a measurement opens and advances cases), so cases cannot import it.
   */
  useOutcomeEvidence(source: OutcomeEvidence): void {
    this.outcomeEvidence = source;
  }

  async causes(): Promise<Page<{ code: string; name: string; kind: string }>> {
    const rows = await this.cases.causes();
    return { items: rows.map((c) => ({ code: c.code, name: c.name, kind: c.kind })), nextCursor: null };
  }

  /**
   * Sends one lifecycle event to a case, as `actor`, if the case is still at `expectedVersion`.
   * The case is read, the next state computed, and then one statement writes it only if the
   * version is unchanged, together with its history entry: a refused or raced command writes
   * nothing. Pass `em` to make the event part of a caller's transaction (another aggregate's effect).
   */
  async apply(
    actor: Actor,
    id: string,
    expectedVersion: number,
    command: CaseCommand,
    em?: EntityManager,
    opts: { asEffect?: boolean } = {},
  ): Promise<CaseView> {
    // The move, its history entry and its deadline are one statement; a transaction is needed only
    // when another aggregate reacts to this event (an audit creates tasks).
    // A re-measurement sent by a user stores its reading too, so it needs one as well.
    const storesReading = command.type === 'RECORD_REMEASUREMENT' && command.payload.measurementId === undefined;
    if (!em && (storesReading || this.listeners.some((l) => l.events.includes(command.type)))) {
      return this.ds.transaction((tx) => this.apply(actor, id, expectedVersion, command, tx, opts));
    }
    em ??= this.ds.manager;
    // An effect of another aggregate (a measurement moving its case) is the system's act, not a role's.
    if (!opts.asEffect && !EVENT_ROLES[command.type].includes(actor.role)) {
      throw new Forbidden(`the role ${actor.role} may not send ${command.type}`);
    }
    const found = await this.cases.findForCommand(em, id, regencyScope(actor));
    if (!found) throw new NotFound('case');
    const { row } = found;
    if (row.version !== expectedVersion) throw new VersionConflict('case', expectedVersion, row.version);
    const machine = caseMachine(row.machineVersion);
    const snapshot = restore(machine, row.snapshot);
    if (!eventsOf(snapshot).includes(command.type)) {
      throw new DomainError('INVALID_TRANSITION', `${command.type} is not possible while the case is ${row.state}`, {
        state: row.state,
        allowedEvents: this.allowedEvents(actor, row),
      });
    }
    const policy = resolvePolicy(row.regencyCode, found.policy);
    const now = this.clock.now();
    const payload = await this.complete(em, actor, row, command, policy);
    const event = eventOf({ type: command.type, payload, at: now });
    const problem = (guardProblems as Record<string, ((c: CaseContext, e: unknown) => string | null) | undefined>)[command.type]?.(
      snapshot.context,
      event,
    );
    if (problem) throw new DomainError('GUARD_FAILED', problem, { event: command.type, reason: problem });
    const [next] = transition(machine, snapshot, event);
    if (next === snapshot) throw new DomainError('GUARD_FAILED', `${command.type} was refused by the lifecycle`, { event: command.type });
    const state = next.value as CaseState;
    const changes = {
      state,
      snapshot: persist(next),
      stepEnteredAt: now,
      stepDueAt: FINISHED_STATES.includes(state) ? null : new Date(now.getTime() + policy.days[state as OpenState] * DAY_MS),
      assigneeId: row.assigneeId,
      updatedAt: now,
    };
    const entry = this.entry(row, actor, command.type, row.state, state, payload, now);
    const updated: CaseEntity = { ...row, ...changes, version: row.version + 1 };
    const step = changes.stepDueAt === null ? { leave: true as const } : { enter: this.deadlines.rowFor(this.stepOf(updated, updated.version), policy) };
    if (!(await this.cases.update(em, id, expectedVersion, changes, entry, step))) throw await this.conflictNow(em, id, expectedVersion);
    for (const { events, run: listener } of this.listeners) {
      if (!events.includes(command.type)) continue;
      await listener(em, {
        caseId: id,
        regencyCode: row.regencyCode,
        villageCode: row.villageCode,
        subjectId: row.subjectId,
        assigneeId: row.assigneeId,
        type: command.type,
        from: row.state,
        to: state,
        payload,
        actor,
        at: now,
      });
    }
    // A transition enters a fresh step: nothing has escalated on it yet.
    return (await this.views(actor, [updated], em, new Map([[id, 0]]), found.subject))[0];
  }

  async assign(actor: Actor, id: string, expectedVersion: number | undefined, userId: string): Promise<CaseView> {
    await this.ds.transaction(async (em) => {
      const row = await this.cases.findInScope(id, regencyScope(actor), em);
      if (!row) throw new NotFound('case');
      if (expectedVersion !== undefined && row.version !== expectedVersion) throw new VersionConflict('case', expectedVersion, row.version);
      const user = await this.users.findInScope(userId, row.regencyCode, em);
      if (!user || !user.active || user.role !== 'case_manager') {
        throw ValidationFailed.field('userId', 'is not an active case manager of the case regency');
      }
      if (row.assigneeId === userId) return;
      const now = this.clock.now();
      const written = await this.cases.update(
        em,
        id,
        row.version,
        { state: row.state, snapshot: row.snapshot, stepEnteredAt: row.stepEnteredAt, stepDueAt: row.stepDueAt, assigneeId: userId, updatedAt: now },
        this.entry(row, actor, 'ASSIGN', row.state, row.state, { assigneeId: userId, previousAssigneeId: row.assigneeId }, now),
      );
      if (!written) throw await this.conflictNow(em, id, row.version);
    });
    return this.get(actor, id);
  }

  /** Checks that need the database, and what the event carries beyond the client's payload. */
  private async complete(em: EntityManager, actor: Actor, row: CaseEntity, command: CaseCommand, policy: SlaPolicy): Promise<Record<string, unknown>> {
    const payload = withInstants(command.payload, row.snapshot.context, row.regencyCode, this.clock.now());
    if (command.type === 'RECORD_REMEASUREMENT' && payload.measurementId === undefined && this.remeasurementRecorder) {
      const started = row.snapshot.context.interventionStartedAt;
      if (started && (payload.measuredAt as string) < started) {
        throw new DomainError('GUARD_FAILED', 'measuredAt is before the intervention started', { event: command.type, reason: 'measuredAt is before the intervention started' });
      }
      const stored = await this.remeasurementRecorder(em, actor, { caseId: row.id, subjectId: row.subjectId }, payload as Parameters<RemeasurementRecorder>[3]);
      if (stored.problem) throw new DomainError('GUARD_FAILED', stored.problem, { event: command.type, reason: stored.problem });
      return { ...payload, measurementId: stored.measurementId, haz: stored.haz };
    }
    if (command.type === 'RECORD_AUDIT') {
      const causes = payload.causes as string[];
      const unknown = await this.cases.unknownCauses(causes, em);
      if (unknown.length) throw ValidationFailed.field(`causes.${causes.indexOf(unknown[0])}`, `is not a cause code (see GET /api/v1/catalogues/causes)`);
      const recommendations = payload.recommendations as { opdCode: string }[];
      const missing = await this.opds.unknownCodes(em, row.regencyCode, recommendations.map((r) => r.opdCode));
      if (missing.length) {
        const i = recommendations.findIndex((r) => r.opdCode === missing[0]);
        throw ValidationFailed.field(`recommendations.${i}.opdCode`, `names no OPD of regency ${row.regencyCode}`);
      }
    }
    if (command.type === 'RESOLVE') {
      const evidence = await this.outcomeEvidence?.(em, row.subjectId, row.snapshot.context.identifiedAt);
      if (!evidence) {
        throw new DomainError('GUARD_FAILED', 'no plausible height measurement yet: record a re-measurement first', { event: 'RESOLVE' });
      }
      // The z-scores and the policy in force are recorded with the decision, so replaying history gives the same answer.
      return { ...payload, ...evidence, policy: policy.outcome };
    }
    return payload;
  }

  private entry(
    row: CaseEntity,
    actor: Actor,
    type: string,
    fromState: CaseState,
    toState: CaseState,
    payload: object,
    at: Date,
  ): CaseHistoryEntity {
    return {
      caseId: row.id,
      seq: row.version + 1,
      regencyCode: row.regencyCode,
      type,
      fromState,
      toState,
      payload,
      actorId: actor.userId,
      actorRole: actor.role,
      machineVersion: row.machineVersion,
      at,
    };
  }

  private async conflictNow(em: EntityManager, id: string, expected: number): Promise<VersionConflict> {
    const current = await this.cases.findInScope(id, null, em);
    return new VersionConflict('case', expected, current?.version ?? expected + 1);
  }

  private async refuseSecondOpenCase(em: EntityManager, subjectId: string): Promise<void> {
    const openCaseId = await this.cases.openCaseOf(em, subjectId);
    if (openCaseId) throw new Conflict('the subject already has an open case', { openCaseId });
  }

  private allowedEvents(actor: Actor, row: CaseEntity): CaseEventType[] {
    const snapshot = restore(caseMachine(row.machineVersion), row.snapshot);
    return (eventsOf(snapshot) as CaseEventType[]).filter((t) => EVENT_ROLES[t]?.includes(actor.role));
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
      levels ? Promise.resolve(null) : this.deadlines.current(em, 'case', rows.map((r) => r.id)),
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

/**
 * A day typed for an event (`auditedAt: "2026-11-20"`) is that calendar day in the case's
 * regency: the later of the day's start and the step it follows, if that was the same day, never
 * later than now. So an audit typed on the day a case was identified is after it, as the user meant.
 */
function withInstants(payload: Record<string, unknown>, c: CaseContext, regencyCode: string, now: Date): Record<string, unknown> {
  const after: Record<string, string | null> = { auditedAt: c.identifiedAt, startedAt: c.auditedAt, measuredAt: c.interventionStartedAt };
  let out = payload;
  for (const [k, prior] of Object.entries(after)) {
    const v = payload[k];
    if (typeof v !== 'string' || !isCalendarDay(v)) continue;
    out = { ...out, [k]: instantOf(v, regencyCode, { now, notBefore: prior ? new Date(prior) : undefined }).toISOString() };
  }
  return out;
}
