import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import { instantOf, isCalendarDay } from '../../common/clock/calendar-day.js';
import { DomainError, ValidationFailed } from '../../common/errors/domain-error.js';
import { resolvePolicy } from '../escalation/policy.js';
import { type Actor, regencyScope } from '../identity/actor.js';
import { UsersDirectory } from '../identity/users.directory.js';
import { OpdsService } from '../organisations/opds.service.js';
import { Lifecycle, type LifecycleDefinition, type Loaded, type Move, type StepOpen, type StepParties, type Transition } from '../../workflow/lifecycle.js';
import type { DueStep } from '../../workflow/step-deadlines.service.js';
import { WorkflowService } from '../../workflow/workflow.service.js';
import { CASE_EVIDENCE, type CaseEvidence } from './case-evidence.js';
import type { CaseEntity } from './case.entity.js';
import { EVENT_ROLES } from './case-permissions.js';
import { CASE_REPLAY } from './case-replay.js';
import { type CaseSubject, CasesRepository } from './cases.repository.js';
import { guardProblems } from './machine/case.machine.js';
import { caseMachine, LATEST_CASE_MACHINE } from './machine/case-machines.js';
import { type CaseContext, FINISHED_STATES, type OpenState } from './machine/case.types.js';

const DAY_MS = 86_400_000;

/**
 * The case lifecycle (identified → audited → intervened → remeasured → resolved, or closed): its
 * machine, who may send what, the step each state opens, what an event needs from the database,
 * and what its events set off in other lifecycles.
 */
@Injectable()
@Lifecycle()
export class CaseLifecycle implements LifecycleDefinition<CaseEntity> {
  readonly type = 'case';
  readonly noun = 'case';
  readonly latestMachine = LATEST_CASE_MACHINE;
  readonly table = 'cases';
  readonly history = 'case_history';
  readonly historyKey = 'case_id';
  readonly columns = [
    { prop: 'stepEnteredAt', column: 'step_entered_at' },
    { prop: 'assigneeId', column: 'assignee_id' },
  ] as const;
  readonly eventRoles = EVENT_ROLES;
  readonly finished = FINISHED_STATES;
  readonly records = ['ASSIGN'];
  readonly effects = {
    RECORD_AUDIT: ['task:open-recommended'],
    RESOLVE: ['task:cancel-open'],
    CLOSE: ['task:cancel-open', 'intervention:cancel-open'],
  } as const;
  readonly reactions = {
    /** An intervention's first delivery starts the intervention step of its case, if the case waits for one. */
    'start-intervention': (t: Transition<never>) => this.startIntervention(t as unknown as Transition<{ id: string; caseId: string }>),
  };
  private evidenceSource: CaseEvidence | undefined;

  constructor(
    private readonly cases: CasesRepository,
    private readonly opds: OpdsService,
    private readonly users: UsersDirectory,
    private readonly moduleRef: ModuleRef,
    private readonly workflow: WorkflowService,
  ) {}

  machine(version: number) {
    return caseMachine(version);
  }

  /** The growth module's readings, behind a token: growth depends on cases, so cases cannot import it. */
  evidence(): CaseEvidence {
    this.evidenceSource ??= this.moduleRef.get<CaseEvidence>(CASE_EVIDENCE, { strict: false });
    return this.evidenceSource;
  }

  async load(em: EntityManager, id: string, actor: Actor | null): Promise<Loaded<CaseEntity> | null> {
    const found = await this.cases.findForCommand(em, id, actor ? regencyScope(actor) : null);
    if (!found) return null;
    return { row: found.row, policy: resolvePolicy(found.row.regencyCode, found.policy), villageCode: found.row.villageCode, opdId: null, extra: found.subject };
  }

  /** The child the command's read brought along, for the answer (null when restricted). */
  subjectOf(loaded: Loaded<CaseEntity>): CaseSubject | null {
    return (loaded.extra as CaseSubject | null | undefined) ?? null;
  }

  insert(em: EntityManager, rows: CaseEntity[]): Promise<void> {
    return this.cases.insertMany(em, rows);
  }

  readonly inputOf = CASE_REPLAY.inputOf;

  transactional(command: { type: string; payload: Record<string, unknown> }): boolean {
    // A re-measurement sent by a user stores its reading too.
    return command.type === 'RECORD_REMEASUREMENT' && command.payload.measurementId === undefined;
  }

  guardProblem(type: string, context: unknown, event: Record<string, unknown>): string | null {
    const guard = (guardProblems as Record<string, ((c: CaseContext, e: unknown) => string | null) | undefined>)[type];
    return guard ? guard(context as CaseContext, event) : null;
  }

  stepOf(m: Move<CaseEntity>, to: string): StepOpen | null {
    if (FINISHED_STATES.includes(to as never)) return null;
    return { step: to, dueAt: new Date(m.now.getTime() + m.loaded.policy.days[to as OpenState] * DAY_MS) };
  }

  changes(m: Move<CaseEntity>): Partial<CaseEntity> {
    return { stepEnteredAt: m.now };
  }

  async complete(m: Move<CaseEntity>): Promise<Record<string, unknown>> {
    const { em, row, command, actor } = m;
    const payload = withInstants(command.payload, row.snapshot.context, row.regencyCode, m.now);
    if (command.type === 'RECORD_REMEASUREMENT' && payload.measurementId === undefined) {
      const started = row.snapshot.context.interventionStartedAt;
      if (started && (payload.measuredAt as string) < started) {
        throw new DomainError('GUARD_FAILED', 'measuredAt is before the intervention started', { event: command.type, reason: 'measuredAt is before the intervention started' });
      }
      const stored = await this.evidence().recordReading(
        em,
        actor,
        { caseId: row.id, subjectId: row.subjectId },
        payload as Parameters<CaseEvidence['recordReading']>[3],
        this.subjectOf(m.loaded),
      );
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
      const evidence = await this.evidence().outcome(em, row.subjectId, row.snapshot.context.identifiedAt);
      if (!evidence) {
        throw new DomainError('GUARD_FAILED', 'no plausible height measurement yet: record a re-measurement first', { event: 'RESOLVE' });
      }
      // The z-scores and the policy in force are recorded with the decision, so replaying history gives the same answer.
      return { ...payload, ...evidence, policy: m.loaded.policy.outcome };
    }
    return payload;
  }

  /** Case steps answer to the case's manager (every case manager of the regency while unassigned); the AKS chair supervises. */
  async parties(em: EntityManager, steps: DueStep[]): Promise<Map<string, StepParties>> {
    const rows = await this.cases.briefs(em, steps.map((s) => s.aggregateId));
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

  private async startIntervention(t: Transition<{ id: string; caseId: string }>): Promise<void> {
    const [c] = await this.cases.briefs(t.em, [t.row.caseId]);
    if (c?.state !== 'audited') return;
    await this.workflow.apply(
      'case',
      c.id,
      { type: 'START_INTERVENTION', payload: { startedAt: t.payload.deliveredAt, description: `${t.payload.interventionName as string} (intervention ${t.row.id})` } },
      t.actor,
      { em: t.em, expectedVersion: c.version, cause: { aggregate: 'intervention', id: t.row.id, event: t.event } },
    );
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
