import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { returnedRows } from '../../database/prepared.js';
import { preparedQuery } from '../../database/prepared.js';

export type ExportStatus = 'pending' | 'sent' | 'invalid' | 'dead';
export type ExportKind = 'create' | 'correction';

export interface ExportRow {
  id: string;
  regencyCode: string;
  measurementId: string;
  kind: ExportKind;
  status: ExportStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

export interface SettingsRow {
  regencyCode: string;
  enabled: boolean;
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecretEnc: Buffer;
  organizationId: string;
  zscoreSystem: string | null;
  updatedBy: string;
  updatedAt: Date;
}

const COLUMNS = `id, regency_code AS "regencyCode", measurement_id AS "measurementId", kind, status, attempts, next_attempt_at AS "nextAttemptAt",
  last_error AS "lastError", created_at AS "createdAt", sent_at AS "sentAt"`;
const LEASED = `e.id, e.regency_code AS "regencyCode", e.measurement_id AS "measurementId", e.kind, e.status, e.attempts,
  e.next_attempt_at AS "nextAttemptAt", e.last_error AS "lastError", e.created_at AS "createdAt", e.sent_at AS "sentAt"`;
const SETTINGS = `regency_code AS "regencyCode", enabled, base_url AS "baseUrl", token_url AS "tokenUrl", client_id AS "clientId",
  client_secret_enc AS "clientSecretEnc", organization_id AS "organizationId", zscore_system AS "zscoreSystem", updated_by AS "updatedBy",
  updated_at AS "updatedAt"`;

/** The only door to fhir_exports (the export outbox) and fhir_export_settings. */
@Injectable()
export class FhirExportsRepository {
  constructor(private readonly ds: DataSource) {}

  /** Which of these regencies have the export switched on (usually none: the import then queues nothing and makes no ids). */
  async enabledAmong(em: EntityManager, regencyCodes: string[]): Promise<Set<string>> {
    const rows = await preparedQuery<{ regencyCode: string }>(
      em,
      'fhir_export_enabled_among',
      `SELECT regency_code AS "regencyCode" FROM fhir_export_settings WHERE regency_code = ANY($1::text[]) AND enabled`,
      [regencyCodes],
    );
    return new Set(rows.map((r) => r.regencyCode));
  }

  /**
   * Queues one export per stored reading of a regency whose export is on, in the reading's
   * transaction and in one statement whatever the batch size (the e-PPGBM import's speed):
   * a regency with the export off costs one join that finds no settings row.
   */
  async queue(em: EntityManager, rows: { exportId: string; measurementId: string; measuredOn: string; regencyCode: string }[], kind: ExportKind, now: Date): Promise<void> {
    if (!rows.length) return;
    // measured_on: the reading's key is (id, measured_on), measurements being partitioned by month.
    await em.query(
      `INSERT INTO fhir_exports (id, regency_code, measurement_id, measured_on, kind, status, attempts, next_attempt_at, created_at)
       SELECT r.id, r.regency_code, r.measurement_id, r.measured_on, $4, 'pending', 0, $5, $5
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $6::date[]) AS r(id, measurement_id, regency_code, measured_on)
         JOIN fhir_export_settings s ON s.regency_code = r.regency_code AND s.enabled`,
      [rows.map((r) => r.exportId), rows.map((r) => r.measurementId), rows.map((r) => r.regencyCode), kind, now, rows.map((r) => r.measuredOn)],
    );
  }

  /**
   * Takes up to `limit` due exports and pushes their next attempt to `leaseUntil`, in one
   * statement: a worker that dies while sending leaves them to be sent again after the lease,
   * and the receiver's ifNoneExist turns that resend into nothing new.
   */
  async lease(now: Date, leaseUntil: Date, limit: number): Promise<ExportRow[]> {
    const result: unknown = await this.ds.query(
      `WITH due AS (
         SELECT id FROM fhir_exports WHERE status = 'pending' AND next_attempt_at <= $1
          ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
       UPDATE fhir_exports e SET next_attempt_at = $2, attempts = e.attempts + 1
         FROM due WHERE e.id = due.id
       RETURNING ${LEASED}`,
      [now, leaseUntil, limit],
    );
    return returnedRows<ExportRow>(result);
  }

  async markSent(id: string, at: Date): Promise<void> {
    await this.ds.query(`UPDATE fhir_exports SET status = 'sent', sent_at = $2, next_attempt_at = NULL, last_error = NULL WHERE id = $1 AND status = 'pending'`, [id, at]);
  }

  /** `retryAt` null: dead-lettered; `status` 'invalid': the bundle failed validation and is never sent. */
  async markFailed(id: string, error: string, retryAt: Date | null, status: 'pending' | 'dead' | 'invalid' = retryAt ? 'pending' : 'dead'): Promise<void> {
    await this.ds.query(
      `UPDATE fhir_exports SET status = $4, next_attempt_at = $3, last_error = $2 WHERE id = $1 AND status = 'pending'`,
      [id, error.slice(0, 2000), status === 'pending' ? retryAt : null, status],
    );
  }

  /** A dead or invalid export goes back in the queue with a fresh set of attempts. */
  async retry(id: string, regencyCode: string | null, now: Date): Promise<boolean> {
    const rows = returnedRows(
      await this.ds.query(
        `UPDATE fhir_exports SET status = 'pending', attempts = 0, next_attempt_at = $3
          WHERE id = $1 AND status IN ('dead', 'invalid') AND ($2::text IS NULL OR regency_code = $2) RETURNING id`,
        [id, regencyCode, now],
      ),
    );
    return rows.length === 1;
  }

  find(id: string, regencyCode: string | null): Promise<ExportRow | undefined> {
    return this.ds
      .query(`SELECT ${COLUMNS} FROM fhir_exports WHERE id = $1 AND ($2::text IS NULL OR regency_code = $2)`, [id, regencyCode])
      .then((rows: ExportRow[]) => rows[0]);
  }

  /** Exports of a regency (all for null), newest first, limit+1 rows. */
  list(f: { regencyCode: string | null; status?: ExportStatus; from?: Date; to?: Date; after?: [string, string]; limit: number }): Promise<ExportRow[]> {
    return this.ds.query(
      `SELECT ${COLUMNS} FROM fhir_exports
        WHERE ($1::text IS NULL OR regency_code = $1) AND ($2::text IS NULL OR status = $2)
          AND ($3::timestamptz IS NULL OR created_at >= $3) AND ($4::timestamptz IS NULL OR created_at < $4)
          AND ($5::timestamptz IS NULL OR (created_at, id) < ($5::timestamptz, $6::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $7`,
      [f.regencyCode, f.status ?? null, f.from ?? null, f.to ?? null, f.after?.[0] ?? null, f.after?.[1] ?? null, f.limit + 1],
    );
  }

  settings(regencyCodes: string[]): Promise<SettingsRow[]> {
    if (!regencyCodes.length) return Promise.resolve([]);
    return this.ds.query(`SELECT ${SETTINGS} FROM fhir_export_settings WHERE regency_code = ANY($1::text[])`, [regencyCodes]);
  }

  async putSettings(s: SettingsRow): Promise<void> {
    await this.ds.query(
      `INSERT INTO fhir_export_settings (regency_code, enabled, base_url, token_url, client_id, client_secret_enc, organization_id, zscore_system,
                                         updated_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (regency_code) DO UPDATE SET enabled = EXCLUDED.enabled, base_url = EXCLUDED.base_url, token_url = EXCLUDED.token_url,
         client_id = EXCLUDED.client_id, client_secret_enc = EXCLUDED.client_secret_enc, organization_id = EXCLUDED.organization_id,
         zscore_system = EXCLUDED.zscore_system, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
      [s.regencyCode, s.enabled, s.baseUrl, s.tokenUrl, s.clientId, s.clientSecretEnc, s.organizationId, s.zscoreSystem, s.updatedBy, s.updatedAt],
    );
  }
}
