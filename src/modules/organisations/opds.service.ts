import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { Conflict, NotFound, ValidationFailed } from '../../common/errors/domain-error.js';
import { pgCode, UNIQUE_VIOLATION } from '../../common/errors/pg-errors.js';
import { decodeCursor, type Page, pageSize, toPage } from '../../common/http/pagination.js';
import { type Actor, regencyScope, targetRegency } from '../identity/actor.js';
import { UsersDirectory } from '../identity/users.directory.js';
import { RegionsService } from '../regions/regions.service.js';
import type { CreateOpdDto, ListOpdsQueryDto, OpdResponseDto, UpdateOpdDto } from './dto/opd.dto.js';
import { toOpdResponse } from './dto/opd.dto.js';
import { OPD_CATALOGUE } from './opd-catalogue.js';
import type { OpdEntity } from './opd.entity.js';
import { OpdsRepository } from './opds.repository.js';
import type { OpdSummary } from './opd-summary.js';

export type { OpdSummary };

@Injectable()
export class OpdsService {
  constructor(
    private readonly ds: DataSource,
    private readonly opds: OpdsRepository,
    private readonly users: UsersDirectory,
    private readonly regions: RegionsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(actor: Actor, dto: CreateOpdDto): Promise<OpdResponseDto> {
    const regencyCode = this.requireRegency(actor, dto.regencyCode);
    if (dto.headUserId !== undefined) await this.checkHead(this.ds.manager, dto.headUserId, regencyCode);
    const now = this.clock.now();
    const opd: OpdEntity = {
      id: randomUUID(),
      regencyCode,
      code: dto.code,
      name: dto.name,
      headUserId: dto.headUserId ?? null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.ds.transaction((em) => this.opds.insert(em, opd));
    } catch (e) {
      if (pgCode(e) === UNIQUE_VIOLATION) throw new Conflict(`regency ${regencyCode} already has an OPD with code ${dto.code}`);
      throw e;
    }
    return toOpdResponse(opd);
  }

  /** Creates the usual OPD catalogue in a regency; codes it already has are left alone. */
  async seed(actor: Actor, requested: string | undefined): Promise<{ created: number } & Page<OpdResponseDto>> {
    const regencyCode = this.requireRegency(actor, requested);
    const now = this.clock.now();
    const rows = OPD_CATALOGUE.map((o) => ({ id: randomUUID(), regencyCode, ...o, headUserId: null, createdAt: now, updatedAt: now }));
    const created = await this.ds.transaction((em) => this.opds.insertMissing(em, rows));
    const all = await this.opds.list({ regencyCode, limit: 1000 });
    return { created, items: all.map(toOpdResponse), nextCursor: null };
  }

  async list(actor: Actor, query: ListOpdsQueryDto): Promise<Page<OpdResponseDto>> {
    const scope = regencyScope(actor);
    if (scope !== null && query.regencyCode !== undefined && query.regencyCode !== scope) return { items: [], nextCursor: null };
    const limit = pageSize(query.limit);
    const after = decodeCursor(query.cursor, ['string', 'string']) as [string, string] | undefined;
    const rows = await this.opds.list({ regencyCode: scope ?? query.regencyCode ?? null, after, limit });
    return toPage(rows, limit, toOpdResponse, (o) => [o.regencyCode, o.code]);
  }

  async get(actor: Actor, id: string): Promise<OpdResponseDto> {
    const opd = await this.opds.findInScope(id, regencyScope(actor));
    if (!opd) throw new NotFound('OPD');
    return toOpdResponse(opd);
  }

  async update(actor: Actor, id: string, dto: UpdateOpdDto): Promise<OpdResponseDto> {
    return this.ds.transaction(async (em) => {
      const opd = await this.opds.lockInScope(em, id, regencyScope(actor));
      if (!opd) throw new NotFound('OPD');
      if (dto.headUserId) await this.checkHead(em, dto.headUserId, opd.regencyCode);
      if (dto.name !== undefined) opd.name = dto.name;
      if (dto.headUserId !== undefined) opd.headUserId = dto.headUserId;
      opd.updatedAt = this.clock.now();
      await this.opds.save(em, opd);
      return toOpdResponse(opd);
    });
  }

  /** An OPD a user may be bound to: it exists in that regency. */
  async existsInRegency(em: EntityManager, opdId: string, regencyCode: string): Promise<boolean> {
    return (await this.opds.findInScope(opdId, regencyCode, em)) !== null;
  }

  /** OPDs by id, for other modules' views and recipients. */
  async summaries(em: EntityManager, ids: string[]): Promise<Map<string, OpdSummary>> {
    const rows = await this.opds.findMany(em, [...new Set(ids)]);
    return new Map(rows.map((o) => [o.id, { id: o.id, regencyCode: o.regencyCode, code: o.code, name: o.name, headUserId: o.headUserId }]));
  }

  async byCode(em: EntityManager, regencyCode: string, code: string): Promise<OpdSummary | null> {
    const o = await this.opds.findByCode(em, regencyCode, code);
    return o ? { id: o.id, regencyCode: o.regencyCode, code: o.code, name: o.name, headUserId: o.headUserId } : null;
  }

  /** The codes among `codes` that name no OPD of the regency. */
  async unknownCodes(em: EntityManager, regencyCode: string, codes: string[]): Promise<string[]> {
    const known = new Set(await this.opds.codesOf(em, regencyCode));
    return [...new Set(codes)].filter((c) => !known.has(c));
  }

  private requireRegency(actor: Actor, requested: string | undefined): string {
    const regencyCode = targetRegency(actor, requested);
    if (regencyCode === undefined) throw ValidationFailed.field('regencyCode', 'is required for a national admin');
    if (!this.regions.isRegency(regencyCode)) throw ValidationFailed.field('regencyCode', 'is not a Kemendagri regency code');
    return regencyCode;
  }

  private async checkHead(em: EntityManager, userId: string, regencyCode: string): Promise<void> {
    const user = await this.users.findInScope(userId, regencyCode, em);
    if (!user || !user.active) throw ValidationFailed.field('headUserId', 'is not an active user of this regency');
  }
}
