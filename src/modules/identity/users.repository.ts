import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { preparedQuery } from '../../database/prepared.js';
import { type EntityManager, Repository, type SelectQueryBuilder } from 'typeorm';
import { UserEntity } from './user.entity.js';
import type { Role } from './role.js';

export interface UserListFilter {
  /** The admin's region: '' the nation, 2 digits a province (its own users and its regencies'), 4 a regency. */
  region: string;
  role?: Role;
  active?: boolean;
  after?: string;
  limit: number;
}

export type AuthRecord = Pick<UserEntity, 'id' | 'username' | 'displayName' | 'role' | 'regencyCode' | 'provinceCode' | 'opdId' | 'sponsorId' | 'active' | 'tokenVersion'> & {
  /** A TPK member's villages, from their active team memberships; null for other roles. */
  villageCodes: string[] | null;
};

function inRegion(qb: SelectQueryBuilder<UserEntity>, region: string): void {
  if (region.length === 4) qb.andWhere('u.regency_code = :region', { region });
  else if (region.length === 2) qb.andWhere('(u.province_code = :region OR left(u.regency_code, 2) = :region)', { region });
  else if (region !== '') throw new Error(`not a region prefix: ${region}`);
}

/** The only door to the users table. */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity) private readonly repo: Repository<UserEntity>) {}

  /** A user by id, every column: a prepared indexed read (GET /users/me runs it on each call). */
  async findById(id: string): Promise<UserEntity | null> {
    const rows = await preparedQuery<UserEntity>(
      this.repo.manager,
      'user_by_id',
      `SELECT id, username, password_hash AS "passwordHash", display_name AS "displayName", role, regency_code AS "regencyCode",
              province_code AS "provinceCode", opd_id AS "opdId", sponsor_id AS "sponsorId", email, active,
              token_version AS "tokenVersion", created_at AS "createdAt", updated_at AS "updatedAt"
         FROM users WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** The per-request token check: a plain indexed read, kept off TypeORM's query builder for speed. */
  async findForAuth(id: string): Promise<AuthRecord | null> {
    const rows = await preparedQuery<AuthRecord>(
      this.repo.manager,
      'user_for_auth',
      `SELECT id, username, display_name AS "displayName", role, regency_code AS "regencyCode", province_code AS "provinceCode", opd_id AS "opdId",
              sponsor_id AS "sponsorId", active, token_version AS "tokenVersion",
              CASE WHEN role = 'tpk' THEN ARRAY(SELECT DISTINCT v FROM tpk_members m, unnest(m.village_codes) v WHERE m.user_id = users.id AND m.active ORDER BY v)
              END AS "villageCodes"
         FROM users WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async displayNames(ids: string[], em: EntityManager = this.repo.manager): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await preparedQuery<{ id: string; display_name: string }>(
      em,
      'user_display_names',
      'SELECT id, display_name FROM users WHERE id = ANY($1::uuid[])',
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }

  /** Active users among `ids`, with their e-mail address if they gave one: who a notification can reach. */
  async activeContacts(em: EntityManager, ids: string[]): Promise<{ id: string; email: string | null }[]> {
    if (!ids.length) return [];
    return em.query(`SELECT id, email FROM users WHERE id = ANY($1::uuid[]) AND active`, [ids]);
  }

  /** The active users of each role in these regencies (e.g. the OPD liaisons of an OPD, the case managers of a regency). */
  async activeByRole(
    em: EntityManager,
    role: Role,
    f: { regencyCodes?: string[]; opdIds?: string[]; sponsorIds?: string[] },
  ): Promise<{ id: string; regencyCode: string; opdId: string | null; sponsorId: string | null }[]> {
    return em.query(
      `SELECT id, regency_code AS "regencyCode", opd_id AS "opdId", sponsor_id AS "sponsorId" FROM users
        WHERE active AND role = $1 AND ($2::text[] IS NULL OR regency_code = ANY($2)) AND ($3::uuid[] IS NULL OR opd_id = ANY($3))
          AND ($4::uuid[] IS NULL OR sponsor_id = ANY($4))`,
      [role, f.regencyCodes ?? null, f.opdIds ?? null, f.sponsorIds ?? null],
    );
  }

  findByUsername(username: string): Promise<UserEntity | null> {
    return this.repo.findOneBy({ username });
  }

  /** Within a regency scope (null: all). */
  findInScope(id: string, regencyCode: string | null, em: EntityManager = this.repo.manager): Promise<UserEntity | null> {
    return em.getRepository(UserEntity).findOneBy(regencyCode === null ? { id } : { id, regencyCode });
  }

  /** A user within an admin's region ('' nation, 2-digit province, 4-digit regency), locked when em is given in a transaction. */
  findInRegion(id: string, region: string, em: EntityManager = this.repo.manager, lock = false): Promise<UserEntity | null> {
    const qb = em.getRepository(UserEntity).createQueryBuilder('u').where('u.id = :id', { id });
    if (lock) qb.setLock('pessimistic_write');
    inRegion(qb, region);
    return qb.getOne();
  }

  /** Keyset page ordered by username, limit+1 rows. */
  list(f: UserListFilter): Promise<UserEntity[]> {
    const qb = this.repo.createQueryBuilder('u').orderBy('u.username').limit(f.limit + 1);
    inRegion(qb, f.region);
    if (f.role !== undefined) qb.andWhere('u.role = :role', { role: f.role });
    if (f.active !== undefined) qb.andWhere('u.active = :active', { active: f.active });
    if (f.after !== undefined) qb.andWhere('u.username > :after', { after: f.after });
    return qb.getMany();
  }

  async insert(em: EntityManager, user: UserEntity): Promise<void> {
    await em.getRepository(UserEntity).insert(user);
  }

  async save(em: EntityManager, user: UserEntity): Promise<void> {
    await em.getRepository(UserEntity).save(user);
  }

  async hasAny(): Promise<boolean> {
    return (await this.repo.count({ take: 1 })) > 0;
  }

  /** Inserts the first admin unless any user exists; safe when several instances start at once. */
  async insertFirstAdmin(user: UserEntity): Promise<boolean> {
    return this.repo.manager.transaction(async (em) => {
      await em.query('LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE');
      if ((await em.getRepository(UserEntity).count({ take: 1 })) > 0) return false;
      await em.getRepository(UserEntity).insert(user);
      return true;
    });
  }
}
