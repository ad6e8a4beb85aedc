import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { Forbidden, NotFound, ValidationFailed } from '../../common/errors/domain-error.js';
import { decodeCursor, type Page, PageQueryDto, pageSize, toPage } from '../../common/http/pagination.js';
import { type Actor, regencyScope } from '../identity/actor.js';
import { RegionsService } from '../regions/regions.service.js';
import { type CreateSponsorDto, type SponsorResponseDto, toSponsorResponse } from './dto/sponsor.dto.js';
import type { SponsorEntity } from './sponsor.entity.js';
import { SponsorsRepository } from './sponsors.repository.js';

@Injectable()
export class SponsorsService {
  constructor(
    private readonly ds: DataSource,
    private readonly sponsors: SponsorsRepository,
    private readonly regions: RegionsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(actor: Actor, dto: CreateSponsorDto): Promise<SponsorResponseDto> {
    const bad = dto.regencyCodes.findIndex((c) => !this.regions.isRegency(c));
    if (bad >= 0) throw ValidationFailed.field(`regencyCodes.${bad}`, 'is not a Kemendagri regency code');
    const scope = regencyScope(actor);
    if (scope !== null && dto.regencyCodes.some((c) => c !== scope)) {
      throw new Forbidden('regencyCodes may only name your own regency');
    }
    const now = this.clock.now();
    const sponsor: SponsorEntity = { id: randomUUID(), name: dto.name, type: dto.type, createdAt: now, updatedAt: now };
    const regencyCodes = [...dto.regencyCodes].sort();
    await this.ds.transaction((em) => this.sponsors.insert(em, sponsor, regencyCodes));
    return toSponsorResponse({ sponsor, regencyCodes }, scope);
  }

  async list(actor: Actor, query: PageQueryDto): Promise<Page<SponsorResponseDto>> {
    const scope = regencyScope(actor);
    const limit = pageSize(query.limit);
    const after = decodeCursor(query.cursor, ['string', 'string']) as [string, string] | undefined;
    // A CSR partner sees only the sponsor it works for.
    const id = actor.role === 'csr_partner' ? (actor.sponsorId ?? undefined) : undefined;
    const rows = await this.sponsors.list({ regencyCode: scope, id, after, limit });
    return toPage(rows, limit, (r) => toSponsorResponse(r, scope), (r) => [r.sponsor.name, r.sponsor.id]);
  }

  async get(actor: Actor, id: string): Promise<SponsorResponseDto> {
    if (actor.role === 'csr_partner' && actor.sponsorId !== id) throw new NotFound('sponsor');
    const row = await this.sponsors.findInScope(id, regencyScope(actor));
    if (!row) throw new NotFound('sponsor');
    return toSponsorResponse(row, regencyScope(actor));
  }

  /** Sponsors' names by id (for timelines and reports that name the agency). */
  async names(em: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    return new Map((await this.sponsors.names(em, [...new Set(ids)])).map((s) => [s.id, s.name]));
  }

  /** Whether a sponsor funds a regency, i.e. its partners may work there. */
  covers(em: EntityManager, sponsorId: string, regencyCode: string): Promise<boolean> {
    return this.sponsors.covers(em, sponsorId, regencyCode);
  }
}
