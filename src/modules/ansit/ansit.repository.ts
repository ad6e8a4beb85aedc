import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export const ENGINE_KEYS = ['families', 'krs_families', 'children_measured', 'stunted', 'pendek', 'sangat_pendek'] as const;
export type EngineKey = (typeof ENGINE_KEYS)[number];
export const INDICATOR_KINDS = ['sasaran', 'esensial', 'supply'] as const;
export const INDICATOR_STATUSES = ['known', 'to_complete'] as const;

export interface IndicatorRow {
  code: string;
  regencyCode: string | null;
  name: string;
  kind: (typeof INDICATOR_KINDS)[number];
  sheet: string;
  unit: string;
  numerator: string;
  denominator: string | null;
  ownerOpdCode: string;
  computedBy: EngineKey | null;
  status: (typeof INDICATOR_STATUSES)[number];
  source: string | null;
}

export interface ValueRow {
  villageCode: string;
  indicatorCode: string;
  value: number | null;
  note: string | null;
  provenance: 'manual' | 'import';
  enteredBy: { userId: string; displayName: string };
  enteredAt: Date;
}

/** The engine's figures per village; a village without rows gets 0 for a source that has data in the regency's year, else null. */
export class EngineFigures {
  constructor(
    private readonly byVillage: ReadonlyMap<string, Partial<Record<EngineKey, number>>>,
    private readonly present: ReadonlySet<EngineKey>,
  ) {}

  of(villageCode: string, key: EngineKey): number | null {
    return this.byVillage.get(villageCode)?.[key] ?? (this.present.has(key) ? 0 : null);
  }
}

const INDICATOR_COLUMNS = `code, regency_code AS "regencyCode", name, kind, sheet, unit, numerator, denominator, owner_opd_code AS "ownerOpdCode",
  computed_by AS "computedBy", status, source`;

/** The Master Ansit catalogue and its entered values; the engine's figures come from the families and prevalence tables. */
@Injectable()
export class AnsitRepository {
  constructor(private readonly ds: DataSource) {}

  /** The national indicators and, when given, one regency's own: national first, then by code. */
  indicators(regencyCode: string | null): Promise<IndicatorRow[]> {
    return this.ds.query(
      `SELECT ${INDICATOR_COLUMNS} FROM ansit_indicators WHERE regency_code IS NULL OR regency_code = $1
        ORDER BY regency_code IS NOT NULL, CASE kind WHEN 'sasaran' THEN 0 WHEN 'esensial' THEN 1 ELSE 2 END, created_at, code`,
      [regencyCode],
    );
  }

  /** Adds an indicator unless its code is taken for that regency (national codes count everywhere); false when taken. */
  async addIndicator(row: IndicatorRow & { id: string; createdBy: string; at: Date }): Promise<boolean> {
    return this.ds.transaction(async (em) => {
      // One writer of codes at a time: a national code and a regency's own must not meet.
      await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('ansit:indicators', 0))`);
      const [taken] = await em.query(
        `SELECT 1 FROM ansit_indicators WHERE code = $1 AND (regency_code IS NULL OR $2::text IS NULL OR regency_code = $2)`,
        [row.code, row.regencyCode],
      );
      if (taken) return false;
      await em.query(
        `INSERT INTO ansit_indicators (id, regency_code, code, name, kind, sheet, unit, numerator, denominator, owner_opd_code, computed_by, status, source, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
        [row.id, row.regencyCode, row.code, row.name, row.kind, row.sheet, row.unit, row.numerator, row.denominator, row.ownerOpdCode, row.computedBy, row.status, row.source, row.createdBy, row.at],
      );
      return true;
    });
  }

  /** The code of a liaison's OPD. */
  async opdCode(opdId: string): Promise<string | null> {
    const [r]: { code: string }[] = await this.ds.query(`SELECT code FROM opds WHERE id = $1`, [opdId]);
    return r?.code ?? null;
  }

  /** The OPD codes a regency has, for checking an owner it names. */
  async opdCodes(regencyCode: string): Promise<string[]> {
    return (await this.ds.query(`SELECT code FROM opds WHERE regency_code = $1`, [regencyCode])).map((r: { code: string }) => r.code);
  }

  /** The entered values of a regency's year (one village's, when given). */
  values(regencyCode: string, year: number, villageCode: string | null): Promise<ValueRow[]> {
    return this.ds.query(
      `SELECT v.village_code AS "villageCode", v.indicator_code AS "indicatorCode", v.value::float8 AS value, v.note, v.provenance,
              json_build_object('userId', v.entered_by, 'displayName', u.display_name) AS "enteredBy", v.entered_at AS "enteredAt"
         FROM ansit_values v JOIN users u ON u.id = v.entered_by
        WHERE v.regency_code = $1 AND v.year = $2 AND ($3::text IS NULL OR v.village_code = $3)`,
      [regencyCode, year, villageCode],
    );
  }

  /** Upserts one village's values in the caller's transaction. */
  async putValues(
    em: EntityManager,
    w: { regencyCode: string; year: number; villageCode: string; by: string; at: Date; values: { indicatorCode: string; value: number | null; note: string | null }[] },
  ): Promise<void> {
    await em.query(
      `INSERT INTO ansit_values (regency_code, year, village_code, indicator_code, value, note, provenance, entered_by, entered_at)
       SELECT $1, $2, $3, c, v, n, 'manual', $4, $5 FROM unnest($6::text[], $7::numeric[], $8::text[]) AS x(c, v, n)
       ON CONFLICT (regency_code, year, village_code, indicator_code) DO UPDATE
         SET value = excluded.value, note = excluded.note, provenance = excluded.provenance, entered_by = excluded.entered_by, entered_at = excluded.entered_at`,
      [w.regencyCode, w.year, w.villageCode, w.by, w.at, w.values.map((v) => v.indicatorCode), w.values.map((v) => v.value), w.values.map((v) => v.note)],
    );
  }

  /**
   * The engine's figures of a regency's year per village (one village's, when given), set-based:
   * - families: families registered in the village now;
   * - krs_families: families whose latest assessment of the year (round, then reference date,
   *   then written) says KRS, counted in the village of that assessment;
   * - children: each child's latest plausible child-month of the year (prevalence_child_months,
   *   the latest plausible reading of each month), in the village it counted in; pendek is
   *   -3 <= HAZ < -2 (band 1), sangat pendek HAZ < -3 (band 2), stunted both.
   * A source with no row at all in the regency's year gives no figure (null), not zeros: the
   * engine cannot tell an empty village from data not yet loaded.
   */
  async engine(regencyCode: string, year: number, villageCode: string | null): Promise<EngineFigures> {
    const [families, krs, children]: [
      { villageCode: string; n: number }[],
      { villageCode: string; n: number }[],
      { villageCode: string; measured: number; pendek: number; sangatPendek: number }[],
    ] = await Promise.all([
      this.ds.query(
        `SELECT village_code AS "villageCode", count(*)::int AS n FROM families WHERE regency_code = $1 AND ($2::text IS NULL OR village_code = $2) GROUP BY 1`,
        [regencyCode, villageCode],
      ),
      this.ds.query(
        `SELECT village_code AS "villageCode", count(*) FILTER (WHERE is_krs)::int AS n
           FROM (SELECT DISTINCT ON (family_id) village_code, is_krs FROM krs_assessments
                  WHERE regency_code = $1 AND year = $2
                  ORDER BY family_id, round DESC, reference_date DESC, created_at DESC, id DESC) latest
          WHERE $3::text IS NULL OR village_code = $3 GROUP BY 1`,
        [regencyCode, year, villageCode],
      ),
      this.ds.query(
        `SELECT village_code AS "villageCode", count(*)::int AS measured, count(*) FILTER (WHERE band = 1)::int AS pendek,
                count(*) FILTER (WHERE band = 2)::int AS "sangatPendek"
           FROM (SELECT DISTINCT ON (subject_id) village_code, band FROM prevalence_child_months
                  WHERE plausible AND village_code BETWEEN $1 || '000000' AND $1 || '999999' AND period BETWEEN $2 AND $3
                  ORDER BY subject_id, period DESC) latest
          WHERE $4::text IS NULL OR village_code = $4 GROUP BY 1`,
        [regencyCode, `${year}-01`, `${year}-12`, villageCode],
      ),
    ]);
    const [anyFamily, anyKrs, anyChild] = await this.sourcesPresent(regencyCode, year);
    const byVillage = new Map<string, Partial<Record<EngineKey, number>>>();
    const at = (v: string) => byVillage.get(v) ?? byVillage.set(v, {}).get(v)!;
    for (const r of families) at(r.villageCode).families = r.n;
    for (const r of krs) at(r.villageCode).krs_families = r.n;
    for (const r of children) Object.assign(at(r.villageCode), { children_measured: r.measured, pendek: r.pendek, sangat_pendek: r.sangatPendek, stunted: r.pendek + r.sangatPendek });
    const present = new Set<EngineKey>([
      ...(anyFamily ? (['families'] as const) : []),
      ...(anyKrs ? (['krs_families'] as const) : []),
      ...(anyChild ? (['children_measured', 'stunted', 'pendek', 'sangat_pendek'] as const) : []),
    ]);
    return new EngineFigures(byVillage, present);
  }

  private async sourcesPresent(regencyCode: string, year: number): Promise<[boolean, boolean, boolean]> {
    const [r]: { f: boolean; k: boolean; c: boolean }[] = await this.ds.query(
      `SELECT EXISTS (SELECT 1 FROM families WHERE regency_code = $1) AS f,
              EXISTS (SELECT 1 FROM krs_assessments WHERE regency_code = $1 AND year = $2) AS k,
              EXISTS (SELECT 1 FROM prevalence_counts WHERE digits = 4 AND region_code = $1 AND period BETWEEN $3 AND $4 AND measured > 0) AS c`,
      [regencyCode, year, `${year}-01`, `${year}-12`],
    );
    return [r.f, r.k, r.c];
  }
}
