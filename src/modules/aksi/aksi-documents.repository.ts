import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { LifecycleRow } from '../../workflow/lifecycle.js';
import type { AksiDocumentContext, AksiDocumentState, AksiDocumentType } from './machine/aksi-document.types.js';

export interface AksiDocumentRow extends LifecycleRow<AksiDocumentState, AksiDocumentContext> {
  year: number;
  action: number;
  type: AksiDocumentType;
  title: string;
  ownerOpdId: string;
  createdBy: string;
  createdAt: Date;
}

export interface AksiVersionRow {
  documentId: string;
  n: number;
  sha256: string;
  size: number;
  contentType: string;
  filename: string;
  uploadedBy: string;
  uploadedAt: Date;
}

const COLUMNS = `id, regency_code AS "regencyCode", year, action, type, title, owner_opd_id AS "ownerOpdId", state,
  machine_version AS "machineVersion", snapshot, version, step_due_at AS "stepDueAt", created_by AS "createdBy",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/** The only door to aksi_documents and their versions (the kernel writes their moves and history). */
@Injectable()
export class AksiDocumentsRepository {
  /** A document within a regency (null: any regency). */
  async findInScope(em: EntityManager, id: string, regencyCode: string | null): Promise<AksiDocumentRow | null> {
    const rows: AksiDocumentRow[] = await em.query(`SELECT ${COLUMNS} FROM aksi_documents WHERE id = $1 AND ($2::text IS NULL OR regency_code = $2)`, [id, regencyCode]);
    return rows[0] ?? null;
  }

  findMany(em: EntityManager, ids: string[]): Promise<AksiDocumentRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return em.query(`SELECT ${COLUMNS} FROM aksi_documents WHERE id = ANY($1::uuid[])`, [ids]);
  }

  list(em: EntityManager, f: { regencyCode: string; year: number; action?: number; state?: string; limit: number }): Promise<AksiDocumentRow[]> {
    return em.query(
      `SELECT ${COLUMNS} FROM aksi_documents
        WHERE regency_code = $1 AND year = $2 AND ($3::int IS NULL OR action = $3) AND ($4::text IS NULL OR state = $4)
        ORDER BY action, created_at, id LIMIT $5`,
      [f.regencyCode, f.year, f.action ?? null, f.state ?? null, f.limit],
    );
  }

  /** How many of the year's documents each action has in each state. */
  countsByAction(em: EntityManager, regencyCode: string, year: number): Promise<{ action: number; state: AksiDocumentState; n: number }[]> {
    return em.query(
      `SELECT action, state, count(*)::int AS n FROM aksi_documents WHERE regency_code = $1 AND year = $2 GROUP BY action, state`,
      [regencyCode, year],
    );
  }

  /** The year's documents still being prepared (draft, or sent back for revision). */
  preparing(em: EntityManager, regencyCode: string, year: number): Promise<AksiDocumentRow[]> {
    return em.query(
      `SELECT ${COLUMNS} FROM aksi_documents WHERE regency_code = $1 AND year = $2 AND state IN ('draft', 'revision_requested')
        ORDER BY action, created_at, id`,
      [regencyCode, year],
    );
  }

  async version(em: EntityManager, documentId: string, n: number): Promise<AksiVersionRow | null> {
    return (await this.versions(em, [documentId])).find((v) => v.n === n) ?? null;
  }

  /** Documents of the year whose preparation step is open, in these regencies (a changed cycle re-times them). */
  openSteps(em: EntityManager, year: number, regencyCodes: string[] | { provinceCode: string; except: string[] }): Promise<AksiDocumentRow[]> {
    const byProvince = !Array.isArray(regencyCodes);
    return em.query(
      `SELECT ${COLUMNS} FROM aksi_documents
        WHERE year = $1 AND step_due_at IS NOT NULL
          AND (CASE WHEN $2 THEN left(regency_code, 2) = $3 AND NOT regency_code = ANY($4::text[]) ELSE regency_code = ANY($4::text[]) END)`,
      [year, byProvince, byProvince ? regencyCodes.provinceCode : null, byProvince ? regencyCodes.except : regencyCodes],
    );
  }

  async setStepDue(em: EntityManager, ids: string[], dueAt: Date): Promise<void> {
    if (!ids.length) return;
    await em.query(`UPDATE aksi_documents SET step_due_at = $2 WHERE id = ANY($1::uuid[])`, [ids, dueAt]);
  }

  async insert(em: EntityManager, rows: AksiDocumentRow[]): Promise<void> {
    for (const r of rows) {
      await em.query(
        `INSERT INTO aksi_documents (id, regency_code, year, action, type, title, owner_opd_id, state, machine_version, snapshot, version, step_due_at,
                                     created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
        [r.id, r.regencyCode, r.year, r.action, r.type, r.title, r.ownerOpdId, r.state, r.machineVersion, JSON.stringify(r.snapshot), r.version, r.stepDueAt,
          r.createdBy, r.createdAt, r.updatedAt],
      );
    }
  }

  async insertVersion(em: EntityManager, v: AksiVersionRow): Promise<void> {
    await em.query(
      `INSERT INTO aksi_document_versions (document_id, n, sha256, size, content_type, filename, uploaded_by, uploaded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [v.documentId, v.n, v.sha256, v.size, v.contentType, v.filename, v.uploadedBy, v.uploadedAt],
    );
  }

  async versions(em: EntityManager, ids: string[]): Promise<AksiVersionRow[]> {
    if (!ids.length) return [];
    const rows: (AksiVersionRow & { size: string | number })[] = await em.query(
      `SELECT document_id AS "documentId", n, sha256, size, content_type AS "contentType", filename, uploaded_by AS "uploadedBy", uploaded_at AS "uploadedAt"
         FROM aksi_document_versions WHERE document_id = ANY($1::uuid[]) ORDER BY document_id, n`,
      [ids],
    );
    return rows.map((r) => ({ ...r, size: Number(r.size) }));
  }
}
