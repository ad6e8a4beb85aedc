import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { Forbidden, NotFound, ValidationFailed, VersionConflict } from '../../common/errors/domain-error.js';
import { type Page, pageSize, toPage, decodeCursor } from '../../common/http/pagination.js';
import { type Actor, inScope } from '../identity/actor.js';
import { AuthCache } from '../identity/auth-cache.js';
import { UsersDirectory } from '../identity/users.directory.js';
import { RegionsService } from '../regions/regions.service.js';
import type { CreateTpkTeamDto, ListTpkTeamsQueryDto, TpkMemberDto, UpdateTpkTeamDto } from './dto/tpk-team.dto.js';
import { type TpkMemberRow, type TpkTeamRow, TpkTeamsRepository } from './tpk-teams.repository.js';

export interface TpkTeamView {
  id: string;
  regencyCode: string;
  villageCode: string;
  name: string;
  skRef: string | null;
  coordinatorUserId: string | null;
  members: { userId: string; displayName: string | null; tpkRole: TpkMemberRow['tpkRole']; villageCodes: string[]; active: boolean }[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * Tim Pendamping Keluarga: a team per village (bidan, kader PKK, kader KB) recruited by the
 * kepala desa. Membership binds a `tpk` user to the villages they cover; those villages are the
 * user's whole scope, so a change evicts the member's cached sign-in at once.
 */
@Injectable()
export class TpkTeamsService {
  constructor(
    private readonly ds: DataSource,
    private readonly teams: TpkTeamsRepository,
    private readonly users: UsersDirectory,
    private readonly authCache: AuthCache,
    private readonly regions: RegionsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(actor: Actor, dto: CreateTpkTeamDto): Promise<TpkTeamView> {
    if (!this.regions.isVillage(dto.villageCode)) throw ValidationFailed.field('villageCode', 'is not a Kemendagri village code');
    const regencyCode = dto.villageCode.slice(0, 4);
    if (!inScope(actor, regencyCode)) throw new Forbidden('villageCode is outside your regency');
    const now = this.clock.now();
    const team: TpkTeamRow = {
      id: randomUUID(),
      regencyCode,
      villageCode: dto.villageCode,
      name: dto.name,
      skRef: dto.skRef ?? null,
      coordinatorUserId: dto.coordinatorUserId ?? null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    return this.ds.transaction(async (em) => {
      const members = await this.membersFrom(em, team, dto.members);
      this.checkCoordinator(team, members);
      await this.teams.insert(em, team);
      await this.teams.replaceMembers(em, team.id, members);
      for (const m of members) await this.authCache.changed(em, m.userId);
      return this.view(em, team, members);
    });
  }

  async update(actor: Actor, id: string, dto: UpdateTpkTeamDto, ifMatch: number | undefined): Promise<TpkTeamView> {
    return this.ds.transaction(async (em) => {
      const team = await this.teams.find(em, id, actor.regencyCode, true);
      if (!team) throw new NotFound('TPK team');
      if (ifMatch !== undefined && ifMatch !== team.version) throw new VersionConflict('TPK team', ifMatch, team.version);
      const before = await this.teams.members(em, [team.id]);
      const members = dto.members ? await this.membersFrom(em, team, dto.members) : before;
      if (dto.name !== undefined) team.name = dto.name;
      if (dto.skRef !== undefined) team.skRef = dto.skRef;
      if (dto.coordinatorUserId !== undefined) team.coordinatorUserId = dto.coordinatorUserId;
      this.checkCoordinator(team, members);
      team.version += 1;
      team.updatedAt = this.clock.now();
      await this.teams.update(em, team);
      if (dto.members) {
        await this.teams.replaceMembers(em, team.id, members);
        for (const userId of new Set([...before, ...members].map((m) => m.userId))) await this.authCache.changed(em, userId);
      }
      return this.view(em, team, members);
    });
  }

  async get(actor: Actor, id: string): Promise<TpkTeamView> {
    const team = await this.teams.find(undefined, id, actor.regencyCode);
    if (!team) throw new NotFound('TPK team');
    const members = await this.teams.members(undefined, [id]);
    // A TPK member sees their own teams only.
    if (actor.role === 'tpk' && !members.some((m) => m.userId === actor.userId && m.active)) throw new NotFound('TPK team');
    return this.view(undefined, team, members);
  }

  async list(actor: Actor, q: ListTpkTeamsQueryDto): Promise<Page<TpkTeamView>> {
    const limit = pageSize(q.limit);
    const after = decodeCursor(q.cursor, ['string']) as [string] | undefined;
    const rows = await this.teams.list({
      regencyCode: actor.regencyCode,
      villageCode: q.villageCode,
      memberUserId: actor.role === 'tpk' ? actor.userId : undefined,
      after: after?.[0],
      limit,
    });
    const members = await this.teams.members(undefined, rows.slice(0, limit).map((r) => r.id));
    const names = await this.users.displayNames([...new Set(members.map((m) => m.userId))]);
    return toPage(rows, limit, (t) => this.toView(t, members.filter((m) => m.teamId === t.id), names), (t) => [t.id]);
  }

  private async membersFrom(em: EntityManager, team: TpkTeamRow, dtos: TpkMemberDto[]): Promise<TpkMemberRow[]> {
    if (new Set(dtos.map((d) => d.userId)).size !== dtos.length) throw ValidationFailed.field('members', 'name each user once');
    const out: TpkMemberRow[] = [];
    for (const [i, d] of dtos.entries()) {
      const user = await this.users.findInScope(d.userId, team.regencyCode, em);
      if (!user || !user.active || user.role !== 'tpk' || user.regencyCode !== team.regencyCode) {
        throw ValidationFailed.field(`members.${i}.userId`, `is not an active tpk user of regency ${team.regencyCode}`);
      }
      const villageCodes = [...new Set(d.villageCodes ?? [team.villageCode])];
      for (const v of villageCodes) {
        if (!this.regions.isVillage(v) || v.slice(0, 4) !== team.regencyCode) {
          throw ValidationFailed.field(`members.${i}.villageCodes`, `${v} is not a village of regency ${team.regencyCode}`);
        }
      }
      out.push({ teamId: team.id, userId: d.userId, regencyCode: team.regencyCode, tpkRole: d.tpkRole, villageCodes: villageCodes.sort(), active: true });
    }
    return out;
  }

  private checkCoordinator(team: TpkTeamRow, members: TpkMemberRow[]): void {
    if (team.coordinatorUserId === null) return;
    const m = members.find((x) => x.userId === team.coordinatorUserId);
    if (!m || m.tpkRole !== 'bidan') throw ValidationFailed.field('coordinatorUserId', "must be a member of the team whose tpkRole is bidan");
  }

  private async view(em: EntityManager | undefined, team: TpkTeamRow, members: TpkMemberRow[]): Promise<TpkTeamView> {
    return this.toView(team, members, await this.users.displayNames(members.map((m) => m.userId), em));
  }

  private toView(t: TpkTeamRow, members: TpkMemberRow[], names: Map<string, string>): TpkTeamView {
    return {
      id: t.id,
      regencyCode: t.regencyCode,
      villageCode: t.villageCode,
      name: t.name,
      skRef: t.skRef,
      coordinatorUserId: t.coordinatorUserId,
      members: members.map((m) => ({ userId: m.userId, displayName: names.get(m.userId) ?? null, tpkRole: m.tpkRole, villageCodes: m.villageCodes, active: m.active })),
      version: t.version,
      createdAt: t.createdAt.toISOString(),
      updatedAt: t.updatedAt.toISOString(),
    };
  }
}
