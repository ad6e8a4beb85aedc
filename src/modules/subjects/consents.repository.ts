import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { returnedRows } from '../../database/prepared.js';

export interface ConsentRow {
  id: string;
  regencyCode: string;
  subjectId: string;
  guardianName: string;
  guardianRelation: string;
  purpose: 'share_with_sponsor';
  sponsorId: string | null;
  evidenceRef: string;
  givenAt: Date;
  withdrawnAt: Date | null;
  recordedBy: string;
  recordedAt: Date;
}

const COLUMNS = `id, regency_code AS "regencyCode", subject_id AS "subjectId", guardian_name AS "guardianName", guardian_relation AS "guardianRelation",
  purpose, sponsor_id AS "sponsorId", evidence_ref AS "evidenceRef", given_at AS "givenAt", withdrawn_at AS "withdrawnAt", recorded_by AS "recordedBy",
  recorded_at AS "recordedAt"`;

/** The only door to consents: guardians' consent records, kept as proof (UU PDP Pasal 22-25). */
@Injectable()
export class ConsentsRepository {
  constructor(private readonly ds: DataSource) {}

  async insert(c: ConsentRow): Promise<void> {
    await this.ds.query(
      `INSERT INTO consents (id, regency_code, subject_id, guardian_name, guardian_relation, purpose, sponsor_id, evidence_ref, given_at, withdrawn_at,
                             recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [c.id, c.regencyCode, c.subjectId, c.guardianName, c.guardianRelation, c.purpose, c.sponsorId, c.evidenceRef, c.givenAt, c.withdrawnAt, c.recordedBy, c.recordedAt],
    );
  }

  ofSubject(subjectId: string): Promise<ConsentRow[]> {
    return this.ds.query(`SELECT ${COLUMNS} FROM consents WHERE subject_id = $1 ORDER BY given_at, id`, [subjectId]);
  }

  async withdraw(id: string, subjectId: string, at: Date): Promise<ConsentRow | null> {
    const rows = returnedRows<ConsentRow>(
      await this.ds.query(`UPDATE consents SET withdrawn_at = $3 WHERE id = $1 AND subject_id = $2 AND withdrawn_at IS NULL RETURNING ${COLUMNS}`, [id, subjectId, at]),
    );
    return rows[0] ?? null;
  }

  /** Retention: the guardian's name goes; the record of what was allowed stays. */
  async anonymise(em: EntityManager, subjectIds: string[]): Promise<void> {
    if (!subjectIds.length) return;
    await em.query(`UPDATE consents SET guardian_name = 'Anonim' WHERE subject_id = ANY($1::uuid[])`, [subjectIds]);
  }

  /** Which of these subjects' guardians consent, now, to sharing with this sponsor. */
  async sharingWith(em: EntityManager, sponsorId: string, subjectIds: string[], at: Date): Promise<Set<string>> {
    if (!subjectIds.length) return new Set();
    const rows: { subjectId: string }[] = await em.query(
      `SELECT DISTINCT subject_id AS "subjectId" FROM consents
        WHERE subject_id = ANY($1::uuid[]) AND purpose = 'share_with_sponsor' AND sponsor_id = $2
          AND given_at <= $3 AND (withdrawn_at IS NULL OR withdrawn_at > $3)`,
      [subjectIds, sponsorId, at],
    );
    return new Set(rows.map((r) => r.subjectId));
  }
}
