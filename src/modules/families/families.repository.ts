import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { KrsFactors, KrsTarget, KrsTransition } from './krs.js';
import type { Relation } from './dto/family.dto.js';

export interface FamilyRow {
  id: string;
  regencyCode: string;
  villageCode: string;
  rt: string | null;
  rw: string | null;
  kkEnc: Buffer;
  kkHash: Buffer;
  headName: string;
  wifeName: string | null;
  welfarePriority: number;
  source: 'PK' | 'VERVAL' | 'MANUAL';
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface MemberRow {
  id: string;
  familyId: string;
  regencyCode: string;
  subjectId: string | null;
  relation: Relation;
  name: string;
  sex: 'M' | 'F' | null;
  birthDate: string | null;
  gestWeeks: number | null;
  gestRecordedOn: string | null;
  deliveredOn: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface AssessmentRow {
  id: string;
  regencyCode: string;
  familyId: string;
  villageCode: string;
  year: number;
  round: number;
  referenceDate: string;
  source: 'PK' | 'VERVAL' | 'ENGINE';
  policyVersion: number;
  target: KrsTarget;
  factors: KrsFactors;
  importedFlag: boolean | null;
  isKrs: boolean;
  transition: KrsTransition;
  importId: string | null;
  createdBy: string;
  createdAt: Date;
}

const FAMILY_COLUMNS = `id, regency_code AS "regencyCode", village_code AS "villageCode", rt, rw, kk_enc AS "kkEnc", kk_hash AS "kkHash",
  head_name AS "headName", wife_name AS "wifeName", welfare_priority AS "welfarePriority", source, created_by AS "createdBy",
  created_at AS "createdAt", updated_at AS "updatedAt", version`;
const MEMBER_COLUMNS = `id, family_id AS "familyId", regency_code AS "regencyCode", subject_id AS "subjectId", relation, name, sex,
  birth_date::text AS "birthDate", gest_weeks AS "gestWeeks", gest_recorded_on::text AS "gestRecordedOn", delivered_on::text AS "deliveredOn",
  created_at AS "createdAt", updated_at AS "updatedAt"`;
const ASSESSMENT_COLUMNS = `id, regency_code AS "regencyCode", family_id AS "familyId", village_code AS "villageCode", year, round,
  reference_date::text AS "referenceDate", source, policy_version AS "policyVersion",
  json_build_object('pus', pus, 'pusHamil', pus_hamil, 'baduta', baduta, 'balita', balita) AS target,
  json_build_object('airTidakLayak', air_tidak_layak, 'jambanTidakLayak', jamban_tidak_layak, 'terlaluMuda', terlalu_muda, 'terlaluTua', terlalu_tua,
    'terlaluDekat', terlalu_dekat, 'terlaluBanyak', terlalu_banyak, 'nonKbModern', non_kb_modern) AS factors,
  imported_flag AS "importedFlag", is_krs AS "isKrs", transition, import_id AS "importId", created_by AS "createdBy", created_at AS "createdAt"`;

/** Scope of a read: a regency (null: all) and, for a TPK member, their villages (null: all). */
export interface FamilyScope {
  regencyCode: string | null;
  villageCodes: readonly string[] | null;
}

/** The only door to families, family_members, krs_assessments and the KRS rule versions. */
@Injectable()
export class FamiliesRepository {
  constructor(private readonly ds: DataSource) {}

  async insert(em: EntityManager, f: FamilyRow): Promise<void> {
    await em.query(
      `INSERT INTO families (id, regency_code, village_code, rt, rw, kk_enc, kk_hash, head_name, wife_name, welfare_priority, source, created_by,
                             created_at, updated_at, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [f.id, f.regencyCode, f.villageCode, f.rt, f.rw, f.kkEnc, f.kkHash, f.headName, f.wifeName, f.welfarePriority, f.source, f.createdBy, f.createdAt,
        f.updatedAt, f.version],
    );
  }

  async update(em: EntityManager, f: FamilyRow): Promise<void> {
    await em.query(
      `UPDATE families SET regency_code = $2, village_code = $3, rt = $4, rw = $5, head_name = $6, wife_name = $7, welfare_priority = $8,
              updated_at = $9, version = $10
        WHERE id = $1`,
      [f.id, f.regencyCode, f.villageCode, f.rt, f.rw, f.headName, f.wifeName, f.welfarePriority, f.updatedAt, f.version],
    );
  }

  async find(em: EntityManager | undefined, id: string, scope: FamilyScope, lock = false): Promise<FamilyRow | null> {
    const rows: FamilyRow[] = await (em ?? this.ds.manager).query(
      `SELECT ${FAMILY_COLUMNS} FROM families
        WHERE id = $1 AND ($2::text IS NULL OR regency_code = $2) AND ($3::text[] IS NULL OR village_code = ANY($3))
        ${lock ? 'FOR UPDATE' : ''}`,
      [id, scope.regencyCode, scope.villageCodes],
    );
    return rows[0] ?? null;
  }

  idByHash(em: EntityManager, regencyCode: string, kkHash: Buffer): Promise<string | null> {
    return em
      .query(`SELECT id FROM families WHERE regency_code = $1 AND kk_hash = $2`, [regencyCode, kkHash])
      .then((r: { id: string }[]) => r[0]?.id ?? null);
  }

  /** Keyset page by (village, id), limit+1 rows; `krs` filters on each family's latest assessment. */
  list(f: FamilyScope & { villageCode?: string; krs?: boolean; after?: [string, string]; limit: number }): Promise<FamilyRow[]> {
    return this.ds.query(
      `SELECT ${FAMILY_COLUMNS} FROM families f
        WHERE ($1::text IS NULL OR regency_code = $1) AND ($2::text[] IS NULL OR village_code = ANY($2)) AND ($3::text IS NULL OR village_code = $3)
          AND ($4::text IS NULL OR (village_code, id) > ($4, $5::uuid))
          AND ($6::boolean IS NULL OR $6 = coalesce((SELECT a.is_krs FROM krs_assessments a WHERE a.family_id = f.id ORDER BY a.year DESC, a.round DESC LIMIT 1), false))
        ORDER BY village_code, id LIMIT $7`,
      [f.regencyCode, f.villageCodes, f.villageCode ?? null, f.after?.[0] ?? null, f.after?.[1] ?? null, f.krs ?? null, f.limit + 1],
    );
  }

  members(em: EntityManager | undefined, familyIds: string[]): Promise<MemberRow[]> {
    if (!familyIds.length) return Promise.resolve([]);
    return (em ?? this.ds.manager).query(`SELECT ${MEMBER_COLUMNS} FROM family_members WHERE family_id = ANY($1::uuid[]) ORDER BY family_id, created_at, id`, [
      familyIds,
    ]);
  }

  /** The member rows of these subjects, with their family's village. */
  membersOfSubjects(em: EntityManager, subjectIds: string[]): Promise<(MemberRow & { villageCode: string })[]> {
    if (!subjectIds.length) return Promise.resolve([]);
    return em.query(
      `SELECT m.*, f.village_code AS "villageCode"
         FROM (SELECT ${MEMBER_COLUMNS} FROM family_members WHERE subject_id = ANY($1::uuid[])) m JOIN families f ON f.id = m."familyId"`,
      [subjectIds],
    );
  }

  /** Replaces a family's members; a subject already in another family trips ux_family_members_subject. */
  async replaceMembers(em: EntityManager, familyId: string, members: MemberRow[]): Promise<void> {
    await em.query(`DELETE FROM family_members WHERE family_id = $1`, [familyId]);
    if (!members.length) return;
    await em.query(
      `INSERT INTO family_members (id, family_id, regency_code, subject_id, relation, name, sex, birth_date, gest_weeks, gest_recorded_on, delivered_on,
                                   created_at, updated_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::char[], $8::date[], $9::smallint[], $10::date[],
                            $11::date[], $12::timestamptz[], $13::timestamptz[])`,
      [
        members.map((m) => m.id),
        members.map((m) => m.familyId),
        members.map((m) => m.regencyCode),
        members.map((m) => m.subjectId),
        members.map((m) => m.relation),
        members.map((m) => m.name),
        members.map((m) => m.sex),
        members.map((m) => m.birthDate),
        members.map((m) => m.gestWeeks),
        members.map((m) => m.gestRecordedOn),
        members.map((m) => m.deliveredOn),
        members.map((m) => m.createdAt),
        members.map((m) => m.updatedAt),
      ],
    );
  }

  /** The family a subject belongs to, if another than `exceptFamilyId`. */
  async familyOfSubjects(em: EntityManager, subjectIds: string[], exceptFamilyId: string): Promise<string[]> {
    if (!subjectIds.length) return [];
    const rows: { subject_id: string }[] = await em.query(
      `SELECT subject_id FROM family_members WHERE subject_id = ANY($1::uuid[]) AND family_id <> $2`,
      [subjectIds, exceptFamilyId],
    );
    return rows.map((r) => r.subject_id);
  }

  assessments(em: EntityManager | undefined, familyIds: string[]): Promise<AssessmentRow[]> {
    if (!familyIds.length) return Promise.resolve([]);
    return (em ?? this.ds.manager).query(
      `SELECT ${ASSESSMENT_COLUMNS} FROM krs_assessments WHERE family_id = ANY($1::uuid[]) ORDER BY family_id, year DESC, round DESC`,
      [familyIds],
    );
  }

  /** Each family's latest assessment before the period (year, round): what a transition is computed against. */
  async previousKrs(em: EntityManager, familyIds: string[], year: number, round: number): Promise<Map<string, boolean>> {
    if (!familyIds.length) return new Map();
    const rows: { family_id: string; is_krs: boolean }[] = await em.query(
      `SELECT DISTINCT ON (family_id) family_id, is_krs FROM krs_assessments
        WHERE family_id = ANY($1::uuid[]) AND (year, round) < ($2::smallint, $3::smallint)
        ORDER BY family_id, year DESC, round DESC`,
      [familyIds, year, round],
    );
    return new Map(rows.map((r) => [r.family_id, r.is_krs]));
  }

  /** previousKrs for many (family, period) pairs at once, keyed `family|year|round`. */
  async previousKrsMany(em: EntityManager, regencyCode: string, items: { familyId: string; year: number; round: number }[]): Promise<Map<string, boolean>> {
    if (!items.length) return new Map();
    const rows: { k: string; is_krs: boolean }[] = await em.query(
      `SELECT x.f || '|' || x.y || '|' || x.r AS k, p.is_krs
         FROM unnest($1::uuid[], $2::smallint[], $3::smallint[]) AS x(f, y, r)
         CROSS JOIN LATERAL (SELECT is_krs FROM krs_assessments a WHERE a.regency_code = $4 AND a.family_id = x.f AND (a.year, a.round) < (x.y, x.r)
                              ORDER BY a.year DESC, a.round DESC LIMIT 1) p`,
      [items.map((i) => i.familyId), items.map((i) => i.year), items.map((i) => i.round), regencyCode],
    );
    return new Map(rows.map((r) => [r.k, r.is_krs]));
  }

  /**
   * Inserts assessments; one already stored for its family and period is left as it is (an
   * import run twice adds nothing). Returns the `family|year|round` keys this call inserted.
   */
  async insertAssessments(em: EntityManager, rows: AssessmentRow[]): Promise<Set<string>> {
    if (!rows.length) return new Set();
    const col = <K extends keyof AssessmentRow>(k: K) => rows.map((r) => r[k]);
    const t = <K extends keyof KrsTarget>(k: K) => rows.map((r) => r.target[k]);
    const f = <K extends keyof KrsFactors>(k: K) => rows.map((r) => r.factors[k]);
    const inserted: { family_id: string; year: number; round: number }[] = await em.query(
      `INSERT INTO krs_assessments (id, regency_code, family_id, village_code, year, round, reference_date, source, policy_version, pus, pus_hamil, baduta,
                                    balita, air_tidak_layak, jamban_tidak_layak, terlalu_muda, terlalu_tua, terlalu_dekat, terlalu_banyak, non_kb_modern,
                                    imported_flag, is_krs, transition, import_id, created_by, created_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::smallint[], $6::smallint[], $7::date[], $8::text[], $9::int[],
                            $10::bool[], $11::bool[], $12::bool[], $13::bool[], $14::bool[], $15::bool[], $16::bool[], $17::bool[], $18::bool[],
                            $19::bool[], $20::bool[], $21::bool[], $22::bool[], $23::text[], $24::uuid[], $25::uuid[], $26::timestamptz[])
       ON CONFLICT ON CONSTRAINT ux_krs_family_period DO NOTHING
       RETURNING family_id, year, round`,
      [
        col('id'), col('regencyCode'), col('familyId'), col('villageCode'), col('year'), col('round'), col('referenceDate'), col('source'),
        col('policyVersion'), t('pus'), t('pusHamil'), t('baduta'), t('balita'), f('airTidakLayak'), f('jambanTidakLayak'), f('terlaluMuda'),
        f('terlaluTua'), f('terlaluDekat'), f('terlaluBanyak'), f('nonKbModern'), col('importedFlag'), col('isKrs'), col('transition'),
        col('importId'), col('createdBy'), col('createdAt'),
      ],
    );
    return new Set(inserted.map((r) => `${r.family_id}|${r.year}|${r.round}`));
  }

  /**
   * Families of an import batch by card hash: the new ones inserted (a card already stored,
   * even by a concurrent import, is kept as it is), and the id of every card returned.
   */
  async upsertByHash(em: EntityManager, rows: FamilyRow[]): Promise<Map<string, string>> {
    if (!rows.length) return new Map();
    const col = <K extends keyof FamilyRow>(k: K) => rows.map((r) => r[k]);
    await em.query(
      `INSERT INTO families (id, regency_code, village_code, rt, rw, kk_enc, kk_hash, head_name, wife_name, welfare_priority, source, created_by,
                             created_at, updated_at, version)
       SELECT *, 1 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bytea[], $7::bytea[], $8::text[], $9::text[],
                               $10::smallint[], $11::text[], $12::uuid[], $13::timestamptz[], $14::timestamptz[])
       ON CONFLICT ON CONSTRAINT ux_families_regency_kk DO NOTHING`,
      [col('id'), col('regencyCode'), col('villageCode'), col('rt'), col('rw'), col('kkEnc'), col('kkHash'), col('headName'), col('wifeName'),
        col('welfarePriority'), col('source'), col('createdBy'), col('createdAt'), col('updatedAt')],
    );
    const found: { id: string; kk_hash: Buffer }[] = await em.query(
      `SELECT id, kk_hash FROM families WHERE regency_code = $1 AND kk_hash = ANY($2::bytea[])`,
      [rows[0].regencyCode, col('kkHash')],
    );
    return new Map(found.map((r) => [r.kk_hash.toString('hex'), r.id]));
  }

  /** The regency's rule versions of a kind, newest first. */
  rules(em: EntityManager | undefined, regencyCode: string, kind: 'krs' | 'screening'): Promise<{ version: number; body: Record<string, unknown>; createdAt: Date }[]> {
    return (em ?? this.ds.manager).query(
      `SELECT version, body, created_at AS "createdAt" FROM prevention_rules WHERE regency_code = $1 AND kind = $2 ORDER BY version DESC`,
      [regencyCode, kind],
    );
  }

  /** Adds the next version; two concurrent additions cannot both take it (primary key). */
  async addRule(em: EntityManager, regencyCode: string, kind: 'krs' | 'screening', version: number, body: object, by: string, at: Date): Promise<void> {
    await em.query(`INSERT INTO prevention_rules (regency_code, kind, version, body, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
      regencyCode,
      kind,
      version,
      JSON.stringify(body),
      by,
      at,
    ]);
  }

  /** KRS families of a village (or regency) in their latest assessed period up to a year: the report's denominator. */
  krsFamilies(em: EntityManager, regencyCode: string, villageCode: string | null, upToYear: number): Promise<{ familyId: string }[]> {
    return em.query(
      `SELECT family_id AS "familyId" FROM (
         SELECT DISTINCT ON (family_id) family_id, is_krs FROM krs_assessments
          WHERE regency_code = $1 AND ($2::text IS NULL OR village_code = $2) AND year <= $3
          ORDER BY family_id, year DESC, round DESC) latest
        WHERE is_krs`,
      [regencyCode, villageCode, upToYear],
    );
  }
}
