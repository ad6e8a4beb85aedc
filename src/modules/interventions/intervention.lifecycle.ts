import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Lifecycle, type LifecycleDefinition, type Loaded, type Move, type StepOpen, type StepParties, type Transition } from '../../workflow/lifecycle.js';
import type { DueStep } from '../../workflow/step-deadlines.service.js';
import { WorkflowService } from '../../workflow/workflow.service.js';
import { type CaseBrief, CasesService } from '../cases/cases.service.js';
import type { SlaPolicy } from '../escalation/policy.js';
import { SlaPoliciesService } from '../escalation/sla-policies.service.js';
import { addDays } from '../escalation/working-days.js';
import { type Actor, regencyScope } from '../identity/actor.js';
import { UsersDirectory } from '../identity/users.directory.js';
import { SponsorsService } from '../organisations/sponsors.service.js';
import { DELIVERY_LOGGERS, INTERVENTION_EVENT_ROLES } from './intervention-permissions.js';
import type { InterventionEntity } from './intervention.entity.js';
import { type InterventionScope, InterventionsRepository } from './interventions.repository.js';
import { interventionGuardProblems, interventionMachine, LATEST_INTERVENTION_MACHINE } from './machine/intervention.machine.js';
import { FINAL_INTERVENTION_STATES, type InterventionContext, type InterventionEvent, type InterventionState } from './machine/intervention.types.js';

export type InterventionStep = 'approve' | 'first_delivery' | 'delivery' | 'verify';

/** The deadline step each state is in; the others have none (on hold is paused on purpose). */
export const STEP_OF: Partial<Record<InterventionState, InterventionStep>> = {
  proposed: 'approve',
  approved: 'first_delivery',
  active: 'delivery',
  completed: 'verify',
};

/** A CSR partner sees its own sponsor's interventions only. */
export function interventionScope(actor: Actor): InterventionScope {
  return {
    regencyCode: regencyScope(actor),
    sponsorId: actor.role === 'csr_partner' ? (actor.sponsorId ?? '00000000-0000-0000-0000-000000000000') : null,
  };
}

/**
 * The CSR-funded intervention lifecycle: proposed → approved → active (first delivery) →
 * completed → verified, with hold/resume, rejection and cancellation. Its first delivery starts
 * its case's intervention step; a closed case cancels it.
 */
@Injectable()
@Lifecycle()
export class InterventionLifecycle implements LifecycleDefinition<InterventionEntity> {
  readonly type = 'intervention';
  readonly noun = 'intervention';
  readonly latestMachine = LATEST_INTERVENTION_MACHINE;
  readonly table = 'interventions';
  readonly history = 'intervention_history';
  readonly historyKey = 'intervention_id';
  readonly columns = [
    { prop: 'spentIdr', column: 'spent_idr' },
    { prop: 'deliveries', column: 'deliveries' },
    { prop: 'lastDeliveredAt', column: 'last_delivered_at' },
  ] as const;
  readonly eventRoles = { ...INTERVENTION_EVENT_ROLES, DELIVER: DELIVERY_LOGGERS };
  /** DELIVER is sent by a delivery being logged, never as an event of its own. */
  readonly internalEvents = ['DELIVER'];
  readonly finished = FINAL_INTERVENTION_STATES;
  /** Deliveries after the first move nothing: they are recorded with the totals they change. */
  readonly records = ['DELIVERY'];
  readonly effects = { DELIVER: ['case:start-intervention'] } as const;
  readonly reactions = {
    /** A closed case (moved away, deceased...) takes its unfinished interventions with it. */
    'cancel-open': (t: Transition<never>) => this.cancelOpen(t as unknown as Transition<CaseBrief>),
  };

  constructor(
    private readonly repo: InterventionsRepository,
    private readonly cases: CasesService,
    private readonly sponsors: SponsorsService,
    private readonly policies: SlaPoliciesService,
    private readonly users: UsersDirectory,
    private readonly workflow: WorkflowService,
  ) {}

  machine(version: number) {
    return interventionMachine(version);
  }

  async load(em: EntityManager, id: string, actor: Actor | null): Promise<Loaded<InterventionEntity> | null> {
    const row = await this.repo.findInScope(id, actor ? interventionScope(actor) : { regencyCode: null, sponsorId: null }, em);
    if (!row) return null;
    const policy = await this.policies.of(row.regencyCode, em);
    const c = (await this.cases.briefs(em, [row.caseId])).get(row.caseId);
    return { row, policy, villageCode: c?.villageCode ?? null, opdId: null, extra: c };
  }

  insert(em: EntityManager, rows: InterventionEntity[]): Promise<void> {
    return this.repo.insert(em, rows);
  }

  inputOf(first: { at: Date }) {
    return { proposedAt: new Date(first.at).toISOString() };
  }

  async complete(m: Move<InterventionEntity>): Promise<Record<string, unknown>> {
    const payload: Record<string, unknown> = { ...m.command.payload };
    if (m.command.type === 'APPROVE') {
      payload.caseState = (m.loaded.extra as CaseBrief | undefined)?.state;
      payload.sponsorCoversRegency = await this.sponsors.covers(m.em, m.row.sponsorId, m.row.regencyCode);
    }
    if (m.command.type === 'COMPLETE') payload.deliveries = m.row.deliveries;
    return payload;
  }

  guardProblem(type: string, context: unknown, event: Record<string, unknown>): string | null {
    const guard = (interventionGuardProblems as Record<string, ((c: InterventionContext, e: InterventionEvent) => string | null) | undefined>)[type];
    return guard ? guard(context as InterventionContext, event as unknown as InterventionEvent) : null;
  }

  stepOf(m: Move<InterventionEntity>, to: string): StepOpen | null {
    const step = STEP_OF[to as InterventionState];
    if (!step) return null;
    if (m.command.type === 'DELIVER') return { step, dueAt: this.nextDeliveryDue(m.row, new Date(m.command.payload.deliveredAt as string), m.loaded.policy) };
    return { step, dueAt: this.stepDue(m.row, step, m.now, m.loaded.policy) };
  }

  /** After a delivery, the next is due within the cadence plus grace of the latest delivered. */
  nextDeliveryDue(row: InterventionEntity, deliveredAt: Date, policy: SlaPolicy): Date {
    const last = row.lastDeliveredAt && row.lastDeliveredAt > deliveredAt ? row.lastDeliveredAt : deliveredAt;
    return addDays(last, row.cadenceDays + policy.interventions.graceDays);
  }

  stepDue(row: Pick<InterventionEntity, 'cadenceDays'>, step: InterventionStep, now: Date, policy: SlaPolicy): Date {
    switch (step) {
      case 'approve':
        return this.policies.addWorkingDays(policy, now, policy.tasks.acknowledgeWorkingDays);
      case 'first_delivery':
        return addDays(now, policy.interventions.firstDeliveryDays);
      case 'delivery':
        // Resumed after a hold: the cadence counts again from now.
        return addDays(now, row.cadenceDays + policy.interventions.graceDays);
      case 'verify':
        return addDays(now, policy.tasks.verifyDays);
    }
  }

  private async cancelOpen(t: Transition<CaseBrief>): Promise<void> {
    for (const row of await this.repo.openOfCase(t.em, t.row.id, [...this.finished, 'completed'])) {
      await this.workflow.apply('intervention', row.id, { type: 'CANCEL', payload: { reason: 'the case was closed' } }, t.actor, {
        em: t.em,
        expectedVersion: row.version,
        cause: { aggregate: 'case', id: t.row.id, event: t.event },
      });
    }
  }

  /** Deliveries answer to the sponsor's partner users, watched by the case's manager; approving and verifying to the case manager. */
  async parties(em: EntityManager, steps: DueStep[]): Promise<Map<string, StepParties>> {
    const rows = new Map((await this.repo.findMany(em, steps.map((s) => s.aggregateId))).map((r) => [r.id, r]));
    const cases = await this.cases.briefs(em, [...rows.values()].map((r) => r.caseId));
    const partners = await this.users.activeByRole(em, 'csr_partner', { sponsorIds: [...new Set([...rows.values()].map((r) => r.sponsorId))] });
    const unassigned = [...new Set([...cases.values()].filter((c) => !c.assigneeId).map((c) => c.regencyCode))];
    const managers = unassigned.length ? await this.users.activeByRole(em, 'case_manager', { regencyCodes: unassigned }) : [];
    const out = new Map<string, StepParties>();
    for (const s of steps) {
      const r = rows.get(s.aggregateId);
      if (!r) continue;
      const c = cases.get(r.caseId);
      const caseManagers = c?.assigneeId ? [c.assigneeId] : managers.filter((m) => m.regencyCode === r.regencyCode).map((m) => m.id);
      const sponsorStep = s.step === 'first_delivery' || s.step === 'delivery';
      out.set(r.id, {
        caseId: r.caseId,
        title: `intervention ${r.id} (${r.catalogueCode}) is past its ${s.step.replace('_', ' ')} deadline`,
        assignees: sponsorStep ? partners.filter((p) => p.sponsorId === r.sponsorId && p.regencyCode === r.regencyCode).map((p) => p.id) : caseManagers,
        supervisors: sponsorStep ? caseManagers : [],
      });
    }
    return out;
  }
}
