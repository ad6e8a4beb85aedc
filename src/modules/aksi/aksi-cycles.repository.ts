import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface CycleWeights {
  documents: number;
  presentation: number;
  field: number;
}

export interface CycleRow {
  year: number;
  /** Whose cycle it is: a province (2 digits) or a regency (4 digits). */
  regionCode: string;
  uploadDeadline: string;
  verificationDate: string;
  assessmentDate: string;
  weights: CycleWeights;
  scoredActions: number[];
  updatedBy: string;
  updatedAt: Date;
}

const COLUMNS = `year, region_code AS "regionCode", to_char(upload_deadline, 'YYYY-MM-DD') AS "uploadDeadline",
  to_char(verification_date, 'YYYY-MM-DD') AS "verificationDate", to_char(assessment_date, 'YYYY-MM-DD') AS "assessmentDate",
  weights, scored_actions AS "scoredActions", updated_by AS "updatedBy", updated_at AS "updatedAt"`;

/** The only door to aksi_cycles. */
@Injectable()
export class AksiCyclesRepository {
  async upsert(em: EntityManager, c: CycleRow): Promise<void> {
    await em.query(
      `INSERT INTO aksi_cycles (year, region_code, upload_deadline, verification_date, assessment_date, weights, scored_actions, updated_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::int[], $8, $9)
       ON CONFLICT (year, region_code) DO UPDATE SET upload_deadline = EXCLUDED.upload_deadline, verification_date = EXCLUDED.verification_date,
         assessment_date = EXCLUDED.assessment_date, weights = EXCLUDED.weights, scored_actions = EXCLUDED.scored_actions,
         updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
      [c.year, c.regionCode, c.uploadDeadline, c.verificationDate, c.assessmentDate, JSON.stringify(c.weights), c.scoredActions, c.updatedBy, c.updatedAt],
    );
  }

  /** The cycle a region follows: a regency's own, else its province's; a province's own only. */
  async effective(em: EntityManager, year: number, regionCode: string): Promise<CycleRow | null> {
    const rows: CycleRow[] = await em.query(
      `SELECT ${COLUMNS} FROM aksi_cycles WHERE year = $1 AND region_code IN ($2, left($2, 2)) ORDER BY length(region_code) DESC LIMIT 1`,
      [year, regionCode],
    );
    return rows[0] ?? null;
  }

  /** Regencies of a province that set their own cycle for the year: a province's change does not reach them. */
  async ownRegencies(em: EntityManager, year: number, provinceCode: string): Promise<string[]> {
    const rows: { regionCode: string }[] = await em.query(
      `SELECT region_code AS "regionCode" FROM aksi_cycles WHERE year = $1 AND length(region_code) = 4 AND left(region_code, 2) = $2`,
      [year, provinceCode],
    );
    return rows.map((r) => r.regionCode);
  }
}
