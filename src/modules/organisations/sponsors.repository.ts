import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import { SponsorEntity, SponsorRegencyEntity } from './sponsor.entity.js';

export interface SponsorRow {
  sponsor: SponsorEntity;
  regencyCodes: string[];
}

/** The only door to the sponsors and sponsor_regencies tables. */
@Injectable()
export class SponsorsRepository {
  constructor(@InjectRepository(SponsorEntity) private readonly repo: Repository<SponsorEntity>) {}

  /** A sponsor visible in a regency scope (null: any), with the regencies it funds. */
  async findInScope(id: string, regencyCode: string | null): Promise<SponsorRow | null> {
    const [row] = await this.list({ regencyCode, id, limit: 1 });
    return row ?? null;
  }

  /** Keyset page ordered by (name, id), limit+1 rows. */
  async list(f: { regencyCode: string | null; id?: string; after?: [string, string]; limit: number }): Promise<SponsorRow[]> {
    const qb = this.repo
      .createQueryBuilder('s')
      .addSelect(`(SELECT array_agg(r.regency_code ORDER BY r.regency_code) FROM sponsor_regencies r WHERE r.sponsor_id = s.id)`, 'regency_codes')
      .orderBy('s.name')
      .addOrderBy('s.id')
      .limit(f.limit + 1);
    if (f.regencyCode !== null) {
      qb.andWhere('EXISTS (SELECT 1 FROM sponsor_regencies r WHERE r.regency_code = :regencyCode AND r.sponsor_id = s.id)', {
        regencyCode: f.regencyCode,
      });
    }
    if (f.id !== undefined) qb.andWhere('s.id = :id', { id: f.id });
    if (f.after) qb.andWhere('(s.name, s.id) > (:n, :i)', { n: f.after[0], i: f.after[1] });
    const { entities, raw } = await qb.getRawAndEntities<{ regency_codes: string[] | null }>();
    return entities.map((sponsor, i) => ({ sponsor, regencyCodes: raw[i].regency_codes ?? [] }));
  }

  async insert(em: EntityManager, sponsor: SponsorEntity, regencyCodes: string[]): Promise<void> {
    await em.getRepository(SponsorEntity).insert(sponsor);
    await em
      .getRepository(SponsorRegencyEntity)
      .insert(regencyCodes.map((regencyCode) => ({ regencyCode, sponsorId: sponsor.id })));
  }

  names(em: EntityManager, ids: string[]): Promise<{ id: string; name: string }[]> {
    return em.query(`SELECT id, name FROM sponsors WHERE id = ANY($1::uuid[])`, [ids]);
  }

  async covers(em: EntityManager, sponsorId: string, regencyCode: string): Promise<boolean> {
    return (await em.getRepository(SponsorRegencyEntity).countBy({ sponsorId, regencyCode })) > 0;
  }
}
