import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { DomainError, NotFound, ValidationFailed } from '../../common/errors/domain-error.js';
import { decodeCursor, type Page, pageSize, toPage } from '../../common/http/pagination.js';
import { CasesService } from '../cases/cases.service.js';
import { type Actor, regencyScope } from '../identity/actor.js';
import { SponsorsService } from '../organisations/sponsors.service.js';
import { ConsentsService } from '../subjects/consents.service.js';
import { type Beneficiary, SubjectProjection } from '../subjects/subject-projection.js';
import { SubjectsService } from '../subjects/subjects.service.js';
import { InterventionsRepository } from './interventions.repository.js';

/** A case offered to a sponsor: what a CSR partner may then propose an intervention for. */
@Injectable()
export class OffersService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: InterventionsRepository,
    private readonly cases: CasesService,
    private readonly subjects: SubjectsService,
    private readonly consents: ConsentsService,
    private readonly sponsors: SponsorsService,
    private readonly projection: SubjectProjection,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async offer(actor: Actor, caseId: string, sponsorId: string): Promise<{ caseId: string; sponsorId: string; offeredAt: string }> {
    return this.ds.transaction(async (em) => {
      const c = (await this.cases.briefs(em, [caseId], regencyScope(actor))).get(caseId);
      if (!c) throw new NotFound('case');
      if (this.cases.isFinished(c.state)) throw new DomainError('INVALID_TRANSITION', `the case is ${c.state}`, { state: c.state });
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
        beneficiary: this.projection.beneficiary(actor, r.sponsorId, subjects.get(c.subjectId), shared.has(c.subjectId)),
      });
    }
    return { items, nextCursor: page.nextCursor };
  }
}
