import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../../common/errors/domain-error.js';
import { pgCode, UNIQUE_VIOLATION } from '../../common/errors/pg-errors.js';
import { decodeCursor, type Page, pageSize, toPage } from '../../common/http/pagination.js';
import { type Actor, aggregatePrefix, targetRegency } from '../identity/actor.js';
import { AuthCache } from '../identity/auth-cache.js';
import { PasswordHasher } from '../identity/password-hasher.js';
import { passwordProblem } from '../identity/password-policy.js';
import type { UserEntity } from '../identity/user.entity.js';
import { UsersRepository } from '../identity/users.repository.js';
import { OpdsService } from '../organisations/opds.service.js';
import { SponsorsService } from '../organisations/sponsors.service.js';
import { RegionsService } from '../regions/regions.service.js';
import type { CreateUserDto, ListUsersQueryDto, UpdateUserDto, UserResponseDto } from './dto/user.dto.js';
import { toUserResponse } from './dto/user.dto.js';

type Binding = Pick<UserEntity, 'role' | 'regencyCode' | 'provinceCode' | 'opdId' | 'sponsorId'>;
type Place = Pick<UserEntity, 'regencyCode' | 'provinceCode'>;

/** The roles a user bound to a province may hold; a viewer bound to no region is a national viewer. */
const PROVINCE_ROLES: readonly string[] = ['viewer', 'admin'];
const NATIONAL_ROLES: readonly string[] = ['admin', 'dpo', 'viewer'];

/**
 * User administration. A regency admin manages the users of their own regency; a province admin
 * the users bound to their province and the users of every regency in it; the national admin all.
 * An admin's region is `aggregatePrefix`: '' the nation, 2 digits a province, 4 a regency.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly ds: DataSource,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly authCache: AuthCache,
    private readonly opds: OpdsService,
    private readonly sponsors: SponsorsService,
    private readonly regions: RegionsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async me(actor: Actor): Promise<UserResponseDto> {
    const user = await this.users.findById(actor.userId);
    if (!user) throw new NotFound('user');
    return toUserResponse(user);
  }

  async create(actor: Actor, dto: CreateUserDto): Promise<UserResponseDto> {
    const place = placeFor(actor, dto.regencyCode, dto.provinceCode);
    const binding: Binding = {
      role: dto.role,
      ...place,
      opdId: (await this.opdIdFrom(this.ds.manager, dto, place.regencyCode)) ?? null,
      sponsorId: dto.sponsorId ?? null,
    };
    refuseWeakPassword(dto.password, dto.username);
    await this.checkBinding(this.ds.manager, binding);
    const now = this.clock.now();
    const user: UserEntity = {
      id: randomUUID(),
      username: dto.username,
      passwordHash: await this.hasher.hash(dto.password),
      displayName: dto.displayName,
      ...binding,
      email: dto.email ?? null,
      active: true,
      tokenVersion: 0,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.ds.transaction((em) => this.users.insert(em, user));
    } catch (e) {
      if (pgCode(e) === UNIQUE_VIOLATION) throw new Conflict(`the username ${dto.username} is taken`);
      throw e;
    }
    return toUserResponse(user);
  }

  async list(actor: Actor, query: ListUsersQueryDto): Promise<Page<UserResponseDto>> {
    const limit = pageSize(query.limit);
    const after = decodeCursor(query.cursor, ['string'])?.[0] as string | undefined;
    const rows = await this.users.list({ region: aggregatePrefix(actor), role: query.role, active: query.active, after, limit });
    return toPage(rows, limit, toUserResponse, (u) => [u.username]);
  }

  async get(actor: Actor, id: string): Promise<UserResponseDto> {
    const user = await this.users.findInRegion(id, aggregatePrefix(actor));
    if (!user) throw new NotFound('user');
    return toUserResponse(user);
  }

  async update(actor: Actor, id: string, dto: UpdateUserDto): Promise<UserResponseDto> {
    const passwordHash = dto.password !== undefined ? await this.hasher.hash(dto.password) : undefined;
    return this.ds.transaction(async (em) => {
      const user = await this.users.findInRegion(id, aggregatePrefix(actor), em, true);
      if (!user) throw new NotFound('user');
      if (dto.password !== undefined) refuseWeakPassword(dto.password, user.username);
      if (user.id === actor.userId && (dto.active === false || (dto.role !== undefined && dto.role !== 'admin'))) {
        throw new Conflict('you cannot disable or demote yourself; ask another admin');
      }
      const moved = dto.regencyCode !== undefined || dto.provinceCode !== undefined;
      const place: Place = moved ? placeFor(actor, dto.regencyCode, dto.provinceCode) : { regencyCode: user.regencyCode, provinceCode: user.provinceCode };
      const { regencyCode } = place;
      const opdId = await this.opdIdFrom(em, dto, regencyCode);
      const binding: Binding = {
        role: dto.role ?? user.role,
        ...place,
        opdId: opdId === undefined ? user.opdId : opdId,
        sponsorId: dto.sponsorId === undefined ? user.sponsorId : dto.sponsorId,
      };
      // Moving to another role drops a binding the new role does not take.
      if (dto.role !== undefined && binding.role !== 'opd_liaison' && opdId === undefined) binding.opdId = null;
      if (dto.role !== undefined && binding.role !== 'csr_partner' && dto.sponsorId === undefined) binding.sponsorId = null;
      await this.checkBinding(em, binding);
      const endsSessions =
        passwordHash !== undefined ||
        dto.active === false ||
        binding.role !== user.role ||
        binding.regencyCode !== user.regencyCode ||
        binding.provinceCode !== user.provinceCode ||
        binding.opdId !== user.opdId ||
        binding.sponsorId !== user.sponsorId;
      Object.assign(user, binding);
      if (dto.displayName !== undefined) user.displayName = dto.displayName;
      if (dto.email !== undefined) user.email = dto.email;
      if (passwordHash !== undefined) user.passwordHash = passwordHash;
      if (dto.active !== undefined) user.active = dto.active;
      if (endsSessions) user.tokenVersion += 1;
      user.updatedAt = this.clock.now();
      await this.users.save(em, user);
      await this.authCache.changed(em, user.id);
      return toUserResponse(user);
    });
  }

  /** A liaison is bound by the OPD's code, as everywhere else (or by its id); undefined: not given. */
  private async opdIdFrom(em: EntityManager, dto: { opdCode?: string | null; opdId?: string | null }, regencyCode: string | null): Promise<string | null | undefined> {
    if (dto.opdCode === undefined || dto.opdCode === null) return dto.opdCode === null ? null : dto.opdId;
    if (dto.opdId !== undefined && dto.opdId !== null) throw ValidationFailed.field('opdCode', 'give opdCode or opdId, not both');
    if (regencyCode === null) throw ValidationFailed.field('regencyCode', 'is required for the role opd_liaison');
    const opd = await this.opds.byCode(em, regencyCode, dto.opdCode);
    if (!opd) throw ValidationFailed.field('opdCode', `names no OPD of regency ${regencyCode}`);
    return opd.id;
  }

  private async checkBinding(em: EntityManager, b: Binding): Promise<void> {
    if (b.provinceCode !== null) {
      if (!PROVINCE_ROLES.includes(b.role)) throw ValidationFailed.field('provinceCode', `is only for the roles viewer and admin: a ${b.role} is bound to a regency`);
      if (!this.regions.isProvince(b.provinceCode)) throw ValidationFailed.field('provinceCode', 'is not a Kemendagri province code');
    } else if (b.regencyCode === null) {
      if (!NATIONAL_ROLES.includes(b.role)) throw ValidationFailed.field('regencyCode', `is required for the role ${b.role}`);
    } else if (!this.regions.isRegency(b.regencyCode)) {
      throw ValidationFailed.field('regencyCode', 'is not a Kemendagri regency code');
    }
    if (b.role === 'opd_liaison') {
      if (!b.opdId) throw ValidationFailed.field('opdCode', 'is required for an opd_liaison (or give opdId)');
      if (!(await this.opds.existsInRegency(em, b.opdId, b.regencyCode!))) throw ValidationFailed.field('opdId', 'is not an OPD of this regency');
    } else if (b.opdId) {
      throw ValidationFailed.field('opdId', 'is only for the role opd_liaison');
    }
    if (b.role === 'csr_partner') {
      if (!b.sponsorId) throw ValidationFailed.field('sponsorId', 'is required for a csr_partner');
      if (!(await this.sponsors.covers(em, b.sponsorId, b.regencyCode!))) throw ValidationFailed.field('sponsorId', 'is not a sponsor funding this regency');
    } else if (b.sponsorId) {
      throw ValidationFailed.field('sponsorId', 'is only for the role csr_partner');
    }
  }
}

/**
 * Where a user created or moved by this admin is bound: a regency or a province, always inside the
 * admin's own region (another region is refused, 403). Naming neither binds a regional admin's user
 * to the admin's own regency or province, and a national admin's to the nation.
 */
function placeFor(actor: Actor, regencyCode: string | null | undefined, provinceCode: string | null | undefined): Place {
  if (regencyCode && provinceCode) throw ValidationFailed.field('provinceCode', 'give regencyCode or provinceCode, not both');
  if (actor.level === 'nation') return { regencyCode: regencyCode ?? null, provinceCode: provinceCode ?? null };
  if (actor.level === 'province') {
    const own = actor.provinceCode!;
    if (regencyCode) {
      if (!regencyCode.startsWith(own)) throw new Forbidden('regencyCode is outside your province');
      return { regencyCode, provinceCode: null };
    }
    if (provinceCode && provinceCode !== own) throw new Forbidden('provinceCode is outside your province');
    return { regencyCode: null, provinceCode: own };
  }
  if (provinceCode) throw new Forbidden('provinceCode is outside your regency');
  return { regencyCode: targetRegency(actor, regencyCode ?? undefined) ?? null, provinceCode: null };
}

/** A weak password is a field problem, so the console's form shows the reason beside the field. */
function refuseWeakPassword(password: string, username: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw ValidationFailed.field('password', problem);
}
