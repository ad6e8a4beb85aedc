import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, In, Repository } from 'typeorm';
import { plainArray, type PlainValue, textArray } from '../../database/sql-arrays.js';
import type { TrendCode } from './kms/trends.js';
import { MeasurementEntity } from './measurement.entity.js';
import { preparedQuery } from '../../database/prepared.js';

const INSERT = `
  INSERT INTO measurements (id, regency_code, subject_id, measured_on, age_days, weight_kg, height_cm, method, muac_cm, head_cm,
                            oedema, length_height_cm, haz, waz, whz, flags, needs_remeasurement, source, case_id, created_by, created_at,
                            trend, warnings, kms_version)
  SELECT id, regency_code, subject_id, measured_on, age_days, weight_kg, height_cm, method, muac_cm, head_cm,
         oedema, length_height_cm, haz, waz, whz, CASE WHEN flags = '' THEN '{}'::text[] ELSE string_to_array(flags, ',') END,
         needs_remeasurement, source, case_id, created_by, created_at,
         trend, CASE WHEN warnings = '' THEN '{}'::text[] ELSE string_to_array(warnings, ',') END, kms_version
    FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::date[], $5::int[], $6::float8[], $7::float8[], $8::text[], $9::float8[],
                $10::float8[], $11::bool[], $12::float8[], $13::float8[], $14::float8[], $15::float8[], $16::text[], $17::bool[],
                $18::text[], $19::uuid[], $20::uuid[], $21::timestamptz[], $22::text[], $23::text[], $24::int[])
      AS r(id, regency_code, subject_id, measured_on, age_days, weight_kg, height_cm, method, muac_cm, head_cm, oedema,
           length_height_cm, haz, waz, whz, flags, needs_remeasurement, source, case_id, created_by, created_at, trend, warnings, kms_version)`;

const INSERT_MANY = `${INSERT} ON CONFLICT DO NOTHING RETURNING id`;

function columns(rows: MeasurementEntity[]): string[] {
  const plain = <K extends keyof MeasurementEntity>(k: K) => plainArray(rows.map((r) => r[k] as PlainValue));
  const text = <K extends keyof MeasurementEntity>(k: K) => textArray(rows.map((r) => r[k] as string | null));
  return [
    plain('id'), text('regencyCode'), plain('subjectId'), plain('measuredOn'), plain('ageDays'), plain('weightKg'), plain('heightCm'),
    text('method'), plain('muacCm'), plain('headCm'), plain('oedema'), plain('lengthHeightCm'), plain('haz'), plain('waz'), plain('whz'),
    textArray(rows.map((r) => r.flags.join(','))), plain('needsRemeasurement'), text('source'), plain('caseId'), plain('createdBy'),
    plain('createdAt'), plain('trend'), textArray(rows.map((r) => r.warnings.join(','))), plain('kmsVersion'),
  ];
}

/** A stored reading as the trend rules continue from it. */
export interface StoredWeighing {
  subjectId: string;
  id: string;
  day: string;
  ageDays: number;
  weightKg: number | null;
  heightCm: number | null;
  method: string | null;
  waz: number | null;
  needsRemeasurement: boolean;
  trend: TrendCode | null;
  warnings: string[];
  kmsVersion: number | null;
}

/** The only door to the measurements table. */
@Injectable()
export class MeasurementsRepository {
  constructor(@InjectRepository(MeasurementEntity) private readonly repo: Repository<MeasurementEntity>) {}

  /**
   * Inserts the readings not stored already, in one statement of column arrays (TypeORM's
   * multi-row builder costs more than the database does at import sizes); returns the ids inserted.
   */
  async insertMany(em: EntityManager, rows: MeasurementEntity[]): Promise<Set<string>> {
    if (!rows.length) return new Set();
    const inserted = await preparedQuery<{ id: string }>(em, 'measurements_insert_many', INSERT_MANY, columns(rows));
    return new Set(inserted.map((r) => r.id));
  }

  /**
   * Inserts readings that cannot be stored already (of children registered in this transaction,
   * repeats removed): without ON CONFLICT, whose speculative insertion costs about a quarter more.
   */
  async insertNew(em: EntityManager, rows: MeasurementEntity[]): Promise<void> {
    if (rows.length) await em.query(INSERT, columns(rows));
  }

  async linkCases(em: EntityManager, links: { id: string; caseId: string }[]): Promise<void> {
    if (!links.length) return;
    await em.query(
      `UPDATE measurements m SET case_id = l.case_id FROM unnest($1::uuid[], $2::uuid[]) AS l(id, case_id) WHERE m.id = l.id`,
      [links.map((l) => l.id), links.map((l) => l.caseId)],
    );
  }

  /** Plausible adjusted lengths/heights of these children from 60 days before `from`, for the drop check. */
  recentLengths(em: EntityManager, subjectIds: string[], from: string): Promise<{ subjectId: string; measuredOn: string; lengthHeightCm: number }[]> {
    if (!subjectIds.length) return Promise.resolve([]);
    // Served by ux_measurements_reading, which leads with subject_id.
    return preparedQuery(
      em,
      'measurements_recent_lengths',
      `SELECT subject_id AS "subjectId", measured_on::text AS "measuredOn", length_height_cm AS "lengthHeightCm" FROM measurements
        WHERE subject_id = ANY($1::uuid[]) AND measured_on >= $2::date - 60 AND length_height_cm IS NOT NULL AND NOT needs_remeasurement`,
      [subjectIds, from],
    );
  }

  /**
   * The stored readings of these children on or after each one's day, oldest first, and which of
   * them were weighed (a plausible weight) before that day: what a batch's trend codes continue from.
   */
  async weighingsFrom(em: EntityManager, from: { subjectId: string; day: string }[]): Promise<{ readings: StoredWeighing[]; weighedBefore: Set<string> }> {
    if (!from.length) return { readings: [], weighedBefore: new Set() };
    // Served by ux_measurements_reading, which leads with subject_id and measured_on.
    const rows = await preparedQuery<StoredWeighing & { before: boolean }>(
      em,
      'measurements_weighings_from',
      `WITH q AS (SELECT * FROM unnest($1::uuid[], $2::date[]) AS q(subject_id, from_day))
       SELECT m.subject_id AS "subjectId", m.id, m.measured_on::text AS day, m.age_days AS "ageDays", m.weight_kg AS "weightKg", m.waz,
              m.needs_remeasurement AS "needsRemeasurement", m.trend, m.height_cm AS "heightCm", m.method,
              m.warnings, m.kms_version AS "kmsVersion", false AS before
         FROM q JOIN measurements m ON m.subject_id = q.subject_id AND m.measured_on >= q.from_day
       UNION ALL
       SELECT q.subject_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, true FROM q
        WHERE EXISTS (SELECT 1 FROM measurements m WHERE m.subject_id = q.subject_id AND m.measured_on < q.from_day
                         AND m.weight_kg IS NOT NULL AND NOT m.needs_remeasurement)
       ORDER BY 1, 3, 2`,
      [plainArray(from.map((f) => f.subjectId)), plainArray(from.map((f) => f.day))],
    );
    const weighedBefore = new Set<string>();
    const readings: StoredWeighing[] = [];
    for (const { before, ...r } of rows) {
      if (before) weighedBefore.add(r.subjectId);
      else readings.push(r);
    }
    return { readings, weighedBefore };
  }

  /** New trend codes of stored readings (a late reading moved what comes after it), in one statement. */
  async setTrends(em: EntityManager, rows: { id: string; trend: string | null; warnings: string[]; kmsVersion: number | null }[]): Promise<void> {
    if (!rows.length) return;
    await em.query(
      `UPDATE measurements m SET trend = u.trend, warnings = CASE WHEN u.warnings = '' THEN '{}'::text[] ELSE string_to_array(u.warnings, ',') END,
              kms_version = u.kms_version
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[]) AS u(id, trend, warnings, kms_version) WHERE m.id = u.id`,
      [plainArray(rows.map((r) => r.id)), textArray(rows.map((r) => r.trend)), textArray(rows.map((r) => r.warnings.join(','))), plainArray(rows.map((r) => r.kmsVersion))],
    );
  }

  byIds(ids: string[]): Promise<MeasurementEntity[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.repo.find({ where: { id: In(ids) } });
  }

  /** Each child's latest reading day. */
  async latestDays(em: EntityManager, subjectIds: string[]): Promise<Map<string, string>> {
    if (!subjectIds.length) return new Map();
    // Served by ux_measurements_reading, which leads with subject_id.
    const rows: { subjectId: string; day: string }[] = await em.query(
      `SELECT subject_id AS "subjectId", max(measured_on)::text AS day FROM measurements WHERE subject_id = ANY($1::uuid[]) GROUP BY subject_id`,
      [subjectIds],
    );
    return new Map(rows.map((r) => [r.subjectId, r.day]));
  }

  /**
   * A child's growth read: every reading, oldest first. A reading is on or after the birth day, so
   * `measured_on >= bornOn` changes nothing but lets PostgreSQL skip the months before the child
   * was born (measurements is partitioned by month of measured_on).
   */
  growthSeries(subjectId: string, bornOn: string): Promise<MeasurementEntity[]> {
    return this.growthSeriesQuery(subjectId, bornOn).getMany();
  }

  /** The statement growthSeries sends, with its parameters (for EXPLAIN). */
  growthSeriesStatement(subjectId: string, bornOn: string): [string, unknown[]] {
    return this.growthSeriesQuery(subjectId, bornOn).getQueryAndParameters();
  }

  private growthSeriesQuery(subjectId: string, bornOn: string) {
    return this.repo
      .createQueryBuilder('m')
      .where('m.subjectId = :subjectId', { subjectId })
      .andWhere('m.measuredOn >= :bornOn', { bornOn })
      .orderBy('m.measuredOn', 'ASC')
      .addOrderBy('m.createdAt', 'ASC');
  }

  series(subjectId: string, em: EntityManager = this.repo.manager): Promise<MeasurementEntity[]> {
    return em.getRepository(MeasurementEntity).find({ where: { subjectId }, order: { measuredOn: 'ASC', createdAt: 'ASC' } });
  }

  /** Plausible height-for-age z-scores, oldest first. */
  async plausibleHaz(em: EntityManager, subjectId: string): Promise<{ measuredOn: string; haz: number }[]> {
    return em.query(
      `SELECT measured_on::text AS "measuredOn", haz FROM measurements
        WHERE subject_id = $1 AND haz IS NOT NULL AND NOT needs_remeasurement ORDER BY measured_on, created_at`,
      [subjectId],
    );
  }
}
