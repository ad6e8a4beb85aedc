import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { initialTransition, transition } from 'xstate';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { DomainError, Forbidden, NotFound, ValidationFailed, VersionConflict } from '../../common/errors/domain-error.js';
import { decodeCursor, type Page, pageSize, toPage } from '../../common/http/pagination.js';
import { eventsOf, persist, restore } from '../../workflow/snapshot.js';
import type { CaseBrief } from '../cases/cases.repository.js';
import { type CaseTransition, CasesService } from '../cases/cases.service.js';
import type { DueStep } from '../escalation/deadlines.repository.js';
import { DeadlinesService, type StepParties } from '../escalation/deadlines.service.js';
import type { SlaPolicy } from '../escalation/policy.js';
import { SlaPoliciesService } from '../escalation/sla-policies.service.js';
import { dayOf, instantOf, isFutureDay } from '../../common/clock/calendar-day.js';
import { addDays } from '../escalation/working-days.js';
import { type Actor, regencyScope } from '../identity/actor.js';
import { UsersRepository } from '../identity/users.repository.js';
import { SponsorsService } from '../organisations/sponsors.service.js';
import { ConsentsService } from '../subjects/consents.service.js';
import { type Beneficiary, SubjectProjection } from '../subjects/subject-projection.js';
import { SubjectsService, type SubjectSummary } from '../subjects/subjects.service.js';
import { CatalogueService } from './catalogue.service.js';
import type { InterventionCommand, ListInterventionsQueryDto, ProposeInterventionDto, RecordDeliveryDto } from './dto/intervention.dto.js';
import { INTERVENTION_EVENT_ROLES } from './intervention-permissions.js';
import type { DeliveryRow, InterventionEntity, InterventionHistoryEntity } from './intervention.entity.js';
import { type InterventionScope, InterventionsRepository } from './interventions.repository.js';
import { interventionGuardProblems, interventionMachine, LATEST_INTERVENTION_MACHINE } from './machine/intervention.machine.js';
import {
  FINAL_INTERVENTION_STATES,
  type InterventionContext,
  type InterventionEvent,
  type InterventionEventType,
  type InterventionState,
} from './machine/intervention.types.js';

/** The deadline step each state is in; the others have none (on hold is paused on purpose). */
const STEP_OF: Partial<Record<InterventionState, 'approve' | 'first_delivery' | 'delivery' | 'verify'>> = {
  proposed: 'approve',
  approved: 'first_delivery',
  active: 'delivery',
  completed: 'verify',
};

/** How a child's length/height-for-age moved since identification, once re-measured. */
export type OutcomeBand = 'up_0_5_or_more' | 'up_less_than_0_5' | 'no_change' | 'down' | 'awaiting_remeasurement';
export const OUTCOME_BANDS: OutcomeBand[] = ['up_0_5_or_more', 'up_less_than_0_5', 'no_change', 'down', 'awaiting_remeasurement'];

export type { Beneficiary } from '../subjects/subject-projection.js';

export interface DeliveryView {
  id: string;
  interventionId: string;
  deliveredAt: string;
  quantity: number;
  unit: string;
  amountIdr: number | null;
  note: string | null;
  evidenceRef: string | null;
  onTime: boolean;
  recordedAt: string;
}

export interface InterventionView {
  id: string;
  regencyCode: string;
  caseId: string;
  sponsorId: string;
  catalogueCode: string;
  /** The catalogue entry's name, in Indonesian and in English. */
  catalogueName: string | null;
  catalogueNameEn: string | null;
  state: InterventionState;
  version: number;
  plannedStart: string;
  plannedDays: number;
  cadenceDays: number;
  unit: string;
  budgetIdr: number;
  spentIdr: number;
  deliveries: number;
  lastDeliveredAt: string | null;
  step: string | null;
  stepDueAt: string | null;
  overdue: boolean;
  allowedEvents: InterventionEventType[];
  beneficiary: Beneficiary | null;
  outcomeBand: OutcomeBand;
  context: InterventionContext;
  createdAt: string;
  updatedAt: string;
}

export const toDeliveryView = (d: DeliveryRow): DeliveryView => ({
  id: d.id,
  interventionId: d.interventionId,
  deliveredAt: d.deliveredAt.toISOString(),
  quantity: Number(d.quantity),
  unit: d.unit,
  amountIdr: d.amountIdr === null ? null : Number(d.amountIdr),
  note: d.note,
  evidenceRef: d.evidenceRef,
  onTime: d.onTime,
  recordedAt: d.recordedAt.toISOString(),
});

export { ageBand } from '../subjects/subject-projection.js';

/**
 * CSR-funded interventions as persisted lifecycles (like cases and tasks), with their deliveries.
 * A delivery is idempotent per Idempotency-Key; the first one makes the intervention active and,
 * for an audited case, starts the case's intervention, in the same transaction. Stalls escalate
 * through the shared deadline table. A CSR partner sees only its own sponsor's interventions,
 * and children only as pseudonymous beneficiaries unless a guardian consented.
 */
@Injectable()
export class InterventionsService implements OnModuleInit {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: InterventionsRepository,
    private readonly catalogue: CatalogueService,
    private readonly cases: CasesService,
    private readonly subjects: SubjectsService,
    private readonly consents: ConsentsService,
    private readonly sponsors: SponsorsService,
    private readonly deadlines: DeadlinesService,
    private readonly policies: SlaPoliciesService,
    private readonly users: UsersRepository,
    private readonly projection: SubjectProjection,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.deadlines.describeWith('intervention', (em, steps) => this.stepParties(em, steps));
    this.cases.onTransition(['CLOSE'], (em, t) => this.onCaseTransition(em, t));
  }

  /** A closed case (moved away, deceased...) takes its unfinished interventions with it. */
  private async onCaseTransition(em: EntityManager, t: CaseTransition): Promise<void> {
    if (t.to !== 'closed') return;
    for (const row of await this.repo.openOfCase(em, t.caseId)) {
      await this.applyIn(em, t.actor, row, { type: 'CANCEL', payload: { reason: 'the case was closed' } }, { asEffect: true });
    }
  }

  async offer(actor: Actor, caseId: string, sponsorId: string): Promise<{ caseId: string; sponsorId: string; offeredAt: string }> {
    return this.ds.transaction(async (em) => {
      const c = (await this.cases.briefs(em, [caseId], regencyScope(actor))).get(caseId);
      if (!c) throw new NotFound('case');
      if (c.state === 'resolved' || c.state === 'closed') throw new DomainError('INVALID_TRANSITION', `the case is ${c.state}`, { state: c.state });
      if (!(await this.sponsors.covers(em, sponsorId, c.regencyCode))) throw ValidationFailed.field('sponsorId', `is not a sponsor funding regency ${c.regencyCode}`);
      const now = this.clock.now();
      await this.repo.offer(em, caseId, sponsorId, c.regencyCode, actor.userId, now);
      return { caseId, sponsorId, offeredAt: now.toISOString() };
    });
  }

  /** Cases offered to sponsors: a CSR partner sees those offered to its own, as beneficiaries. */
  async offers(actor: Actor, q: { cursor?: string; limit?: number }): Promise<Page<{ caseId: string; sponsorId: string; caseState: string; offeredAt: string; beneficiary: Beneficiary | null }>> {
    const limit = pageSize(q.limit);
    const after = decodeCursor(q.cursor, ['string', 'string']) as [string, string] | undefined;
    const rows = await this.repo.offers({ regencyCode: regencyScope(actor), sponsorId: actor.role === 'csr_partner' ? actor.sponsorId : null, limit, after });
    const em = this.ds.manager;
    const cases = await this.cases.briefs(em, rows.map((r) => r.caseId));
    const subjects = await this.subjects.summaries([...cases.values()].map((c) => c.subjectId), em);
    const page = toPage(rows, limit, (r) => r, (r) => [r.offeredAt.toISOString(), r.caseId]);
    const items = [];
    for (const r of page.items) {
      const c = cases.get(r.caseId)!;
      const shared = await this.consents.sharingWith(em, r.sponsorId, [c.subjectId]);
      items.push({
        caseId: r.caseId,
        sponsorId: r.sponsorId,
        caseState: c.state,
        offeredAt: r.offeredAt.toISOString(),
        beneficiary: this.beneficiary(actor, r.sponsorId, subjects.get(c.subjectId), shared.has(c.subjectId)),
      });
    }
    return { items, nextCursor: page.nextCursor };
  }

  async propose(actor: Actor, dto: ProposeInterventionDto): Promise<InterventionView> {
    const row = await this.ds.transaction(async (em) => {
      const c = (await this.cases.briefs(em, [dto.caseId], regencyScope(actor))).get(dto.caseId);
      if (!c) throw new NotFound('case');
      if (actor.role === 'csr_partner') {
        if (dto.sponsorId !== actor.sponsorId) throw new Forbidden('a CSR partner proposes for its own sponsor only');
        if (!(await this.repo.isOffered(em, dto.caseId, dto.sponsorId))) throw new NotFound('case');
      }
      if (c.state === 'resolved' || c.state === 'closed') throw new DomainError('INVALID_TRANSITION', `the case is ${c.state}: it takes no new interventions`, { state: c.state });
      const entry = await this.catalogue.entry(em, c.regencyCode, dto.catalogueCode);
      if (!entry) throw ValidationFailed.field('catalogueCode', `is not in the catalogue of regency ${c.regencyCode} (see GET /api/v1/catalogues/interventions)`);
      if (!(await this.sponsors.covers(em, dto.sponsorId, c.regencyCode))) throw ValidationFailed.field('sponsorId', `is not a sponsor funding regency ${c.regencyCode}`);
      const now = this.clock.now();
      const [snapshot] = initialTransition(interventionMachine(LATEST_INTERVENTION_MACHINE), { proposedAt: now.toISOString() });
      const policy = await this.policies.of(c.regencyCode, em);
      const row: InterventionEntity = {
        id: randomUUID(),
        regencyCode: c.regencyCode,
        caseId: c.id,
        sponsorId: dto.sponsorId,
        catalogueCode: entry.code,
        state: 'proposed',
        machineVersion: LATEST_INTERVENTION_MACHINE,
        snapshot: persist(snapshot),
        version: 1,
        plannedStart: dto.plannedStart,
        plannedDays: dto.plannedDays ?? entry.defaultDays,
        cadenceDays: entry.cadenceDays,
        unit: entry.unit,
        budgetIdr: dto.budgetIdr,
        spentIdr: 0,
        deliveries: 0,
        lastDeliveredAt: null,
        stepDueAt: this.policies.addWorkingDays(policy, now, policy.tasks.acknowledgeWorkingDays),
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      };
      await this.repo.insert(em, row, this.entry(row, actor, 'PROPOSE', null, 'proposed', { catalogueCode: entry.code, budgetIdr: dto.budgetIdr }, now, 1));
      await this.enterStep(em, row, c, 'approve', row.stepDueAt!, 1, now, policy);
      return row;
    });
    return (await this.views(actor, [row]))[0];
  }

  /** The interventions of these cases with their deliveries, for a subject's data export. */
  async exportFor(caseIds: string[]): Promise<object[]> {
    const rows = await this.repo.ofCases(caseIds);
    const deliveries = await this.repo.deliveries(rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id,
      caseId: r.caseId,
      sponsorId: r.sponsorId,
      catalogueCode: r.catalogueCode,
      state: r.state,
      plannedStart: r.plannedStart,
      plannedDays: r.plannedDays,
      budgetIdr: r.budgetIdr,
      spentIdr: r.spentIdr,
      context: r.snapshot.context,
      deliveries: deliveries.filter((d) => d.interventionId === r.id).map(toDeliveryView),
    }));
  }

  async list(actor: Actor, q: ListInterventionsQueryDto): Promise<Page<InterventionView>> {
    const scope = this.scope(actor);
    if (scope.sponsorId !== null && q.sponsorId !== undefined && q.sponsorId !== scope.sponsorId) throw new Forbidden('a CSR partner sees its own sponsor only');
    const limit = pageSize(q.limit);
    const after = decodeCursor(q.cursor, ['string', 'string']) as [string, string] | undefined;
    const rows = await this.repo.list({ ...scope, caseId: q.caseId, filterSponsorId: q.sponsorId, state: q.state, after, limit });
    const page = toPage(rows, limit, (r) => r, (r) => [r.createdAt.toISOString(), r.id]);
    return { items: await this.views(actor, page.items), nextCursor: page.nextCursor };
  }

  async get(actor: Actor, id: string): Promise<InterventionView> {
    const row = await this.repo.findInScope(id, this.scope(actor));
    if (!row) throw new NotFound('intervention');
    return (await this.views(actor, [row]))[0];
  }

  async deliveries(actor: Actor, id: string): Promise<Page<DeliveryView>> {
    const row = await this.repo.findInScope(id, this.scope(actor));
    if (!row) throw new NotFound('intervention');
    return { items: (await this.repo.deliveries([id])).map(toDeliveryView), nextCursor: null };
  }

  async history(actor: Actor, id: string): Promise<Page<object>> {
    const row = await this.repo.findInScope(id, this.scope(actor));
    if (!row) throw new NotFound('intervention');
    return {
      items: (await this.repo.history(id)).map((h) => ({
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

  async apply(actor: Actor, id: string, expectedVersion: number, command: InterventionCommand): Promise<InterventionView> {
    if (!INTERVENTION_EVENT_ROLES[command.type].includes(actor.role)) throw new Forbidden(`the role ${actor.role} may not send ${command.type}`);
    const updated = await this.ds.transaction(async (em) => {
      const row = await this.repo.findInScope(id, this.scope(actor), em);
      if (!row) throw new NotFound('intervention');
      if (row.version !== expectedVersion) throw new VersionConflict('intervention', expectedVersion, row.version);
      return this.applyIn(em, actor, row, command);
    });
    return (await this.views(actor, [updated]))[0];
  }

  /**
   * Logs a delivery, once per Idempotency-Key: a retry with the same key and body gets the first
   * answer, with another body 422. The key is claimed in the delivery's transaction, so
   * concurrent retries wait for the first and then read its answer.
   */
  async deliver(actor: Actor, id: string, key: string, dto: RecordDeliveryDto): Promise<{ status: number; body: DeliveryView }> {
    const hash = createHash('sha256').update(JSON.stringify({ id, ...dto })).digest();
    return this.ds.transaction(async (em) => {
      const now = this.clock.now();
      // Locked first: what the caller may not see answers 404 whatever the key, and replays queue here.
      const row = await this.repo.lockInScope(em, id, this.scope(actor));
      if (!row) throw new NotFound('intervention');
      const claim = await this.repo.claimKey(em, actor.userId, key, hash, now);
      if (!claim.claimed) {
        if (!claim.hash.equals(hash)) {
          throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different request', { header: 'Idempotency-Key' });
        }
        return { status: claim.status ?? 201, body: claim.body as DeliveryView };
      }
      if (row.state !== 'approved' && row.state !== 'active') {
        throw new DomainError('INVALID_TRANSITION', `deliveries are logged on approved or active interventions; this one is ${row.state}`, { state: row.state });
      }
      const approvedAt = new Date(row.snapshot.context.approvedAt!);
      // A delivery typed as a day is on that day in the regency: on the day of approval it counts as after it.
      if (isFutureDay(dto.deliveredAt, row.regencyCode, now)) throw ValidationFailed.field('deliveredAt', 'is in the future');
      if (dayOf(dto.deliveredAt, row.regencyCode) < dayOf(approvedAt, row.regencyCode)) {
        throw ValidationFailed.field('deliveredAt', 'is before the intervention was approved');
      }
      const deliveredAt = instantOf(dto.deliveredAt, row.regencyCode, { now, notBefore: approvedAt });
      if (deliveredAt < approvedAt) throw ValidationFailed.field('deliveredAt', 'is before the intervention was approved');
      const policy = await this.policies.of(row.regencyCode, em);
      const delivery: DeliveryRow = {
        id: randomUUID(),
        regencyCode: row.regencyCode,
        interventionId: row.id,
        deliveredAt,
        quantity: dto.quantity,
        unit: dto.unit,
        amountIdr: dto.amountIdr ?? null,
        note: dto.note ?? null,
        evidenceRef: dto.evidenceRef ?? null,
        onTime: deliveredAt <= this.deliveryDue(row, policy),
        recordedBy: actor.userId,
        recordedAt: now,
      };
      await this.repo.insertDelivery(em, delivery);
      await this.recordDelivery(em, actor, row, delivery, policy);
      const body = toDeliveryView(delivery);
      await this.repo.storeResponse(em, actor.userId, key, 201, body);
      return { status: 201, body };
    });
  }

  /** When the next delivery is due: the first within the policy's days of approval, then within the cadence plus grace. */
  private deliveryDue(row: InterventionEntity, policy: SlaPolicy): Date {
    if (row.lastDeliveredAt === null) return addDays(new Date(row.snapshot.context.approvedAt!), policy.interventions.firstDeliveryDays);
    return addDays(row.lastDeliveredAt, row.cadenceDays + policy.interventions.graceDays);
  }

  private async recordDelivery(em: EntityManager, actor: Actor, row: InterventionEntity, d: DeliveryRow, policy: SlaPolicy): Promise<void> {
    const machine = interventionMachine(row.machineVersion);
    const snapshot = restore(machine, row.snapshot);
    const first = row.state === 'approved';
    const next = first ? transition(machine, snapshot, { type: 'DELIVER', deliveredAt: d.deliveredAt.toISOString(), at: d.recordedAt.toISOString() })[0] : snapshot;
    const lastDeliveredAt = row.lastDeliveredAt && row.lastDeliveredAt > d.deliveredAt ? row.lastDeliveredAt : d.deliveredAt;
    const changes = {
      state: next.value as InterventionState,
      snapshot: persist(next),
      spentIdr: row.spentIdr + (d.amountIdr ?? 0),
      deliveries: row.deliveries + 1,
      lastDeliveredAt,
      stepDueAt: addDays(lastDeliveredAt, row.cadenceDays + policy.interventions.graceDays),
      updatedAt: d.recordedAt,
    };
    const entry = this.entry(row, actor, 'DELIVERY', row.state, changes.state, { deliveryId: d.id, deliveredAt: d.deliveredAt.toISOString(), quantity: d.quantity, amountIdr: d.amountIdr }, d.recordedAt, row.version + 1);
    if (!(await this.repo.update(em, row.id, row.version, changes, entry))) throw new VersionConflict('intervention', row.version, row.version + 1);
    const c = (await this.cases.briefs(em, [row.caseId])).get(row.caseId)!;
    await this.enterStep(em, row, c, 'delivery', changes.stepDueAt, row.version + 1, d.recordedAt, policy);
    if (first && c.state === 'audited') {
      const name = (await this.catalogue.entry(em, row.regencyCode, row.catalogueCode))?.name ?? row.catalogueCode;
      await this.cases.apply(
        actor,
        c.id,
        c.version,
        { type: 'START_INTERVENTION', payload: { startedAt: d.deliveredAt.toISOString(), description: `${name} (intervention ${row.id})` } },
        em,
        { asEffect: true },
      );
    }
  }

  private async applyIn(em: EntityManager, actor: Actor, row: InterventionEntity, command: InterventionCommand, opts: { asEffect?: boolean } = {}): Promise<InterventionEntity> {
    const machine = interventionMachine(row.machineVersion);
    const snapshot = restore(machine, row.snapshot);
    if (!eventsOf(snapshot).includes(command.type)) {
      throw new DomainError('INVALID_TRANSITION', `${command.type} is not possible while the intervention is ${row.state}`, {
        state: row.state,
        allowedEvents: this.allowedEvents(actor, row),
      });
    }
    const now = this.clock.now();
    const c = (await this.cases.briefs(em, [row.caseId])).get(row.caseId)!;
    const payload: Record<string, unknown> = { ...command.payload };
    if (command.type === 'APPROVE') {
      payload.caseState = c.state;
      payload.sponsorCoversRegency = await this.sponsors.covers(em, row.sponsorId, row.regencyCode);
    }
    if (command.type === 'COMPLETE') payload.deliveries = row.deliveries;
    const event = { ...payload, type: command.type, at: now.toISOString() } as InterventionEvent;
    const problem = (interventionGuardProblems as Record<string, ((c: InterventionContext, e: InterventionEvent) => string | null) | undefined>)[command.type]?.(
      snapshot.context,
      event,
    );
    if (problem) throw new DomainError('GUARD_FAILED', problem, { event: command.type, reason: problem });
    const [next] = transition(machine, snapshot, event);
    const state = next.value as InterventionState;
    const policy = await this.policies.of(row.regencyCode, em);
    const step = STEP_OF[state];
    const stepDueAt = step ? this.stepDue(row, step, now, policy) : null;
    const changes = { state, snapshot: persist(next), stepDueAt, updatedAt: now, spentIdr: row.spentIdr, deliveries: row.deliveries, lastDeliveredAt: row.lastDeliveredAt };
    const entry = this.entry(row, actor, command.type, row.state, state, opts.asEffect ? { ...payload, effect: true } : payload, now, row.version + 1);
    if (!(await this.repo.update(em, row.id, row.version, changes, entry))) throw new VersionConflict('intervention', row.version, row.version + 1);
    if (!step) await this.deadlines.leave(em, 'intervention', [row.id]);
    else await this.enterStep(em, row, c, step, stepDueAt!, row.version + 1, now, policy);
    return { ...row, ...changes, version: row.version + 1 };
  }

  private stepDue(row: InterventionEntity, step: 'approve' | 'first_delivery' | 'delivery' | 'verify', now: Date, policy: SlaPolicy): Date {
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

  private async enterStep(em: EntityManager, row: InterventionEntity, c: Pick<CaseBrief, 'villageCode'>, step: string, dueAt: Date, stepSeq: number, at: Date, policy: SlaPolicy): Promise<void> {
    await this.deadlines.enter(
      em,
      [{ aggregateType: 'intervention', aggregateId: row.id, regencyCode: row.regencyCode, villageCode: c.villageCode, opdId: null, step, stepSeq, enteredAt: at, dueAt }],
      new Map([[policy.regencyCode, policy]]),
    );
  }

  /** Deliveries answer to the sponsor's partner users, watched by the case's manager; approving and verifying to the case manager. */
  private async stepParties(em: EntityManager, steps: DueStep[]): Promise<Map<string, StepParties>> {
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

  scope(actor: Actor): InterventionScope {
    return {
      regencyCode: regencyScope(actor),
      sponsorId: actor.role === 'csr_partner' ? (actor.sponsorId ?? '00000000-0000-0000-0000-000000000000') : null,
    };
  }

  /** The child of an intervention as `actor` may see it (SubjectProjection); `consented`: the guardian agreed to share with this sponsor. */
  beneficiary(actor: Actor, sponsorId: string, s: SubjectSummary | undefined, consented: boolean): Beneficiary | null {
    return this.projection.beneficiary(actor, sponsorId, s, consented);
  }

  /** The HAZ change band of a case's child since identification; awaiting until the case has a re-measurement. */
  async outcomeBands(em: EntityManager, cases: CaseBrief[]): Promise<Map<string, OutcomeBand>> {
    const out = new Map<string, OutcomeBand>();
    for (const c of cases) {
      if (!c.lastMeasuredAt) {
        out.set(c.id, 'awaiting_remeasurement');
        continue;
      }
      const o = await this.cases.outcomeOf(em, c.subjectId, c.identifiedAt);
      if (!o) {
        out.set(c.id, 'awaiting_remeasurement');
        continue;
      }
      const change = Math.round((o.latestHaz - o.baselineHaz) * 100) / 100;
      out.set(c.id, change >= 0.5 ? 'up_0_5_or_more' : change >= 0.1 ? 'up_less_than_0_5' : change > -0.1 ? 'no_change' : 'down');
    }
    return out;
  }

  private entry(row: InterventionEntity, actor: Actor, type: string, from: InterventionState | null, to: InterventionState, payload: object, at: Date, seq: number): InterventionHistoryEntity {
    return {
      interventionId: row.id,
      seq,
      regencyCode: row.regencyCode,
      type,
      fromState: from,
      toState: to,
      payload,
      actorId: actor.userId,
      actorRole: actor.role,
      machineVersion: row.machineVersion,
      at,
    };
  }

  private allowedEvents(actor: Actor, row: InterventionEntity): InterventionEventType[] {
    if (FINAL_INTERVENTION_STATES.includes(row.state)) return [];
    const snapshot = restore(interventionMachine(row.machineVersion), row.snapshot);
    return (eventsOf(snapshot) as InterventionEventType[]).filter((t) => t !== 'DELIVER' && INTERVENTION_EVENT_ROLES[t].includes(actor.role));
  }

  private async views(actor: Actor, rows: InterventionEntity[]): Promise<InterventionView[]> {
    const em = this.ds.manager;
    const cases = await this.cases.briefs(em, rows.map((r) => r.caseId));
    const subjects = await this.subjects.summaries([...cases.values()].map((c) => c.subjectId), em);
    const bands = await this.outcomeBands(em, [...cases.values()]);
    const names = await this.catalogue.names(em, rows.map((r) => r.regencyCode));
    const partner = actor.role === 'csr_partner';
    const consented = partner && actor.sponsorId ? await this.consents.sharingWith(em, actor.sponsorId, [...cases.values()].map((c) => c.subjectId)) : new Set<string>();
    const now = this.clock.now();
    return rows.map((r) => {
      const c = cases.get(r.caseId);
      return {
        id: r.id,
        regencyCode: r.regencyCode,
        caseId: r.caseId,
        sponsorId: r.sponsorId,
        catalogueCode: r.catalogueCode,
        catalogueName: names(r.regencyCode, r.catalogueCode)?.name ?? null,
        catalogueNameEn: names(r.regencyCode, r.catalogueCode)?.nameEn ?? null,
        state: r.state,
        version: r.version,
        plannedStart: r.plannedStart,
        plannedDays: r.plannedDays,
        cadenceDays: r.cadenceDays,
        unit: r.unit,
        budgetIdr: r.budgetIdr,
        spentIdr: r.spentIdr,
        deliveries: r.deliveries,
        lastDeliveredAt: r.lastDeliveredAt ? r.lastDeliveredAt.toISOString() : null,
        step: STEP_OF[r.state] ?? null,
        stepDueAt: r.stepDueAt ? r.stepDueAt.toISOString() : null,
        overdue: r.stepDueAt !== null && r.stepDueAt < now,
        allowedEvents: this.allowedEvents(actor, r),
        beneficiary: c ? this.beneficiary(actor, r.sponsorId, subjects.get(c.subjectId), consented.has(c.subjectId)) : null,
        outcomeBand: bands.get(r.caseId) ?? 'awaiting_remeasurement',
        context: r.snapshot.context,
        createdAt: r.createdAt.toISOString(),
        updatedAt: r.updatedAt.toISOString(),
      };
    });
  }
}

