import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { VisitAction, VisitGroup } from './dto/visit.dto.js';

export interface VisitRow {
  id: string;
  regencyCode: string;
  villageCode: string;
  memberUserId: string;
  teamId: string | null;
  familyId: string | null;
  subjectId: string | null;
  accompanimentId: string | null;
  targetGroup: VisitGroup;
  kind: string;
  actions: VisitAction[];
  visitedOn: string;
  recordedAt: Date;
  reportMonth: string;
  late: boolean;
  crossVillage: boolean;
  referral: { to: string; reason: string } | null;
  notes: string | null;
  measurementId: string | null;
  bodyHash: string;
}

const COLUMNS = `id, regency_code AS "regencyCode", village_code AS "villageCode", member_user_id AS "memberUserId", team_id AS "teamId",
  family_id AS "familyId", subject_id AS "subjectId", accompaniment_id AS "accompanimentId", target_group AS "targetGroup", kind, actions,
  visited_on::text AS "visitedOn", recorded_at AS "recordedAt", report_month AS "reportMonth", late, cross_village AS "crossVillage", referral, notes,
  measurement_id AS "measurementId", body_hash AS "bodyHash"`;

export interface ScreeningRow {
  id: string;
  regencyCode: string;
  subjectId: string;
  plannedMarriageDate: string;
  screenedOn: string;
  weightKg: number;
  heightCm: number;
  bmi: number;
  muacCm: number;
  waistCm: number | null;
  hbGdl: number | null;
  smoker: boolean;
  ageYears: number;
  ruleVersion: number;
  result: 'IDEAL' | 'BERISIKO';
  reasons: string[];
  createdBy: string;
  createdAt: Date;
}

/** The only door to visits, catin_screenings and tpk_report_freezes. */
@Injectable()
export class VisitsRepository {
  constructor(private readonly ds: DataSource) {}

  /** Inserts unless the id is taken; true when this call stored it. */
  async insert(em: EntityManager, v: VisitRow): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `INSERT INTO visits (id, regency_code, village_code, member_user_id, team_id, family_id, subject_id, accompaniment_id, target_group, kind, actions,
                           visited_on, recorded_at, report_month, late, cross_village, referral, notes, measurement_id, body_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text[], $12, $13, $14, $15, $16, $17, $18, $19, $20)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [v.id, v.regencyCode, v.villageCode, v.memberUserId, v.teamId, v.familyId, v.subjectId, v.accompanimentId, v.targetGroup, v.kind, v.actions, v.visitedOn,
        v.recordedAt, v.reportMonth, v.late, v.crossVillage, v.referral ? JSON.stringify(v.referral) : null, v.notes, v.measurementId, v.bodyHash],
    );
    return rows.length === 1;
  }

  async setLinks(em: EntityManager, id: string, accompanimentId: string | null, measurementId: string | null): Promise<void> {
    await em.query(`UPDATE visits SET accompaniment_id = $2, measurement_id = $3 WHERE id = $1`, [id, accompanimentId, measurementId]);
  }

  async find(em: EntityManager | undefined, id: string): Promise<VisitRow | null> {
    const rows: VisitRow[] = await (em ?? this.ds.manager).query(`SELECT ${COLUMNS} FROM visits WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  list(f: {
    regencyCode: string | null;
    villageCodes: readonly string[] | null;
    villageCode?: string;
    subjectId?: string;
    familyId?: string;
    from?: string;
    to?: string;
    after?: [string, string];
    limit: number;
  }): Promise<VisitRow[]> {
    return this.ds.query(
      `SELECT ${COLUMNS} FROM visits
        WHERE ($1::text IS NULL OR regency_code = $1) AND ($2::text[] IS NULL OR village_code = ANY($2)) AND ($3::text IS NULL OR village_code = $3)
          AND ($4::uuid IS NULL OR subject_id = $4) AND ($5::uuid IS NULL OR family_id = $5) AND ($6::date IS NULL OR visited_on >= $6)
          AND ($7::date IS NULL OR visited_on <= $7) AND ($8::date IS NULL OR (visited_on, id) < ($8::date, $9::uuid))
        ORDER BY visited_on DESC, id DESC LIMIT $10`,
      [f.regencyCode, f.villageCodes, f.villageCode ?? null, f.subjectId ?? null, f.familyId ?? null, f.from ?? null, f.to ?? null, f.after?.[0] ?? null,
        f.after?.[1] ?? null, f.limit + 1],
    );
  }

  /** A month's counts: visits per target group and action, late ones, and the KRS families among `krsFamilyIds` visited. */
  async monthCounts(em: EntityManager, regencyCode: string, villageCode: string | null, month: string, krsFamilyIds: string[]) {
    const byGroupAction: { targetGroup: string; action: string; n: string }[] = await em.query(
      `SELECT target_group AS "targetGroup", a AS action, count(*) AS n FROM visits, unnest(actions) a
        WHERE regency_code = $1 AND ($2::text IS NULL OR village_code = $2) AND report_month = $3 GROUP BY 1, 2 ORDER BY 1, 2`,
      [regencyCode, villageCode, month],
    );
    const [totals]: { visits: string; late: string; crossVillage: string; families: string; krsAccompanied: string }[] = await em.query(
      `SELECT count(*) AS visits, count(*) FILTER (WHERE late) AS late, count(*) FILTER (WHERE cross_village) AS "crossVillage",
              count(DISTINCT family_id) AS families, count(DISTINCT family_id) FILTER (WHERE family_id = ANY($4::uuid[])) AS "krsAccompanied"
         FROM visits WHERE regency_code = $1 AND ($2::text IS NULL OR village_code = $2) AND report_month = $3`,
      [regencyCode, villageCode, month, krsFamilyIds],
    );
    const byGroup: { targetGroup: string; n: string }[] = await em.query(
      `SELECT target_group AS "targetGroup", count(*) AS n FROM visits
        WHERE regency_code = $1 AND ($2::text IS NULL OR village_code = $2) AND report_month = $3 GROUP BY 1 ORDER BY 1`,
      [regencyCode, villageCode, month],
    );
    return { byGroupAction, totals, byGroup };
  }

  async frozen(em: EntityManager, regencyCode: string, villageCode: string, month: string): Promise<{ body: object; frozenAt: Date } | null> {
    const rows: { body: object; frozen_at: Date }[] = await em.query(
      `SELECT body, frozen_at FROM tpk_report_freezes WHERE regency_code = $1 AND village_code = $2 AND month = $3`,
      [regencyCode, villageCode, month],
    );
    return rows[0] ? { body: rows[0].body, frozenAt: rows[0].frozen_at } : null;
  }

  /** Freezes a report; if another request froze it first, that one stands. */
  async freeze(em: EntityManager, regencyCode: string, villageCode: string, month: string, body: object, at: Date): Promise<void> {
    await em.query(
      `INSERT INTO tpk_report_freezes (regency_code, village_code, month, body, frozen_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT ON CONSTRAINT pk_tpk_report_freezes DO NOTHING`,
      [regencyCode, villageCode, month, JSON.stringify(body), at],
    );
  }

  async insertScreening(em: EntityManager, s: ScreeningRow): Promise<void> {
    await em.query(
      `INSERT INTO catin_screenings (id, regency_code, subject_id, planned_marriage_date, screened_on, weight_kg, height_cm, bmi, muac_cm, waist_cm, hb_gdl,
                                     smoker, age_years, rule_version, result, reasons, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::text[], $17, $18)`,
      [s.id, s.regencyCode, s.subjectId, s.plannedMarriageDate, s.screenedOn, s.weightKg, s.heightCm, s.bmi, s.muacCm, s.waistCm, s.hbGdl, s.smoker,
        s.ageYears, s.ruleVersion, s.result, s.reasons, s.createdBy, s.createdAt],
    );
  }

  screenings(subjectId: string): Promise<ScreeningRow[]> {
    return this.ds.query(
      `SELECT id, regency_code AS "regencyCode", subject_id AS "subjectId", planned_marriage_date::text AS "plannedMarriageDate",
              screened_on::text AS "screenedOn", weight_kg::float8 AS "weightKg", height_cm::float8 AS "heightCm", bmi::float8 AS bmi,
              muac_cm::float8 AS "muacCm", waist_cm::float8 AS "waistCm", hb_gdl::float8 AS "hbGdl", smoker, age_years AS "ageYears",
              rule_version AS "ruleVersion", result, reasons, created_by AS "createdBy", created_at AS "createdAt"
         FROM catin_screenings WHERE subject_id = $1 ORDER BY screened_on DESC, created_at DESC`,
      [subjectId],
    );
  }
}
