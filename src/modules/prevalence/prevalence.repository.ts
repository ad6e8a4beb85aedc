import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Counts, CountRow, PrevalenceRules, Reading } from './prevalence.js';

/** The region codes starting with `prefix` (codes are digits, stored COLLATE "C"; '~' sorts after every digit). */
const IN_PREFIX = (col: string, p: string) => `${col} >= ${p} AND ${col} < ${p} || '~'`;

const COUNTS = `measured, stunted, severe, implausible`;

export interface SnapshotRow extends CountRow {
  frozenAt: string;
  latestRevision: number;
  latest: Counts;
}

export interface TargetRow {
  regionCode: string;
  year: number;
  value: number;
  basis: 'perpres' | 'rpjmn' | 'rpjmd' | 'rkpd';
  setAt: string;
}

export interface TargetPopulationRow {
  regionCode: string;
  year: number;
  children0to59: number;
  setAt: string;
}

export interface SurveyFigureRow {
  id: string;
  source: 'SSGI' | 'SKI' | 'RISKESDAS';
  year: number;
  regionCode: string;
  value: number;
  ci: { low: number; high: number } | null;
  note: string | null;
  createdAt: string;
}

const num = (v: unknown) => Number(v);

/** The only door to the prevalence tables (child-months and counts are written by the trigger on measurements). */
@Injectable()
export class PrevalenceRepository {
  constructor(private readonly ds: DataSource) {}

  async rules(): Promise<PrevalenceRules> {
    const [r] = await this.ds.query(
      `SELECT rule_version AS "ruleVersion", max_age_days AS "maxAgeDays", max_abs_haz AS "maxAbsHaz", stunted_below AS "stuntedBelow",
              severe_below AS "severeBelow", min_measured AS "minMeasured", freeze_after_days AS "freezeAfterDays", snapshot_months AS "snapshotMonths"
         FROM prevalence_rules`,
    );
    return r as PrevalenceRules;
  }

  /** Live counts of the villages (digits 10) or regencies (4) under `prefix`, per month. */
  async counts(digits: 4 | 10, prefix: string, from: string, to: string): Promise<CountRow[]> {
    const rows: CountRow[] = await this.ds.query(
      `SELECT region_code AS "regionCode", period, ${COUNTS} FROM prevalence_counts
        WHERE digits = $1 AND ${IN_PREFIX('region_code', '$2')} AND period BETWEEN $3 AND $4`,
      [digits, prefix, from, to],
    );
    return rows;
  }

  /** The months among these that are frozen already. */
  async frozen(periods: string[]): Promise<Set<string>> {
    if (!periods.length) return new Set();
    const rows: { period: string }[] = await this.ds.query(`SELECT period FROM prevalence_freezes WHERE period = ANY($1::text[])`, [periods]);
    return new Set(rows.map((r) => r.period));
  }

  /** Revision 0 and the latest revision of each region's snapshot of these months. */
  async snapshots(digits: 4 | 10, prefix: string, periods: string[]): Promise<SnapshotRow[]> {
    if (!periods.length) return [];
    const rows: (CountRow & { frozenAt: Date; latestRevision: number; lm: number; ls: number; lv: number; li: number })[] = await this.ds.query(
      `SELECT s.region_code AS "regionCode", s.period, s.frozen_at AS "frozenAt", s.measured, s.stunted, s.severe, s.implausible,
              l.revision AS "latestRevision", l.measured AS lm, l.stunted AS ls, l.severe AS lv, l.implausible AS li
         FROM prevalence_snapshots s
         CROSS JOIN LATERAL (SELECT revision, ${COUNTS} FROM prevalence_snapshots l
                              WHERE l.digits = s.digits AND l.region_code = s.region_code AND l.period = s.period
                              ORDER BY revision DESC LIMIT 1) l
        WHERE s.digits = $1 AND ${IN_PREFIX('s.region_code', '$2')} AND s.period = ANY($3::text[]) AND s.revision = 0`,
      [digits, prefix, periods],
    );
    return rows.map(({ lm, ls, lv, li, frozenAt, ...r }) => ({
      ...r,
      frozenAt: new Date(frozenAt).toISOString(),
      latest: { measured: lm, stunted: ls, severe: lv, implausible: li },
    }));
  }

  /**
   * Claims the freeze of a month (false when another instance or an earlier call has it) and
   * writes revision 0 of every village and regency from `asOf`, in the caller's transaction.
   */
  async claimFreeze(em: EntityManager, period: string, frozenAt: Date, now: Date, ruleVersion: number): Promise<boolean> {
    const claimed: unknown[] = await em.query(
      `INSERT INTO prevalence_freezes (period, frozen_at, computed_at, rule_version) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING period`,
      [period, frozenAt, now, ruleVersion],
    );
    return claimed.length > 0;
  }

  /** Counts per village of the child-months whose counted reading was written by `frozenAt` (unchanged since then). */
  async countsWrittenBy(em: EntityManager, period: string, frozenAt: Date): Promise<CountRow[]> {
    return em.query(
      `SELECT village_code AS "regionCode", period, count(*) FILTER (WHERE band >= 0)::int AS measured, count(*) FILTER (WHERE band >= 1)::int AS stunted,
              count(*) FILTER (WHERE band = 2)::int AS severe, count(*) FILTER (WHERE band = -1)::int AS implausible
         FROM prevalence_child_months WHERE period = $1 AND recorded_at <= $2 GROUP BY village_code, period`,
      [period, frozenAt],
    );
  }

  /**
   * The readings, written by `frozenAt`, of the children whose counted reading of the month was
   * written after it: what they counted as at the freeze. Their village is the child-month's.
   */
  async lateChildrenReadings(em: EntityManager, period: string, frozenAt: Date): Promise<Reading[]> {
    const rows: (Omit<Reading, 'recordedAt'> & { recordedAt: Date })[] = await em.query(
      `SELECT m.id, m.subject_id AS "subjectId", c.village_code AS "villageCode", s.target_group IN ('BALITA', 'BADUTA') AS child,
              m.measured_on::text AS "measuredOn", m.created_at AS "recordedAt", m.age_days AS "ageDays", m.length_height_cm AS "lengthHeightCm",
              m.haz, m.method, m.flags
         FROM prevalence_child_months c
         JOIN subjects s ON s.id = c.subject_id
         JOIN measurements m ON m.subject_id = c.subject_id AND m.measured_on >= ($1 || '-01')::date
                            AND m.measured_on < ($1 || '-01')::date + interval '1 month' AND m.created_at <= $2
        WHERE c.period = $1 AND c.recorded_at > $2`,
      [period, frozenAt],
    );
    return rows.map((r) => ({ ...r, recordedAt: new Date(r.recordedAt).toISOString() }));
  }

  async insertFrozen(em: EntityManager, period: string, rows: { digits: 4 | 10; regionCode: string; counts: Counts }[], frozenAt: Date, now: Date, ruleVersion: number): Promise<void> {
    if (!rows.length) return;
    await em.query(
      `INSERT INTO prevalence_snapshots (id, digits, region_code, period, revision, revision_of, ${COUNTS}, frozen_at, computed_at, rule_version)
       SELECT gen_random_uuid(), d, r, $3, 0, NULL, m, s, v, i, $4, $5, $6
         FROM unnest($1::int[], $2::text[], $7::int[], $8::int[], $9::int[], $10::int[]) AS x(d, r, m, s, v, i)
       ON CONFLICT DO NOTHING`,
      [
        rows.map((r) => r.digits), rows.map((r) => r.regionCode), period, frozenAt, now, ruleVersion,
        rows.map((r) => r.counts.measured), rows.map((r) => r.counts.stunted), rows.map((r) => r.counts.severe), rows.map((r) => r.counts.implausible),
      ],
    );
  }

  /**
   * A revision for every region under `prefix` whose live counts of a frozen month differ from its
   * latest snapshot; a region with data only after the freeze first gets a zero revision 0 (as of
   * the freeze it had none). Idempotent: a concurrent twin hits the unique key and adds nothing.
   */
  async revise(digits: 4 | 10, prefix: string, period: string, now: Date, ruleVersion: number): Promise<number> {
    return this.ds.transaction(async (em) => {
      await em.query(
        `INSERT INTO prevalence_snapshots (id, digits, region_code, period, revision, revision_of, ${COUNTS}, frozen_at, computed_at, rule_version)
         SELECT gen_random_uuid(), c.digits, c.region_code, c.period, 0, NULL, 0, 0, 0, 0, f.frozen_at, $4, $5
           FROM prevalence_counts c JOIN prevalence_freezes f ON f.period = c.period
          WHERE c.digits = $1 AND ${IN_PREFIX('c.region_code', '$2')} AND c.period = $3
            AND NOT EXISTS (SELECT 1 FROM prevalence_snapshots s WHERE s.digits = c.digits AND s.region_code = c.region_code AND s.period = c.period)
         ON CONFLICT DO NOTHING`,
        [digits, prefix, period, now, ruleVersion],
      );
      const added: unknown[] = await em.query(
        `WITH latest AS (
           SELECT DISTINCT ON (region_code) region_code, revision, coalesce(revision_of, id) AS root, frozen_at, ${COUNTS}
             FROM prevalence_snapshots WHERE digits = $1 AND ${IN_PREFIX('region_code', '$2')} AND period = $3
            ORDER BY region_code, revision DESC)
         INSERT INTO prevalence_snapshots (id, digits, region_code, period, revision, revision_of, ${COUNTS}, frozen_at, computed_at, rule_version)
         SELECT gen_random_uuid(), $1, c.region_code, $3, l.revision + 1, l.root, c.measured, c.stunted, c.severe, c.implausible, l.frozen_at, $4, $5
           FROM prevalence_counts c JOIN latest l ON l.region_code = c.region_code
          WHERE c.digits = $1 AND ${IN_PREFIX('c.region_code', '$2')} AND c.period = $3
            AND (c.measured, c.stunted, c.severe, c.implausible) IS DISTINCT FROM (l.measured, l.stunted, l.severe, l.implausible)
         ON CONFLICT DO NOTHING RETURNING id`,
        [digits, prefix, period, now, ruleVersion],
      );
      return added.length;
    });
  }

  /** Months with any count, for the scheduled freeze. */
  async periodsWithData(): Promise<string[]> {
    const rows: { period: string }[] = await this.ds.query(`SELECT DISTINCT period FROM prevalence_counts WHERE digits = 4 ORDER BY period`);
    return rows.map((r) => r.period);
  }

  async targetPopulations(codes: string[], years: number[]): Promise<TargetPopulationRow[]> {
    if (!codes.length || !years.length) return [];
    return this.ds.query(
      `SELECT region_code AS "regionCode", year, children_0_to_59 AS "children0to59", set_at AS "setAt"
         FROM target_populations WHERE region_code = ANY($1::text[]) AND year = ANY($2::int[]) ORDER BY region_code, year`,
      [codes, years],
    );
  }

  async putTargetPopulation(regionCode: string, year: number, children: number, by: string, now: Date): Promise<TargetPopulationRow> {
    const [row] = await this.ds.query(
      `INSERT INTO target_populations (region_code, year, children_0_to_59, set_by, set_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (region_code, year) DO UPDATE SET children_0_to_59 = excluded.children_0_to_59, set_by = excluded.set_by, set_at = excluded.set_at
       RETURNING region_code AS "regionCode", year, children_0_to_59 AS "children0to59", set_at AS "setAt"`,
      [regionCode, year, children, by, now],
    );
    return row;
  }

  async targets(codes: string[], years?: number[]): Promise<TargetRow[]> {
    if (!codes.length) return [];
    const rows: TargetRow[] = await this.ds.query(
      `SELECT region_code AS "regionCode", year, value, basis, set_at AS "setAt" FROM prevalence_targets
        WHERE region_code = ANY($1::text[]) AND ($2::int[] IS NULL OR year = ANY($2::int[])) ORDER BY region_code, year`,
      [codes, years ?? null],
    );
    return rows.map((r) => ({ ...r, value: num(r.value) }));
  }

  async putTarget(regionCode: string, year: number, value: number, basis: string, by: string, now: Date): Promise<TargetRow> {
    const [row] = await this.ds.query(
      `INSERT INTO prevalence_targets (region_code, year, value, basis, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (region_code, year) DO UPDATE SET value = excluded.value, basis = excluded.basis, set_by = excluded.set_by, set_at = excluded.set_at
       RETURNING region_code AS "regionCode", year, value, basis, set_at AS "setAt"`,
      [regionCode, year, value, basis, by, now],
    );
    return { ...row, value: num(row.value) };
  }

  async surveyFigures(filter: { codes?: string[]; prefix?: string; year?: number; source?: string }): Promise<SurveyFigureRow[]> {
    const rows: (Omit<SurveyFigureRow, 'ci'> & { ciLow: string | null; ciHigh: string | null })[] = await this.ds.query(
      `SELECT id, source, year, region_code AS "regionCode", value, ci_low AS "ciLow", ci_high AS "ciHigh", note, created_at AS "createdAt"
         FROM survey_figures
        WHERE ($1::text[] IS NULL OR region_code = ANY($1::text[])) AND ($2::text IS NULL OR ${IN_PREFIX('region_code', '$2')})
          AND ($3::int IS NULL OR year = $3) AND ($4::text IS NULL OR source = $4)
        ORDER BY region_code, year, source`,
      [filter.codes ?? null, filter.prefix ?? null, filter.year ?? null, filter.source ?? null],
    );
    return rows.map(({ ciLow, ciHigh, ...r }) => ({
      ...r,
      value: num(r.value),
      ci: ciLow === null || ciHigh === null ? null : { low: num(ciLow), high: num(ciHigh) },
    }));
  }

  /** A new survey figure; null when that source, year and region has one already. */
  async insertSurveyFigure(f: Omit<SurveyFigureRow, 'createdAt'>, by: string, now: Date): Promise<SurveyFigureRow | null> {
    const rows: unknown[] = await this.ds.query(
      `INSERT INTO survey_figures (id, source, year, region_code, value, ci_low, ci_high, note, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING id`,
      [f.id, f.source, f.year, f.regionCode, f.value, f.ci?.low ?? null, f.ci?.high ?? null, f.note, by, now],
    );
    return rows.length ? { ...f, createdAt: now.toISOString() } : null;
  }
}
