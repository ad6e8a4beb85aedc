import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { preparedQuery } from '../../database/prepared.js';
import { lockInScope } from '../../database/scoped.js';
import { plainArray, type PlainValue, textArray } from '../../database/sql-arrays.js';
import { type EntityManager, In, Repository } from 'typeorm';
import { SUBJECT_SUMMARY, type SubjectSummaryRow } from './subject-summary.js';
import { SubjectEntity } from './subject.entity.js';

export interface SubjectSearch {
  regencyCode: string | null;
  nikHash?: Buffer;
  namePrefix?: string;
  villageCode?: string;
  after?: [string, string];
  limit: number;
  includeRestricted?: boolean;
}

export type { SubjectSummaryRow };

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);


/** A subject as an import matches it: its summary and the keys it is found by. */
export type SubjectMatchRow = SubjectSummaryRow & Pick<SubjectEntity, 'nikHash' | 'nameKey' | 'restrictedAt'>;

const MATCH_COLUMNS = `s.id, s.name, s.target_group AS "targetGroup", s.sex, s.birth_date::text AS "birthDate", s.village_code AS "villageCode",
       s.regency_code AS "regencyCode", s.nik_hash AS "nikHash", s.name_key AS "nameKey", s.restricted_at AS "restrictedAt"`;

/** The only door to the subjects table. */
@Injectable()
export class SubjectsRepository {
  constructor(@InjectRepository(SubjectEntity) private readonly repo: Repository<SubjectEntity>) {}

  findInScope(id: string, regencyCode: string | null, em: EntityManager = this.repo.manager): Promise<SubjectEntity | null> {
    return em.getRepository(SubjectEntity).findOneBy(regencyCode === null ? { id } : { id, regencyCode });
  }

  /**
   * The day of the subject's first reading, if any: a birth date may not move past it (the growth
   * read bounds measured_on by the birth date to skip earlier months' partitions). Read here, not
   * through the growth module, which depends on this one; served by ux_measurements_reading.
   */
  async firstReadingDay(em: EntityManager, id: string): Promise<string | null> {
    const [r] = (await em.query(`SELECT min(measured_on)::text AS day FROM measurements WHERE subject_id = $1`, [id])) as { day: string | null }[];
    return r?.day ?? null;
  }

  lockInScope(em: EntityManager, id: string, regencyCode: string | null): Promise<SubjectEntity | null> {
    return lockInScope(em, SubjectEntity, id, regencyCode);
  }

  /** The non-identifying fields other modules show of a subject; a plain query, it runs on hot paths. */
  async summaries(ids: string[], em: EntityManager = this.repo.manager): Promise<SubjectSummaryRow[]> {
    if (!ids.length) return [];
    return preparedQuery<SubjectSummaryRow>(
      em,
      'subject_summaries',
      `SELECT ${SUBJECT_SUMMARY.columns('s')} FROM subjects s WHERE s.id = ANY($1::uuid[]) AND s.restricted_at IS NULL`,
      [ids],
    );
  }

  /** Full rows by id, for the FHIR export (which needs the sealed identifiers). */
  byIds(ids: string[]): Promise<SubjectEntity[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.repo.find({ where: { id: In(ids) } });
  }

  async idByNikHash(em: EntityManager, regencyCode: string, nikHash: Buffer): Promise<string | null> {
    const row = await em.getRepository(SubjectEntity).findOne({ select: { id: true }, where: { regencyCode, nikHash } });
    return row?.id ?? null;
  }

  /** Keyset page ordered by (lower(name), id), limit+1 rows. */
  search(f: SubjectSearch): Promise<SubjectEntity[]> {
    const qb = this.repo.createQueryBuilder('s').orderBy('s.name_key').addOrderBy('s.id').limit(f.limit + 1);
    if (!f.includeRestricted) qb.andWhere('s.restricted_at IS NULL');
    if (f.regencyCode !== null) qb.andWhere('s.regency_code = :regencyCode', { regencyCode: f.regencyCode });
    if (f.nikHash) qb.andWhere('s.nik_hash = :nikHash', { nikHash: f.nikHash });
    if (f.villageCode) qb.andWhere('s.village_code = :villageCode', { villageCode: f.villageCode });
    if (f.namePrefix) qb.andWhere(`s.name_key LIKE :prefix ESCAPE '\\'`, { prefix: `${escapeLike(f.namePrefix.toLowerCase())}%` });
    if (f.after) qb.andWhere('(s.name_key, s.id) > (:k, :i)', { k: f.after[0], i: f.after[1] });
    return qb.getMany();
  }

  /*
   * Both lookups probe an index once per key (LATERAL ... LIMIT 1 keeps the planner from turning
   * them into a scan of the regency's subjects, which it did while an import outgrew the table's
   * statistics, and which grows with the table).
   */

  /** Subjects of a regency by NIK keyed hash: the fields a match needs. */
  findByNikHashes(em: EntityManager, regencyCode: string, hashes: Buffer[]): Promise<SubjectMatchRow[]> {
    if (!hashes.length) return Promise.resolve([]);
    return em.query(
      `SELECT s.* FROM unnest($2::bytea[]) AS k(nik_hash)
         CROSS JOIN LATERAL (SELECT ${MATCH_COLUMNS} FROM subjects s
                              WHERE s.regency_code = $1 AND s.nik_hash = k.nik_hash LIMIT 1) s`,
      [regencyCode, hashes],
    );
  }

  /** Children without NIK by (name, birth date, village); of two alike, the one registered first. */
  findByNameBirthVillages(em: EntityManager, regencyCode: string, keys: { name: string; birthDate: string; villageCode: string }[]): Promise<SubjectMatchRow[]> {
    if (!keys.length) return Promise.resolve([]);
    return em.query(
      `SELECT s.* FROM (SELECT DISTINCT * FROM unnest($2::text[], $3::date[], $4::text[])) AS k(name_key, birth_date, village_code)
         CROSS JOIN LATERAL (SELECT ${MATCH_COLUMNS} FROM subjects s
                              WHERE s.regency_code = $1 AND s.village_code = k.village_code AND s.name_key = k.name_key
                                AND s.birth_date = k.birth_date
                              ORDER BY s.created_at LIMIT 1) s`,
      [regencyCode, keys.map((k) => k.name.toLowerCase()), keys.map((k) => k.birthDate), keys.map((k) => k.villageCode)],
    );
  }

  /** One statement of column arrays, however many subjects (an import batch). */
  async insertMany(em: EntityManager, subjects: SubjectEntity[]): Promise<void> {
    if (!subjects.length) return;
    const col = <K extends keyof SubjectEntity>(k: K) => subjects.map((s) => s[k]);
    const plain = <K extends keyof SubjectEntity>(k: K) => plainArray(subjects.map((s) => s[k] as PlainValue));
    const text = <K extends keyof SubjectEntity>(k: K) => textArray(subjects.map((s) => s[k] as string | null));
    await em.query(
      `INSERT INTO subjects (id, regency_code, village_code, target_group, name, sex, birth_date, nik_enc, nik_hash, family_card_enc,
                             family_card_hash, mother_name, posyandu, address, created_by, created_at, updated_at, version)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[], $8::bytea[], $9::bytea[],
                            $10::bytea[], $11::bytea[], $12::text[], $13::text[], $14::text[], $15::uuid[], $16::timestamptz[],
                            $17::timestamptz[], $18::int[])`,
      [
        plain('id'), text('regencyCode'), text('villageCode'), text('targetGroup'), text('name'), text('sex'), plain('birthDate'), col('nikEnc'),
        col('nikHash'), col('familyCardEnc'), col('familyCardHash'), text('motherName'), text('posyandu'), text('address'), plain('createdBy'),
        plain('createdAt'), plain('updatedAt'), plain('version'),
      ],
    );
  }

  async insert(em: EntityManager, subject: SubjectEntity): Promise<void> {
    await em.getRepository(SubjectEntity).insert(subject);
  }

  /** Strips what identifies each subject, keeping what aggregates need (group, sex, village, birth month). */
  async anonymise(em: EntityManager, ids: string[], at: Date): Promise<void> {
    if (!ids.length) return;
    await em.query(
      `UPDATE subjects SET name = 'Anonim ' || left(id::text, 8), nik_enc = NULL, nik_hash = NULL, family_card_enc = NULL, family_card_hash = NULL,
              mother_nik_enc = NULL, mother_nik_hash = NULL,
              mother_name = NULL, posyandu = NULL, address = NULL, birth_date = date_trunc('month', birth_date)::date,
              anonymised_at = $2, updated_at = $2, version = version + 1
        WHERE id = ANY($1::uuid[]) AND anonymised_at IS NULL`,
      [ids, at],
    );
  }

  /**
   * Subjects of a regency whose own record is past `cutoff`: their fifth birthday and their last
   * change both before it. Keyset page by (birth date, id) after `after`.
   */
  retentionCandidates(em: EntityManager, regencyCode: string, cutoff: Date, limit: number, after: [string, string] | null): Promise<{ id: string; birthDate: string }[]> {
    return em.query(
      `SELECT s.id, s.birth_date::text AS "birthDate" FROM subjects s
        WHERE s.regency_code = $1 AND s.anonymised_at IS NULL
          AND s.birth_date + interval '5 years' < $2::timestamptz AND s.updated_at < $2::timestamptz
          AND ($4::date IS NULL OR (s.birth_date, s.id) > ($4::date, $5::uuid))
        ORDER BY s.birth_date, s.id LIMIT $3`,
      [regencyCode, cutoff, limit, after?.[0] ?? null, after?.[1] ?? null],
    );
  }

  async regencies(em: EntityManager): Promise<string[]> {
    const rows: { r: string }[] = await em.query(`SELECT DISTINCT regency_code AS r FROM subjects ORDER BY 1`);
    return rows.map((x) => x.r);
  }

  async save(em: EntityManager, subject: SubjectEntity): Promise<void> {
    await em.getRepository(SubjectEntity).save(subject);
  }
}
