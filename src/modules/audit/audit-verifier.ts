import type { DataSource } from 'typeorm';
import { firstBreak, GENESIS } from './audit-chain.js';
import { AuditRepository } from './audit.repository.js';

export interface VerifyResult {
  regencies: number;
  entries: number;
  broken: { regencyCode: string; seq: number; reason: string }[];
}

const PAGE = 5000;

/**
 * Walks every regency's chain from its first entry (or, when its oldest months were dropped past
 * retention, from the entry after the one that `audit_log.partition_dropped` names), recomputing each hash, and checks the chain's
 * end against its head row. Names the first broken entry of each broken chain.
 */
export async function verifyAuditChains(ds: DataSource, only?: string): Promise<VerifyResult> {
  const repo = new AuditRepository(ds);
  const regencies = only !== undefined ? [only] : await repo.regencies();
  const result: VerifyResult = { regencies: regencies.length, entries: 0, broken: [] };
  for (const regencyCode of regencies) {
    let last: { seq: number; hash: Buffer } = { seq: 0, hash: GENESIS };
    let broken: { seq: number; reason: string } | null = null;
    for (;;) {
      const rows = await repo.page(regencyCode, last.seq, PAGE);
      if (!rows.length) break;
      if (last.seq === 0 && rows[0].seq > 1) last = (await repo.droppedBefore(regencyCode, rows[0].seq)) ?? last;
      result.entries += rows.length;
      broken = firstBreak(last, rows);
      if (broken) break;
      last = { seq: rows[rows.length - 1].seq, hash: rows[rows.length - 1].hash };
    }
    if (!broken) {
      const head = await repo.head(regencyCode);
      if (head && (head.seq !== last.seq || !head.hash.equals(last.hash))) {
        broken = { seq: last.seq + 1, reason: `the chain ends at ${last.seq} but its head says ${head.seq}: entries are missing` };
      }
    }
    if (broken) result.broken.push({ regencyCode, ...broken });
  }
  return result;
}
