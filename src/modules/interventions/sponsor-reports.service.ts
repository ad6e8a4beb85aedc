import { DEFAULT_ZONE_REGENCY, periodBound } from '../../common/clock/calendar-day.js';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { NotFound, ValidationFailed } from '../../common/errors/domain-error.js';
import { type Actor, regencyScope } from '../identity/actor.js';
import { SponsorsService } from '../organisations/sponsors.service.js';
import { csvDocument } from '../../common/csv.js';
import { ConsentsService } from '../subjects/consents.service.js';
import { SubjectsService } from '../subjects/subjects.service.js';
import { CasesService } from '../cases/cases.service.js';
import type { ReportQueryDto } from './dto/intervention.dto.js';
import { CatalogueService } from './catalogue.service.js';
import { InterventionsRepository } from './interventions.repository.js';
import { type Beneficiary, InterventionsService, OUTCOME_BANDS, type OutcomeBand } from './interventions.service.js';


export interface SponsorReport {
  sponsor: { id: string; name: string };
  regencyCode: string | null;
  from: string | null;
  to: string | null;
  byType: { catalogueCode: string; name: string | null; nameEn: string | null; interventions: number; deliveries: number; quantity: number; unit: string; budgetIdr: number; spentIdr: number }[];
  totals: { interventions: number; deliveries: number; budgetIdr: number; spentIdr: number; spentShare: number | null; onTimeDeliveryRate: number | null };
  outcomes: Record<OutcomeBand, number>;
  beneficiaries: (Beneficiary & { interventions: string[]; deliveries: number; outcomeBand: OutcomeBand })[];
}

/**
 * What a sponsor's money did: per intervention type, money spent against budget, on-time
 * deliveries, and how the children it supports grew, as HAZ change bands. Children appear as
 * pseudonymous beneficiaries; a name only where the guardian consented to share with this sponsor.
 */
@Injectable()
export class SponsorReportsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: InterventionsRepository,
    private readonly interventions: InterventionsService,
    private readonly cases: CasesService,
    private readonly subjects: SubjectsService,
    private readonly consents: ConsentsService,
    private readonly sponsors: SponsorsService,
    private readonly catalogue: CatalogueService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async report(actor: Actor, sponsorId: string, q: ReportQueryDto): Promise<SponsorReport> {
    if (actor.role === 'csr_partner' && actor.sponsorId !== sponsorId) throw new NotFound('sponsor');
    const sponsor = await this.sponsors.get(actor, sponsorId);
    // The period's days are the regency's calendar days (the viewer's, else the sponsor's first regency).
    const zone = actor.regencyCode ?? sponsor.regencyCodes[0] ?? DEFAULT_ZONE_REGENCY;
    const from = q.from ? periodBound(q.from, 'from', zone) : undefined;
    const to = q.to ? periodBound(q.to, 'to', zone) : undefined;
    if (from && to && from >= to) throw ValidationFailed.field('to', 'is before from');
    const em = this.ds.manager;
    const all = (await this.repo.ofSponsor(sponsorId, regencyScope(actor), to ?? this.clock.now())).filter((i) => i.state !== 'rejected' && i.state !== 'cancelled');
    const deliveries = await this.repo.deliveries(all.map((i) => i.id), em, { from, to });
    const cases = await this.cases.briefs(em, all.map((i) => i.caseId));
    const subjects = await this.subjects.summaries([...cases.values()].map((c) => c.subjectId), em);
    const bands = await this.interventions.outcomeBands(em, [...cases.values()]);
    const consented = await this.consents.sharingWith(em, sponsorId, [...cases.values()].map((c) => c.subjectId));

    const names = await this.catalogue.names(em, all.map((i) => i.regencyCode));
    const byType = new Map<string, SponsorReport['byType'][number]>();
    for (const i of all) {
      const name = names(i.regencyCode, i.catalogueCode);
      const t = byType.get(i.catalogueCode) ?? { catalogueCode: i.catalogueCode, name: name?.name ?? null, nameEn: name?.nameEn ?? null, interventions: 0, deliveries: 0, quantity: 0, unit: i.unit, budgetIdr: 0, spentIdr: 0 };
      t.interventions += 1;
      t.budgetIdr += i.budgetIdr;
      byType.set(i.catalogueCode, t);
    }
    const typeOf = new Map(all.map((i) => [i.id, i.catalogueCode]));
    const perCase = new Map<string, number>();
    const caseOf = new Map(all.map((i) => [i.id, i.caseId]));
    for (const d of deliveries) {
      const t = byType.get(typeOf.get(d.interventionId)!)!;
      t.deliveries += 1;
      t.quantity = Math.round((t.quantity + Number(d.quantity)) * 100) / 100;
      t.spentIdr += Number(d.amountIdr ?? 0);
      const caseId = caseOf.get(d.interventionId)!;
      perCase.set(caseId, (perCase.get(caseId) ?? 0) + 1);
    }
    const types = [...byType.values()].sort((a, b) => a.catalogueCode.localeCompare(b.catalogueCode));
    const budgetIdr = types.reduce((n, t) => n + t.budgetIdr, 0);
    const spentIdr = types.reduce((n, t) => n + t.spentIdr, 0);
    const outcomes = Object.fromEntries(OUTCOME_BANDS.map((b) => [b, 0])) as Record<OutcomeBand, number>;
    const beneficiaries: SponsorReport['beneficiaries'] = [];
    for (const c of cases.values()) {
      const band = bands.get(c.id) ?? 'awaiting_remeasurement';
      outcomes[band] += 1;
      const b = this.interventions.beneficiary(actor, sponsorId, subjects.get(c.subjectId), consented.has(c.subjectId));
      if (!b) continue;
      beneficiaries.push({
        ...b,
        interventions: [...new Set(all.filter((i) => i.caseId === c.id).map((i) => i.catalogueCode))].sort(),
        deliveries: perCase.get(c.id) ?? 0,
        outcomeBand: band,
      });
    }
    beneficiaries.sort((a, b) => a.code.localeCompare(b.code));
    return {
      sponsor: { id: sponsor.id, name: sponsor.name },
      regencyCode: regencyScope(actor),
      from: q.from ?? null,
      to: q.to ?? null,
      byType: types,
      totals: {
        interventions: all.length,
        deliveries: deliveries.length,
        budgetIdr,
        spentIdr,
        spentShare: budgetIdr ? Math.round((spentIdr / budgetIdr) * 1000) / 1000 : null,
        onTimeDeliveryRate: deliveries.length ? Math.round((deliveries.filter((d) => d.onTime).length / deliveries.length) * 1000) / 1000 : null,
      },
      outcomes,
      beneficiaries,
    };
  }

  /** The same report as CSV: a row per intervention type, the totals, then the outcome bands. */
  async csv(actor: Actor, sponsorId: string, q: ReportQueryDto): Promise<string> {
    const r = await this.report(actor, sponsorId, q);
    const tot = r.totals;
    return csvDocument(['section', 'key', 'interventions', 'deliveries', 'quantity', 'unit', 'budget_idr', 'spent_idr', 'on_time_delivery_rate'], [
      ...r.byType.map((t) => ['type', t.catalogueCode, t.interventions, t.deliveries, t.quantity, t.unit, t.budgetIdr, t.spentIdr, null]),
      ['total', 'all', tot.interventions, tot.deliveries, null, null, tot.budgetIdr, tot.spentIdr, tot.onTimeDeliveryRate],
      ...OUTCOME_BANDS.map((band) => ['outcome', band, r.outcomes[band], null, null, null, null, null, null]),
    ]);
  }
}
