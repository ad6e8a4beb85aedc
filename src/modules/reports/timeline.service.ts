import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { startOfLocalDay } from '../../common/clock/calendar-day.js';
import { NotFound } from '../../common/errors/domain-error.js';
import { CasesService } from '../cases/cases.service.js';
import { MeasurementsService } from '../growth/measurements.service.js';
import { type Actor, regencyScope, villageInScope } from '../identity/actor.js';
import { InterventionsService } from '../interventions/interventions.service.js';
import { SponsorsService } from '../organisations/sponsors.service.js';
import { ConsentsService } from '../subjects/consents.service.js';
import { type Beneficiary, SubjectProjection, type SubjectView, worksCases } from '../subjects/subject-projection.js';
import { SubjectsService, type SubjectSummary } from '../subjects/subjects.service.js';
import { TasksService } from '../tasks/tasks.service.js';
import { VisitsService } from '../visits/visits.service.js';

import { AGENCY_TYPES, type TimelineKind } from './timeline.types.js';

export { AGENCY_TYPES, TIMELINE_KINDS, type TimelineKind } from './timeline.types.js';

/** Who acted: the posyandu that weighed, the TPPS that runs the case, an OPD, a CSR sponsor, a TPK team. */
export interface Agency {
  type: (typeof AGENCY_TYPES)[number];
  id: string | null;
  code: string | null;
  name: string | null;
}

export interface TimelineItem {
  /** When it happened; a day-only fact (a weighing, a visit) at the start of that day in the regency. */
  at: string;
  kind: TimelineKind;
  /** What happened: the history entry's event (OPEN, RECORD_AUDIT, CREATE, ACKNOWLEDGE, …), MEASURED, OFFERED, DELIVERED, VISITED. */
  event: string;
  /** The state the record entered, for lifecycle entries; else null. */
  state: string | null;
  agency: Agency;
  /** The record the item belongs to (measurement, case, task, intervention, delivery, visit). */
  refId: string;
  caseId: string | null;
  /** The facts of the item that the caller's role may see. */
  details: Record<string, unknown>;
}

export interface Timeline {
  /** The child as the caller may see it (SubjectProjection); null for a CSR partner, who gets `beneficiary`. */
  subject: SubjectView | null;
  beneficiary: Beneficiary | null;
  items: TimelineItem[];
}

const ORDER: Record<TimelineKind, number> = { measurement: 0, case: 1, task: 2, offer: 3, intervention: 4, delivery: 5, visit: 6 };

/**
 * The child's timeline across agencies (satu data, issue 18): readings, cases and their steps,
 * OPD tasks of every OPD, CSR offers and deliveries, TPK visits, in date order, each with its
 * agency. Who sees what:
 * - admin, case manager, auditor: everything, audit findings included;
 * - a viewer: the same items, the child limited and case payloads without findings;
 * - an OPD liaison: as a viewer, but only for a child with a task of their OPD (else 404);
 * - a TPK member: readings and visits of children of their villages;
 * - a CSR partner: the beneficiary and its own sponsor's offers, interventions and deliveries,
 *   only for a child offered to or served by that sponsor (else 404).
 */
@Injectable()
export class TimelineService {
  constructor(
    private readonly ds: DataSource,
    private readonly subjects: SubjectsService,
    private readonly projection: SubjectProjection,
    private readonly consents: ConsentsService,
    private readonly cases: CasesService,
    private readonly tasks: TasksService,
    private readonly interventions: InterventionsService,
    private readonly measurements: MeasurementsService,
    private readonly visits: VisitsService,
    private readonly sponsors: SponsorsService,
  ) {}

  async of(actor: Actor, subjectId: string): Promise<Timeline> {
    const em = this.ds.manager;
    const s = await this.subjects.summaryInScope(em, subjectId, regencyScope(actor));
    if (!s || !villageInScope(actor, s.villageCode)) throw new NotFound('subject');
    const day = (d: string) => startOfLocalDay(d, s.regencyCode).toISOString();

    if (actor.role === 'tpk') {
      const items = [...(await this.readings(actor, s, day)), ...(await this.visitItems(actor, s, day))];
      return { subject: this.projection.subject(actor, s), beneficiary: null, items: sorted(items) };
    }

    const cases = await this.cases.ofSubjectWithHistory(s.id, regencyScope(actor));
    const caseIds = cases.map((c) => c.id);

    if (actor.role === 'csr_partner') {
      if (!actor.sponsorId) throw new NotFound('subject');
      const own = await this.interventions.ofCases(caseIds, actor.sponsorId);
      if (!own.interventions.length && !own.offers.length) throw new NotFound('subject');
      const consented = (await this.consents.sharingWith(em, actor.sponsorId, [s.id])).has(s.id);
      const names = await this.sponsors.names(em, [actor.sponsorId]);
      return { subject: null, beneficiary: this.projection.beneficiary(actor, actor.sponsorId, s, consented), items: sorted(this.csrItems(actor, own, names)) };
    }

    const tasks = await this.tasks.ofSubject(s.id, caseIds);
    if (actor.role === 'opd_liaison' && !tasks.some((t) => t.opd.id === actor.opdId)) throw new NotFound('subject');
    const full = worksCases(actor.role);

    const items: TimelineItem[] = [...(await this.readings(actor, s, day))];
    const tpps: Agency = { type: 'tpps', id: null, code: s.regencyCode, name: 'TPPS' };
    for (const c of cases) {
      for (const h of c.history) {
        items.push({
          at: h.at.toISOString(),
          kind: 'case',
          event: h.type,
          state: h.toState,
          agency: tpps,
          refId: c.id,
          caseId: c.id,
          details: { seq: h.seq, fromState: h.fromState, ...(h.seq === 1 ? { source: c.source } : {}), payload: this.projection.casePayload(actor, h.payload), ...(h.cause ? { cause: h.cause } : {}) },
        });
      }
    }
    for (const t of tasks) {
      const agency: Agency = { type: 'opd', id: t.opd.id, code: t.opd.code, name: t.opd.name };
      for (const h of t.history) {
        items.push({
          at: h.at.toISOString(),
          kind: 'task',
          event: h.type,
          state: h.toState,
          agency,
          refId: t.id,
          caseId: t.caseId,
          details: {
            seq: h.seq,
            action: t.action,
            referral: t.referral ? { flag: t.referral.flag, raisedOn: t.referral.raisedOn } : null,
            ...(full ? { payload: h.payload } : {}),
          },
        });
      }
    }
    const all = await this.interventions.ofCases(caseIds, null);
    items.push(...this.csrItems(actor, all, await this.sponsors.names(em, [...all.interventions.map((i) => i.sponsorId), ...all.offers.map((o) => o.sponsorId)])));
    items.push(...(await this.visitItems(actor, s, day)));
    return { subject: this.projection.subject(actor, s), beneficiary: null, items: sorted(items) };
  }

  private async readings(actor: Actor, s: SubjectSummary, day: (d: string) => string): Promise<TimelineItem[]> {
    const full = worksCases(actor.role);
    return (await this.measurements.ofSubject(s.id)).map((m) => ({
      at: day(m.measuredAt),
      kind: 'measurement' as const,
      event: 'MEASURED',
      state: null,
      agency: { type: 'posyandu' as const, id: null, code: m.source, name: m.source === 'eppgbm' ? 'Posyandu (e-PPGBM)' : 'Posyandu' },
      refId: m.id,
      caseId: m.caseId,
      // Readings and z-scores go to the roles that work cases only (SubjectProjection).
      details: full
        ? { measuredOn: m.measuredAt, weightKg: m.weightKg, lengthHeightCm: m.lengthHeightCm, haz: m.haz, waz: m.waz, whz: m.whz, status: m.status, trend: m.trend, warnings: m.warnings }
        : { measuredOn: m.measuredAt },
    }));
  }

  private async visitItems(actor: Actor, s: SubjectSummary, day: (d: string) => string): Promise<TimelineItem[]> {
    const own = actor.role === 'tpk' || worksCases(actor.role);
    return (await this.visits.ofSubject(s.id, regencyScope(actor), actor.villageCodes)).map((v) => ({
      at: day(v.visitedOn),
      kind: 'visit' as const,
      event: 'VISITED',
      state: null,
      agency: { type: 'tpk' as const, id: v.teamId, code: v.villageCode, name: v.teamName },
      refId: v.id,
      caseId: null,
      details: {
        visitedOn: v.visitedOn,
        kind: v.kind,
        targetGroup: v.targetGroup,
        actions: v.actions,
        // Notes and referrals are the team's and the case workers' only.
        ...(own ? { notes: v.notes, referral: v.referral } : {}),
      },
    }));
  }

  private csrItems(actor: Actor, data: Awaited<ReturnType<InterventionsService['ofCases']>>, names: Map<string, string>): TimelineItem[] {
    const money = worksCases(actor.role) || actor.role === 'csr_partner';
    const sponsor = (id: string): Agency => ({ type: 'sponsor', id, code: null, name: names.get(id) ?? null });
    const items: TimelineItem[] = data.offers.map((o) => ({
      at: new Date(o.offeredAt).toISOString(),
      kind: 'offer' as const,
      event: 'OFFERED',
      state: null,
      agency: sponsor(o.sponsorId),
      refId: o.caseId,
      caseId: o.caseId,
      details: {},
    }));
    for (const i of data.interventions) {
      const details = { catalogueCode: i.catalogueCode, catalogueName: i.catalogueName, currentState: i.state };
      items.push({ at: i.createdAt.toISOString(), kind: 'intervention', event: 'PROPOSED', state: 'proposed', agency: sponsor(i.sponsorId), refId: i.id, caseId: i.caseId, details });
      for (const d of i.deliveries) {
        items.push({
          at: d.deliveredAt,
          kind: 'delivery',
          event: 'DELIVERED',
          state: null,
          agency: sponsor(i.sponsorId),
          refId: d.id,
          caseId: i.caseId,
          details: {
            interventionId: i.id,
            catalogueCode: i.catalogueCode,
            catalogueName: i.catalogueName,
            quantity: d.quantity,
            unit: d.unit,
            onTime: d.onTime,
            ...(money ? { amountIdr: d.amountIdr, note: d.note, evidenceRef: d.evidenceRef } : {}),
          },
        });
      }
    }
    return items;
  }
}

function sorted(items: TimelineItem[]): TimelineItem[] {
  const seq = (i: TimelineItem) => (typeof i.details.seq === 'number' ? i.details.seq : 0);
  return items.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : ORDER[a.kind] - ORDER[b.kind] || seq(a) - seq(b)));
}
