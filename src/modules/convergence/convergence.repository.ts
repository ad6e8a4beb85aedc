import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { localDay } from '../../common/clock/calendar-day.js';
import { AGE_LIMITS, type TargetGroup } from '../subjects/subject-rules.js';
import { CHILD_GROUPS, type EvidenceRule, type PackageGroups, type PackageItem } from './package.js';
import type { SubjectFacts } from './scorecard.js';

export const NATIONAL = '*';

export interface PackageRow {
  regencyCode: string;
  version: number;
  body: { groups: PackageGroups };
  source: string | null;
  createdAt: Date;
}

/** One region's counts for one target group: targets, full package, and per item the targets it applies to and those met. */
export interface ReportRow {
  code: string;
  targets: number;
  full: number;
  items: { code: string; applicable: number; met: number }[];
}

/** The regency's UTC offset in hours, in SQL, as utcOffsetHours (calendar-day.ts) reads it from the province. */
const OFFSET = (regency: string) => `(CASE WHEN left(${regency}, 2)::int >= 81 THEN 9
  WHEN left(${regency}, 2)::int BETWEEN 51 AND 53 OR left(${regency}, 2)::int BETWEEN 63 AND 76 THEN 8 ELSE 7 END)`;
const LOCAL_DAY = (ts: string) => `((${ts} AT TIME ZONE 'UTC') + t.off * interval '1 hour')::date`;
const READING_COLUMN = { waz: 'waz', whz: 'whz', haz: 'haz', muac: 'muac_cm' } as const;

/** Bind parameters of a query being built: `p(v)` is the placeholder of v. */
class Params {
  readonly values: unknown[] = [];
  p(v: unknown, cast = ''): string {
    this.values.push(v);
    return `$${this.values.length}${cast}`;
  }
}

/**
 * The only door to convergence_packages, and the read model over the other modules' tables the
 * scorecard and the report read: readings, deliveries, completed tasks, TPK visits and KRS
 * assessments of a subject or, for the report, of every target in a region at once.
 */
@Injectable()
export class ConvergenceRepository {
  constructor(private readonly ds: DataSource) {}

  /** The version in force of each regency: its own latest, else the latest national one. */
  async current(regencyCodes: string[]): Promise<Map<string, PackageRow>> {
    const rows: PackageRow[] = await this.ds.query(
      `SELECT DISTINCT ON (regency_code) regency_code AS "regencyCode", version, body, source, created_at AS "createdAt"
         FROM convergence_packages WHERE regency_code = ANY($1::text[]) OR regency_code = '*' ORDER BY regency_code, version DESC`,
      [regencyCodes],
    );
    const national = rows.find((r) => r.regencyCode === NATIONAL)!;
    return new Map(regencyCodes.map((c) => [c, rows.find((r) => r.regencyCode === c) ?? national]));
  }

  /** The regencies under a region-code prefix that have a package of their own. */
  async overriding(prefix: string): Promise<string[]> {
    const rows: { regencyCode: string }[] = await this.ds.query(
      `SELECT DISTINCT regency_code AS "regencyCode" FROM convergence_packages WHERE regency_code <> '*' AND regency_code LIKE $1 || '%' ORDER BY 1`,
      [prefix.slice(0, 4)],
    );
    return rows.map((r) => r.regencyCode);
  }

  /** A regency's versions, newest first, then the national ones. */
  versions(regencyCode: string): Promise<PackageRow[]> {
    return this.ds.query(
      `SELECT regency_code AS "regencyCode", version, body, source, created_at AS "createdAt" FROM convergence_packages
        WHERE regency_code IN ($1, '*') ORDER BY regency_code = '*', version DESC`,
      [regencyCode],
    );
  }

  /** Adds the regency's next version, numbered after every version it has read until now (the national ones included). */
  async add(em: EntityManager, regencyCode: string, groups: PackageGroups, source: string | null, createdBy: string, at: Date): Promise<number> {
    // One writer per regency at a time: the primary key refuses a racing second one.
    const [{ version }]: { version: number }[] = await em.query(
      `INSERT INTO convergence_packages (regency_code, version, body, source, created_by, created_at)
       SELECT $1, coalesce(max(version), 0) + 1, $2::jsonb, $3, $4, $5 FROM convergence_packages WHERE regency_code IN ($1, '*')
       RETURNING version`,
      [regencyCode, JSON.stringify({ groups }), source, createdBy, at],
    );
    return version;
  }

  /** The catalogue codes a regency may name: the national catalogue and its own, not retired. */
  async catalogueCodes(regencyCode: string): Promise<Set<string>> {
    // A regency's own row of a code overrides the national one (it may retire it there).
    const rows: { code: string; retired: boolean }[] = await this.ds.query(
      `SELECT DISTINCT ON (code) code, retired FROM intervention_catalogue WHERE scope IN ('', $1) ORDER BY code, scope DESC`,
      [regencyCode],
    );
    return new Set(rows.filter((r) => !r.retired).map((r) => r.code));
  }

  /** The subject's registration facts; null when it does not exist, is restricted or anonymised. */
  async subject(id: string): Promise<{ id: string; regencyCode: string; villageCode: string; targetGroup: TargetGroup; birthDate: string; createdAt: Date } | null> {
    const [row] = await this.ds.query(
      `SELECT id, regency_code AS "regencyCode", village_code AS "villageCode", target_group AS "targetGroup", to_char(birth_date, 'YYYY-MM-DD') AS "birthDate",
              created_at AS "createdAt"
         FROM subjects WHERE id = $1 AND restricted_at IS NULL AND anonymised_at IS NULL`,
      [id],
    );
    return row ?? null;
  }

  /** Whether an OPD has a task about the subject (a referral or one of its cases'): what lets its liaison read the subject. */
  async hasTaskOfOpd(subjectId: string, opdId: string): Promise<boolean> {
    const [row] = await this.ds.query(
      `SELECT 1 FROM tasks k WHERE k.opd_id = $2
          AND k.id IN (SELECT id FROM tasks WHERE subject_id = $1 UNION ALL SELECT x.id FROM tasks x JOIN cases c ON c.id = x.case_id WHERE c.subject_id = $1) LIMIT 1`,
      [subjectId, opdId],
    );
    return !!row;
  }

  /** Everything the scorecard reads of one subject, up to the day `asOf`. */
  async facts(s: { id: string; regencyCode: string; targetGroup: TargetGroup; birthDate: string; createdAt: Date }, asOf: string): Promise<SubjectFacts> {
    const q = this.ds.manager;
    const day = (d: Date | string) => localDay(new Date(d), s.regencyCode);
    const readings: { id: string; on: string; plausible: boolean; waz: number | null; whz: number | null; haz: number | null; muacCm: number | null; source: string }[] = await q.query(
      `SELECT id, to_char(measured_on, 'YYYY-MM-DD') AS "on", NOT needs_remeasurement AS plausible, waz, whz, haz, muac_cm AS "muacCm", source
         FROM measurements WHERE regency_code = $1 AND subject_id = $2 AND measured_on <= $3 ORDER BY measured_on, created_at, id`,
      [s.regencyCode, s.id, asOf],
    );
    const deliveries: { id: string; interventionId: string; catalogueCode: string; at: Date; quantity: string; sponsorId: string; sponsorName: string | null }[] = await q.query(
      `SELECT d.id, i.id AS "interventionId", i.catalogue_code AS "catalogueCode", d.delivered_at AS at, d.quantity, i.sponsor_id AS "sponsorId", sp.name AS "sponsorName"
         FROM cases c JOIN interventions i ON i.case_id = c.id JOIN deliveries d ON d.intervention_id = i.id LEFT JOIN sponsors sp ON sp.id = i.sponsor_id
        WHERE c.subject_id = $1 ORDER BY d.delivered_at, d.id`,
      [s.id],
    );
    const tasks: { id: string; opdId: string; opdCode: string; opdName: string | null; action: string; at: Date }[] = await q.query(
      `SELECT k.id, k.opd_id AS "opdId", o.code AS "opdCode", o.name AS "opdName", k.action,
              (SELECT max(h.at) FROM task_history h WHERE h.task_id = k.id AND h.type = 'COMPLETE') AS at
         FROM tasks k JOIN opds o ON o.id = k.opd_id
        WHERE k.state IN ('done', 'verified') AND k.id IN (SELECT id FROM tasks WHERE subject_id = $1 UNION ALL SELECT x.id FROM tasks x JOIN cases c ON c.id = x.case_id WHERE c.subject_id = $1)
        ORDER BY at, k.id`,
      [s.id],
    );
    const visits: { id: string; on: string; actions: string[]; teamId: string | null; teamName: string | null; villageCode: string }[] = await q.query(
      `SELECT v.id, to_char(v.visited_on, 'YYYY-MM-DD') AS "on", v.actions, v.team_id AS "teamId", tm.name AS "teamName", v.village_code AS "villageCode"
         FROM visits v LEFT JOIN tpk_teams tm ON tm.id = v.team_id WHERE v.subject_id = $1 AND v.visited_on <= $2 ORDER BY v.visited_on, v.id`,
      [s.id, asOf],
    );
    const familyAssessments: { id: string; on: string; safeWater: boolean; fitLatrine: boolean; source: string }[] = await q.query(
      `SELECT ka.id, to_char(ka.reference_date, 'YYYY-MM-DD') AS "on", NOT ka.air_tidak_layak AS "safeWater", NOT ka.jamban_tidak_layak AS "fitLatrine", ka.source
         FROM family_members fm JOIN krs_assessments ka ON ka.family_id = fm.family_id
        WHERE fm.subject_id = $1 ORDER BY ka.reference_date DESC, ka.year DESC, ka.round DESC, ka.id`,
      [s.id],
    );
    return {
      targetGroup: s.targetGroup,
      birthDate: s.birthDate,
      registeredOn: day(s.createdAt),
      readings: readings.map((r) => ({ ...r, waz: num(r.waz), whz: num(r.whz), haz: num(r.haz), muacCm: num(r.muacCm) })),
      deliveries: deliveries.map((d) => ({ ...d, on: day(d.at), quantity: Number(d.quantity) })).filter((d) => d.on <= asOf),
      tasks: tasks.filter((t) => t.at).map((t) => ({ id: t.id, opdId: t.opdId, opdCode: t.opdCode, opdName: t.opdName, action: t.action, on: day(t.at) })).filter((t) => t.on <= asOf),
      visits,
      familyAssessments,
    };
  }

  /**
   * One target group's convergence per region (village: 10 digits, kecamatan: 6) under `prefix`
   * on `asOf`, in one set-based query: the targets of the group then (children by age, adults
   * registered by then; restricted and anonymised ones left out), each item's applicability and
   * evidence as correlated EXISTS/count sub-queries the indexes answer per target. `excluded`
   * regencies answer with their own package. The rules are those of scorecard.ts, said in SQL.
   */
  async report(prefix: string, excluded: string[], group: TargetGroup, items: readonly PackageItem[], asOf: string, level: 6 | 10): Promise<ReportRow[]> {
    const P = new Params();
    const asOfP = P.p(asOf, '::date');
    const child = CHILD_GROUPS.includes(group);
    const regency = prefix.length >= 4 ? `s.regency_code = ${P.p(prefix.slice(0, 4), '::text')} AND ` : '';
    const limits = AGE_LIMITS[group];
    const cols = items.map((item, i) => {
      const { applicable, met } = this.itemSql(P, item, asOfP, child);
      return `${applicable} AS a${i}, ${met} AS m${i}`;
    });
    const full = items.length ? items.map((_, i) => `(NOT a${i} OR m${i})`).join(' AND ') : 'true';
    const perItem = items.map((_, i) => `count(*) FILTER (WHERE a${i})::int AS "a${i}", count(*) FILTER (WHERE a${i} AND m${i})::int AS "m${i}"`);
    const sql = `
      WITH t AS (
        SELECT s.id, s.regency_code, s.village_code, s.birth_date, ${OFFSET('s.regency_code')} AS off, s.created_at
          FROM subjects s
         WHERE ${regency}s.village_code LIKE ${P.p(prefix, '::text')} || '%' AND s.target_group = ${P.p(group, '::text')}
           AND NOT (s.regency_code = ANY(${P.p(excluded, '::text[]')}))
           AND s.restricted_at IS NULL AND s.anonymised_at IS NULL
      ), g AS (
        SELECT t.*, ((t.created_at AT TIME ZONE 'UTC') + t.off * interval '1 hour')::date AS registered_on FROM t
      ), x AS (
        SELECT t.village_code${cols.length ? ', ' + cols.join(', ') : ''}
          FROM g t
         WHERE t.registered_on <= ${asOfP}
           ${child && limits.maxMonths ? `AND t.birth_date <= ${asOfP} AND ${asOfP} < t.birth_date + make_interval(months => ${limits.maxMonths})` : ''}
      )
      SELECT left(village_code, ${level}) AS code, count(*)::int AS targets, count(*) FILTER (WHERE ${full})::int AS full${perItem.length ? ', ' + perItem.join(', ') : ''}
        FROM x GROUP BY 1 ORDER BY 1`;
    const rows: Record<string, number | string>[] = await this.ds.query(sql, P.values);
    return rows.map((r) => ({
      code: r.code as string,
      targets: Number(r.targets),
      full: Number(r.full),
      items: items.map((item, i) => ({ code: item.code, applicable: Number(r[`a${i}`]), met: Number(r[`m${i}`]) })),
    }));
  }

  /** An item's applicability and whether it is met, as SQL booleans over target `t` (scorecard.ts's evaluateItem). */
  private itemSql(P: Params, item: PackageItem, asOf: string, child: boolean): { applicable: string; met: string } {
    const checks: string[] = [];
    if (child) {
      checks.push(`t.birth_date + make_interval(months => ${P.p(item.fromAgeMonths ?? 0, '::int')}) <= ${asOf}`);
      if (item.toAgeMonths !== undefined) checks.push(`${asOf} < t.birth_date + make_interval(months => ${P.p(item.toAgeMonths, '::int')})`);
    }
    if (item.condition) {
      const col = READING_COLUMN[item.condition.field];
      checks.push(`coalesce((SELECT m.${col} FROM measurements m
          WHERE m.regency_code = t.regency_code AND m.subject_id = t.id AND NOT m.needs_remeasurement AND m.${col} IS NOT NULL
            AND m.measured_on BETWEEN ${asOf} - ${P.p(item.condition.withinDays, '::int')} AND ${asOf}
          ORDER BY m.measured_on DESC, m.created_at DESC, m.id DESC LIMIT 1) < ${P.p(item.condition.below, '::float8')}, false)`);
    }
    const from = item.windowDays === null ? `'0001-01-01'::date` : `(${asOf} - ${P.p(item.windowDays, '::int')})`;
    const rules = item.evidence.map((rule) => this.ruleSql(P, rule, from, asOf));
    return { applicable: checks.length ? `(${checks.join(' AND ')})` : 'true', met: rules.length ? `(${rules.join(' OR ')})` : 'false' };
  }

  private ruleSql(P: Params, rule: EvidenceRule, from: string, asOf: string): string {
    // Every placeholder must be used (an unused one has no type): the count is bound only where a rule counts.
    const min = () => P.p(rule.minCount ?? 1, '::int');
    switch (rule.kind) {
      case 'measurement':
        return `(SELECT count(*) FROM measurements m WHERE m.regency_code = t.regency_code AND m.subject_id = t.id AND m.measured_on BETWEEN ${from} AND ${asOf}) >= ${min()}`;
      case 'visit':
        return `(SELECT count(*) FROM visits v WHERE v.subject_id = t.id AND v.actions && ${P.p(rule.visitActions ?? [], '::text[]')} AND v.visited_on BETWEEN ${from} AND ${asOf}) >= ${min()}`;
      case 'intervention':
        return `(SELECT count(*) >= ${min()} AND coalesce(sum(d.quantity), 0) >= ${P.p(rule.minQuantity ?? 0, '::numeric')}
                   FROM cases c JOIN interventions i ON i.case_id = c.id JOIN deliveries d ON d.intervention_id = i.id
                  WHERE c.subject_id = t.id AND i.catalogue_code = ANY(${P.p(rule.catalogueCodes ?? [], '::text[]')})
                    AND ${LOCAL_DAY('d.delivered_at')} BETWEEN ${from} AND ${asOf})`;
      case 'task': {
        const action = rule.actionContains ? `AND strpos(lower(k.action), lower(${P.p(rule.actionContains, '::text')})) > 0` : '';
        return `(SELECT count(*) FROM tasks k JOIN opds o ON o.id = k.opd_id
                  WHERE k.id IN (SELECT id FROM tasks WHERE subject_id = t.id UNION ALL SELECT x.id FROM tasks x JOIN cases c ON c.id = x.case_id WHERE c.subject_id = t.id)
                    AND k.state IN ('done', 'verified') AND o.code = ${P.p(rule.opdCode, '::text')} ${action}
                    AND ${LOCAL_DAY('(SELECT max(h.at) FROM task_history h WHERE h.task_id = k.id AND h.type = \'COMPLETE\')')} BETWEEN ${from} AND ${asOf}) >= ${min()}`;
      }
      case 'family': {
        const col = rule.attribute === 'safe_water' ? 'air_tidak_layak' : 'jamban_tidak_layak';
        // Only the latest assessment up to asOf speaks for the house.
        return `coalesce((SELECT ka.reference_date >= ${from} AND NOT ka.${col}
                   FROM family_members fm JOIN krs_assessments ka ON ka.family_id = fm.family_id
                  WHERE fm.subject_id = t.id AND ka.reference_date <= ${asOf}
                  ORDER BY ka.reference_date DESC, ka.year DESC, ka.round DESC, ka.id LIMIT 1), false)`;
      }
    }
  }
}

const num = (v: number | string | null) => (v === null ? null : Number(v));
