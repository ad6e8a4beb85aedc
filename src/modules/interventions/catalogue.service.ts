import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NotFound, ValidationFailed } from '../../common/errors/domain-error.js';
import type { Page } from '../../common/http/pagination.js';
import { type Actor, aggregateInScope, aggregatesOnly, regencyScope, targetRegency } from '../identity/actor.js';
import { RegionsService } from '../regions/regions.service.js';
import type { CatalogueEntryDto } from './dto/intervention.dto.js';
import type { CatalogueEntry } from './intervention.entity.js';
import { InterventionsRepository } from './interventions.repository.js';

export interface CatalogueView {
  code: string;
  name: string;
  nameEn: string;
  kind: string;
  targetGroups: string[];
  defaultDays: number;
  cadenceDays: number;
  unit: string;
  opdCode: string;
  /** null for the national catalogue, else the regency that added it. */
  regencyCode: string | null;
}

const view = (e: CatalogueEntry): CatalogueView => ({
  code: e.code,
  name: e.name,
  nameEn: e.nameEn,
  kind: e.kind,
  targetGroups: e.targetGroups,
  defaultDays: e.defaultDays,
  cadenceDays: e.cadenceDays,
  unit: e.unit,
  opdCode: e.opdCode,
  regencyCode: e.scope || null,
});

/** The intervention catalogue: national entries (domain brief §5.2) that a regency may add to or retire. */
@Injectable()
export class CatalogueService {
  constructor(
    private readonly repo: InterventionsRepository,
    private readonly regions: RegionsService,
  ) {}

  async list(actor: Actor, regencyCode?: string): Promise<Page<CatalogueView>> {
    if (regencyCode && !this.regions.isRegency(regencyCode)) throw ValidationFailed.field('regencyCode', 'is not a Kemendagri regency code');
    // Reference data, no one's record: a province or national user may read it within their own region.
    if (aggregatesOnly(actor) && regencyCode && !aggregateInScope(actor, regencyCode)) throw new NotFound('regency');
    const scope = (aggregatesOnly(actor) ? null : regencyScope(actor)) ?? regencyCode ?? null;
    return { items: (await this.repo.catalogue(scope)).filter((e) => !e.retired).map(view), nextCursor: null };
  }

  /** The live entry of a regency's catalogue, or null. */
  async entry(em: EntityManager, regencyCode: string, code: string): Promise<CatalogueEntry | null> {
    const found = (await this.repo.catalogue(regencyCode, em)).find((e) => e.code === code);
    return found && !found.retired ? found : null;
  }

  /**
   * The names of catalogue entries as the regencies know them, retired ones included (an
   * intervention keeps the entry it was proposed under): `(regencyCode, code) => {name, nameEn}`.
   */
  async names(em: EntityManager, regencyCodes: string[]): Promise<(regencyCode: string, code: string) => { name: string; nameEn: string } | null> {
    const byRegency = new Map<string, Map<string, { name: string; nameEn: string }>>();
    for (const rc of new Set(regencyCodes)) {
      byRegency.set(rc, new Map((await this.repo.catalogue(rc, em)).map((e) => [e.code, { name: e.name, nameEn: e.nameEn }])));
    }
    return (rc, code) => byRegency.get(rc)?.get(code) ?? null;
  }

  async add(actor: Actor, dto: CatalogueEntryDto): Promise<CatalogueView> {
    const scope = this.regency(actor, dto.regencyCode);
    const entry: CatalogueEntry = {
      scope,
      code: dto.code,
      name: dto.name,
      nameEn: dto.nameEn,
      kind: dto.kind,
      targetGroups: [...new Set(dto.targetGroups)],
      defaultDays: dto.defaultDays,
      cadenceDays: dto.cadenceDays,
      unit: dto.unit,
      opdCode: dto.opdCode,
      retired: false,
    };
    await this.repo.saveCatalogueEntry(entry);
    return view(entry);
  }

  /** Takes an entry out of the regency's catalogue; interventions already proposed keep it. */
  async retire(actor: Actor, code: string, regencyCode?: string): Promise<void> {
    const scope = this.regency(actor, regencyCode);
    const current = (await this.repo.catalogue(scope)).find((e) => e.code === code && !e.retired);
    if (!current) throw new NotFound('catalogue entry');
    await this.repo.saveCatalogueEntry({ ...current, scope, retired: true });
  }

  private regency(actor: Actor, requested: string | undefined): string {
    const scope = targetRegency(actor, requested);
    if (!scope) throw ValidationFailed.field('regencyCode', 'is required for a national admin');
    if (!this.regions.isRegency(scope)) throw ValidationFailed.field('regencyCode', 'is not a Kemendagri regency code');
    return scope;
  }
}
