import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { KmsStandard } from './kms-standard.js';
import { preparedQuery } from '../../../database/prepared.js';

export const NATIONAL = '*';

export interface KmsStandardRow {
  regencyCode: string;
  version: number;
  body: Omit<KmsStandard, 'version'>;
  source: string | null;
  createdAt: Date;
}

/** The only door to kms_standards. */
@Injectable()
export class KmsStandardsRepository {
  constructor(private readonly ds: DataSource) {}

  /** The version in force of each regency: its own latest, else the latest national one. */
  async current(em: EntityManager | undefined, regencyCodes: string[]): Promise<Map<string, KmsStandardRow>> {
    const rows = await preparedQuery<KmsStandardRow>(
      em ?? this.ds.manager,
      'kms_standards_current',
      `SELECT DISTINCT ON (regency_code) regency_code AS "regencyCode", version, body, source, created_at AS "createdAt"
         FROM kms_standards WHERE regency_code = ANY($1::text[]) OR regency_code = '*' ORDER BY regency_code, version DESC`,
      [regencyCodes],
    );
    const national = rows.find((r) => r.regencyCode === NATIONAL)!;
    return new Map(regencyCodes.map((c) => [c, rows.find((r) => r.regencyCode === c) ?? national]));
  }

  /** A regency's versions, newest first, then the national ones. */
  versions(regencyCode: string): Promise<KmsStandardRow[]> {
    return this.ds.query(
      `SELECT regency_code AS "regencyCode", version, body, source, created_at AS "createdAt" FROM kms_standards
        WHERE regency_code IN ($1, '*') ORDER BY regency_code = '*', version DESC`,
      [regencyCode],
    );
  }

  /**
   * Adds the next version for a regency, numbered after every version it has read until now
   * (the national ones included), so a version number names one table within a regency.
   */
  async add(em: EntityManager, regencyCode: string, body: Omit<KmsStandard, 'version'>, source: string | null, createdBy: string, at: Date): Promise<number> {
    // One writer per regency at a time: the primary key refuses a racing second one.
    const [{ version }]: { version: number }[] = await em.query(
      `INSERT INTO kms_standards (regency_code, version, body, source, created_by, created_at)
       SELECT $1, coalesce(max(version), 0) + 1, $2::jsonb, $3, $4, $5 FROM kms_standards WHERE regency_code IN ($1, '*')
       RETURNING version`,
      [regencyCode, JSON.stringify(body), source, createdBy, at],
    );
    return version;
  }
}
