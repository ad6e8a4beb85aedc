import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Which villages a report reads: one village, a kecamatan's, a TPK member's list, or the whole regency. */
export interface VillageFilter {
  regencyCode: string;
  villageCode: string | null;
  kecamatanCode: string | null;
  villageCodes: readonly string[] | null;
}

export interface FlaggedRow {
  subjectId: string;
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
  villageCode: string;
  kind: string;
  raisedOn: string;
  raisedBy: string;
}

export interface LostRow {
  subjectId: string;
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
  villageCode: string;
  lastReadingOn: string;
}

export interface SkdnRow {
  villageCode: string;
  s: number;
  k: number;
  d: number;
  n: number;
  t: number;
  twoT: number;
  o: number;
  b: number;
  bgm: number;
  lost: number;
}

const CHILD = `s.target_group IN ('BALITA', 'BADUTA') AND s.restricted_at IS NULL AND s.anonymised_at IS NULL`;
// The villages asked for: $2 one village, $3 a kecamatan, $4 a TPK member's villages (each null for no filter).
const VILLAGES = `s.regency_code = $1 AND ($2::text IS NULL OR s.village_code = $2) AND ($3::text IS NULL OR left(s.village_code, 6) = $3)
  AND ($4::text[] IS NULL OR s.village_code = ANY($4::text[]))`;
// Moved away: the child's case was closed for it (there is no other record of a move).
const NOT_MOVED = `NOT EXISTS (SELECT 1 FROM cases c WHERE c.subject_id = s.id AND c.state = 'closed' AND c.snapshot->'context'->>'closeReason' = 'moved_away')`;
// Lost on $5: under five that day, weighed or measured before, nothing for $6 days.
const LOST = `SELECT s.id AS "subjectId", s.name, s.sex, s.birth_date::text AS "birthDate", s.village_code AS "villageCode", last.day::text AS "lastReadingOn"
    FROM subjects s
    JOIN LATERAL (SELECT max(m.measured_on) AS day FROM measurements m WHERE m.subject_id = s.id AND m.measured_on <= $5::date) last ON true
   WHERE ${CHILD} AND ${VILLAGES} AND s.birth_date > ($5::date - interval '60 months')::date
     AND last.day IS NOT NULL AND last.day <= $5::date - $6::int AND ${NOT_MOVED}`;

/**
 * The early-warning read model: flags, lost children and SKDN counts of a regency's villages on a
 * day. A report reads across the growth, subjects and cases tables (they are read, never written,
 * here), as the reports of architecture.md do.
 */
@Injectable()
export class WatchRepository {
  constructor(private readonly ds: DataSource) {}

  private params(f: VillageFilter, ...more: unknown[]): unknown[] {
    return [f.regencyCode, f.villageCode, f.kecamatanCode, f.villageCodes ? [...f.villageCodes] : null, ...more];
  }

  /** Flags open at the end of `asOf`, newest first. */
  flagged(f: VillageFilter, asOf: string): Promise<FlaggedRow[]> {
    return this.ds.query(
      `SELECT s.id AS "subjectId", s.name, s.sex, s.birth_date::text AS "birthDate", s.village_code AS "villageCode",
              g.kind, g.raised_on::text AS "raisedOn", g.raised_by AS "raisedBy"
         FROM growth_flags g JOIN subjects s ON s.id = g.subject_id
        WHERE g.regency_code = $1 AND ${CHILD} AND ${VILLAGES} AND g.raised_on <= $5::date AND (g.cleared_on IS NULL OR g.cleared_on > $5::date)
          AND s.birth_date > ($5::date - interval '60 months')::date
        ORDER BY g.raised_on DESC, s.id, g.kind`,
      this.params(f, asOf),
    );
  }

  /** Children lost on `asOf` (computed at query time against that day). */
  lost(f: VillageFilter, asOf: string, lostAfterDays: number): Promise<LostRow[]> {
    return this.ds.query(`${LOST} ORDER BY last.day, s.id`, this.params(f, asOf, lostAfterDays));
  }

  /**
   * SKDN of a month per village: S children under five living there at the month's end, K those
   * with a KMS (a reading on or before it), D weighed in the month (a counted weighing: the
   * month's first plausible one), N/T/2T/O/B their codes, BGM below the red line, lost on the last day.
   */
  async skdn(f: VillageFilter, monthStart: string, monthEnd: string, lostAfterDays: number): Promise<SkdnRow[]> {
    const rows: Record<string, string | number>[] = await this.ds.query(
      `WITH kids AS (
         SELECT s.id, s.village_code FROM subjects s
          WHERE ${CHILD} AND ${VILLAGES} AND s.birth_date <= $6::date AND s.birth_date > ($6::date - interval '60 months')::date
       ), month AS (
         SELECT m.subject_id, m.trend, m.warnings FROM measurements m JOIN kids k ON k.id = m.subject_id
          WHERE m.regency_code = $1 AND m.measured_on BETWEEN $5::date AND $6::date AND m.trend IS NOT NULL
       ), kms AS (
         SELECT DISTINCT m.subject_id FROM measurements m JOIN kids k ON k.id = m.subject_id WHERE m.regency_code = $1 AND m.measured_on <= $6::date
       ), lost AS (${LOST.replaceAll('$5::date', '$6::date').replace('$6::int', '$7::int')})
       SELECT k.village_code AS "villageCode", count(*)::int AS s, count(kms.subject_id)::int AS k, count(month.subject_id)::int AS d,
              count(*) FILTER (WHERE month.trend = 'N')::int AS n, count(*) FILTER (WHERE month.trend IN ('T', '2T'))::int AS t,
              count(*) FILTER (WHERE month.trend = '2T')::int AS "twoT", count(*) FILTER (WHERE month.trend = 'O')::int AS o,
              count(*) FILTER (WHERE month.trend = 'B')::int AS b, count(*) FILTER (WHERE 'BGM' = ANY(month.warnings))::int AS bgm,
              count(lost."subjectId")::int AS lost
         FROM kids k LEFT JOIN month ON month.subject_id = k.id LEFT JOIN kms ON kms.subject_id = k.id LEFT JOIN lost ON lost."subjectId" = k.id
        GROUP BY k.village_code ORDER BY k.village_code`,
      this.params(f, monthStart, monthEnd, lostAfterDays),
    );
    return rows as unknown as SkdnRow[];
  }
}
