import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { lockInScope } from '../../database/scoped.js';
import { type EntityManager, Repository } from 'typeorm';
import { OpdEntity } from './opd.entity.js';
import { preparedQuery } from '../../database/prepared.js';

/** The only door to the opds table. */
@Injectable()
export class OpdsRepository {
  constructor(@InjectRepository(OpdEntity) private readonly repo: Repository<OpdEntity>) {}

  /** Pass the transaction's manager when inside one: PGlite has a single connection. */
  findInScope(id: string, regencyCode: string | null, em: EntityManager = this.repo.manager): Promise<OpdEntity | null> {
    return em.getRepository(OpdEntity).findOneBy(regencyCode === null ? { id } : { id, regencyCode });
  }

  lockInScope(em: EntityManager, id: string, regencyCode: string | null): Promise<OpdEntity | null> {
    return lockInScope(em, OpdEntity, id, regencyCode);
  }

  /** Keyset page ordered by (regency_code, code), limit+1 rows. */
  list(f: { regencyCode: string | null; after?: [string, string]; limit: number }): Promise<OpdEntity[]> {
    const qb = this.repo.createQueryBuilder('o').orderBy('o.regency_code').addOrderBy('o.code').limit(f.limit + 1);
    if (f.regencyCode !== null) qb.andWhere('o.regency_code = :regencyCode', { regencyCode: f.regencyCode });
    if (f.after) qb.andWhere('(o.regency_code, o.code) > (:r, :c)', { r: f.after[0], c: f.after[1] });
    return qb.getMany();
  }

  findMany(em: EntityManager, ids: string[]): Promise<OpdEntity[]> {
    if (!ids.length) return Promise.resolve([]);
    // Every task answer names its OPD: a prepared statement, planned once per connection.
    return preparedQuery<OpdEntity>(
      em,
      'opds_by_ids',
      `SELECT id, regency_code AS "regencyCode", code, name, head_user_id AS "headUserId", created_at AS "createdAt", updated_at AS "updatedAt"
         FROM opds WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  findByCode(em: EntityManager, regencyCode: string, code: string): Promise<OpdEntity | null> {
    return em.getRepository(OpdEntity).findOneBy({ regencyCode, code });
  }

  async codesOf(em: EntityManager, regencyCode: string): Promise<string[]> {
    const rows = await em.getRepository(OpdEntity).find({ select: { code: true }, where: { regencyCode } });
    return rows.map((r) => r.code);
  }

  async insert(em: EntityManager, opd: OpdEntity): Promise<void> {
    await em.getRepository(OpdEntity).insert(opd);
  }

  /** Inserts what is missing, leaving existing codes alone; returns how many were new. */
  async insertMissing(em: EntityManager, opds: OpdEntity[]): Promise<number> {
    const result = await em.createQueryBuilder().insert().into(OpdEntity).values(opds).orIgnore().returning(['id']).execute();
    return result.raw.length;
  }

  async save(em: EntityManager, opd: OpdEntity): Promise<void> {
    await em.getRepository(OpdEntity).save(opd);
  }
}
