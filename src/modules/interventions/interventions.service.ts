import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { DomainError, Forbidden, NotFound, ValidationFailed } from '../../common/errors/domain-error.js';
import { decodeCursor, type Page, pageSize, toPage } from '../../common/http/pagination.js';
import { WorkflowService } from '../../workflow/workflow.service.js';
import { type CaseBrief, CasesService } from '../cases/cases.service.js';
import { SlaPoliciesService } from '../escalation/sla-policies.service.js';
import { type Actor, regencyScope } from '../identity/actor.js';
import { SponsorsService } from '../organisations/sponsors.service.js';
import { ConsentsService } from '../subjects/consents.service.js';
import { type Beneficiary, SubjectProjection } from '../subjects/subject-projection.js';
import { SubjectsService, type SubjectSummary } from '../subjects/subjects.service.js';
import { CatalogueService } from './catalogue.service.js';
import type { InterventionCommand, ListInterventionsQueryDto, ProposeInterventionDto } from './dto/intervention.dto.js';
import { InterventionLifecycle, interventionScope, STEP_OF } from './intervention.lifecycle.js';
import { outcomeBand, type OutcomeBand } from './outcome-bands.js';
import { type DeliveryView, toDeliveryView } from './deliveries.service.js';
import type { InterventionEntity } from './intervention.entity.js';
import { type InterventionScope, InterventionsRepository } from './interventions.repository.js';
import type { InterventionContext, InterventionEventType, InterventionState } from './machine/intervention.types.js';

export type { Beneficiary } from '../subjects/subject-projection.js';
export { OUTCOME_BANDS, type OutcomeBand } from './outcome-bands.js';
export { type DeliveryView, toDeliveryView } from './deliveries.service.js';

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

export { ageBand } from '../subjects/subject-projection.js';

/**
 * CSR-funded interventions: proposing, listing and showing them, and sending their events (the
 * lifecycle is InterventionLifecycle, run by the workflow kernel; deliveries and offers have
 * their own services). A CSR partner sees only its own sponsor's interventions, and children only
 * as pseudonymous beneficiaries unless a guardian consented.
 */
@Injectable()
export class InterventionsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: InterventionsRepository,
    private readonly lifecycle: InterventionLifecycle,
    private readonly workflow: WorkflowService,
    private readonly catalogue: CatalogueService,
    private readonly cases: CasesService,
    private readonly subjects: SubjectsService,
    private readonly consents: ConsentsService,
    private readonly sponsors: SponsorsService,
    private readonly policies: SlaPoliciesService,
    private readonly projection: SubjectProjection,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async propose(actor: Actor, dto: ProposeInterventionDto): Promise<InterventionView> {
    const row = await this.ds.transaction(async (em) => {
      const c = (await this.cases.briefs(em, [dto.caseId], regencyScope(actor))).get(dto.caseId);
      if (!c) throw new NotFound('case');
      if (actor.role === 'csr_partner') {
        if (dto.sponsorId !== actor.sponsorId) throw new Forbidden('a CSR partner proposes for its own sponsor only');
        if (!(await this.repo.isOffered(em, dto.caseId, dto.sponsorId))) throw new NotFound('case');
      }
      if (this.cases.isFinished(c.state)) throw new DomainError('INVALID_TRANSITION', `the case is ${c.state}: it takes no new interventions`, { state: c.state });
      const entry = await this.catalogue.entry(em, c.regencyCode, dto.catalogueCode);
      if (!entry) throw ValidationFailed.field('catalogueCode', `is not in the catalogue of regency ${c.regencyCode} (see GET /api/v1/catalogues/interventions)`);
      if (!(await this.sponsors.covers(em, dto.sponsorId, c.regencyCode))) throw ValidationFailed.field('sponsorId', `is not a sponsor funding regency ${c.regencyCode}`);
      const now = this.clock.now();
      const policy = await this.policies.of(c.regencyCode, em);
      const [row] = await this.workflow.start<InterventionEntity>(
        'intervention',
        em,
        actor,
        [
          {
            row: {
              id: randomUUID(),
              regencyCode: c.regencyCode,
              caseId: c.id,
              sponsorId: dto.sponsorId,
              catalogueCode: entry.code,
              plannedStart: dto.plannedStart,
              plannedDays: dto.plannedDays ?? entry.defaultDays,
              cadenceDays: entry.cadenceDays,
              unit: entry.unit,
              budgetIdr: dto.budgetIdr,
              spentIdr: 0,
              deliveries: 0,
              lastDeliveredAt: null,
              createdBy: actor.userId,
              createdAt: now,
              updatedAt: now,
            },
            input: { proposedAt: now.toISOString() },
            entry: { type: 'PROPOSE', payload: { catalogueCode: entry.code, budgetIdr: dto.budgetIdr } },
            policy,
            villageCode: c.villageCode,
            opdId: null,
          },
        ],
        { at: now },
      );
      return row;
    });
    return (await this.views(actor, [row]))[0];
  }

  /**
   * The interventions of these cases (only `sponsorId`'s when given) with their deliveries and the
   * sponsors these cases were offered to, for the child's timeline.
   */
  async ofCases(caseIds: string[], sponsorId: string | null): Promise<{
    interventions: { id: string; caseId: string; regencyCode: string; sponsorId: string; catalogueCode: string; catalogueName: string | null; state: InterventionState; createdAt: Date; deliveries: DeliveryView[] }[];
    offers: { caseId: string; sponsorId: string; offeredAt: Date }[];
  }> {
    if (!caseIds.length) return { interventions: [], offers: [] };
    const rows = (await this.repo.ofCases(caseIds)).filter((r) => sponsorId === null || r.sponsorId === sponsorId);
    const deliveries = await this.repo.deliveries(rows.map((r) => r.id));
    const names = await this.catalogue.names(this.ds.manager, [...new Set(rows.map((r) => r.regencyCode))]);
    const offers = (await this.repo.offersOfCases(caseIds)).filter((o) => sponsorId === null || o.sponsorId === sponsorId);
    return {
      interventions: rows.map((r) => ({
        id: r.id,
        caseId: r.caseId,
        regencyCode: r.regencyCode,
        sponsorId: r.sponsorId,
        catalogueCode: r.catalogueCode,
        catalogueName: names(r.regencyCode, r.catalogueCode)?.name ?? null,
        state: r.state,
        createdAt: r.createdAt,
        deliveries: deliveries.filter((d) => d.interventionId === r.id).map(toDeliveryView),
      })),
      offers,
    };
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
    const scope = interventionScope(actor);
    if (scope.sponsorId !== null && q.sponsorId !== undefined && q.sponsorId !== scope.sponsorId) throw new Forbidden('a CSR partner sees its own sponsor only');
    const limit = pageSize(q.limit);
    const after = decodeCursor(q.cursor, ['string', 'string']) as [string, string] | undefined;
    const rows = await this.repo.list({ ...scope, caseId: q.caseId, filterSponsorId: q.sponsorId, state: q.state, after, limit });
    const page = toPage(rows, limit, (r) => r, (r) => [r.createdAt.toISOString(), r.id]);
    return { items: await this.views(actor, page.items), nextCursor: page.nextCursor };
  }

  async get(actor: Actor, id: string): Promise<InterventionView> {
    const row = await this.repo.findInScope(id, interventionScope(actor));
    if (!row) throw new NotFound('intervention');
    return (await this.views(actor, [row]))[0];
  }

  async history(actor: Actor, id: string): Promise<Page<object>> {
    const row = await this.repo.findInScope(id, interventionScope(actor));
    if (!row) throw new NotFound('intervention');
    return {
      items: (await this.workflow.history('intervention', id)).map((h) => ({
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

  async apply(actor: Actor, id: string, expectedVersion: number, command: InterventionCommand): Promise<InterventionView> {
    const { row } = await this.workflow.apply<InterventionEntity>('intervention', id, command, actor, { expectedVersion });
    return (await this.views(actor, [row]))[0];
  }

  scope(actor: Actor): InterventionScope {
    return interventionScope(actor);
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
      out.set(c.id, outcomeBand(o.baselineHaz, o.latestHaz));
    }
    return out;
  }

  private allowedEvents(actor: Actor, row: InterventionEntity): InterventionEventType[] {
    return this.workflow.allowedEvents(this.lifecycle, actor, row) as InterventionEventType[];
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

