import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface LokusSetRow {
  id: string;
  regencyCode: string;
  year: number;
  decreeRef: string;
  reasons: string[];
  villageCodes: string[];
  setBy: { userId: string; displayName: string };
  setAt: Date;
  replacedAt: Date | null;
}

const COLUMNS = `s.id, s.regency_code AS "regencyCode", s.year, s.decree_ref AS "decreeRef", s.reasons, s.village_codes AS "villageCodes",
  json_build_object('userId', s.set_by, 'displayName', u.display_name) AS "setBy", s.set_at AS "setAt", s.replaced_at AS "replacedAt"`;

/** Lokus sets by decree: the one in force per regency and year (with its villages) and those it replaced. */
@Injectable()
export class LokusRepository {
  constructor(private readonly ds: DataSource) {}

  /** Every set of a regency's year, the one in force first, then newest first. */
  history(regencyCode: string, year: number): Promise<LokusSetRow[]> {
    return this.ds.query(
      `SELECT ${COLUMNS} FROM lokus_sets s JOIN users u ON u.id = s.set_by
        WHERE s.regency_code = $1 AND s.year = $2 ORDER BY s.replaced_at IS NOT NULL, s.set_at DESC, s.id DESC`,
      [regencyCode, year],
    );
  }

  /** The villages in force for a regency's year (a TPK member's only, when given). */
  async villages(regencyCode: string, year: number, only: readonly string[] | null): Promise<{ setId: string; villageCodes: string[] } | null> {
    const rows: { setId: string; villageCode: string }[] = await this.ds.query(
      `SELECT set_id AS "setId", village_code AS "villageCode" FROM lokus_villages
        WHERE regency_code = $1 AND year = $2 AND ($3::text[] IS NULL OR village_code = ANY($3::text[])) ORDER BY village_code`,
      [regencyCode, year, only ? [...only] : null],
    );
    return rows.length ? { setId: rows[0].setId, villageCodes: rows.map((r) => r.villageCode) } : null;
  }

  /**
   * Puts a new set in force for the regency's year, in the caller's transaction: the set in force
   * (if any) is marked replaced by it and its villages are swapped. Concurrent writers of the
   * same regency and year are serialised by a transaction-scoped advisory lock.
   */
  async replace(em: EntityManager, s: { id: string; regencyCode: string; year: number; decreeRef: string; reasons: string[]; villageCodes: string[]; setBy: string; at: Date }): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`lokus:${s.regencyCode}:${s.year}`]);
    const [current]: { id: string }[] = await em.query(`SELECT id FROM lokus_sets WHERE regency_code = $1 AND year = $2 AND replaced_at IS NULL`, [s.regencyCode, s.year]);
    if (current) {
      await em.query(`DELETE FROM lokus_villages WHERE regency_code = $1 AND year = $2`, [s.regencyCode, s.year]);
      // The old set leaves the set in force (the partial unique index) before the new one enters it.
      await em.query(`UPDATE lokus_sets SET replaced_at = $2, replaced_by = $3 WHERE id = $1`, [current.id, s.at, s.id]);
    }
    await em.query(
      `INSERT INTO lokus_sets (id, regency_code, year, decree_ref, reasons, village_codes, set_by, set_at) VALUES ($1, $2, $3, $4, $5::text[], $6::text[], $7, $8)`,
      [s.id, s.regencyCode, s.year, s.decreeRef, s.reasons, s.villageCodes, s.setBy, s.at],
    );
    await em.query(
      `INSERT INTO lokus_villages (regency_code, year, village_code, set_id) SELECT $1, $2, v, $3 FROM unnest($4::text[]) AS v`,
      [s.regencyCode, s.year, s.id, s.villageCodes],
    );
  }
}
