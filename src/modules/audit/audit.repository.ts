import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type AuditEntry, type ChainedEntry, chain, GENESIS } from './audit-chain.js';

const COLUMNS = `regency_code AS "regencyCode", seq::int AS seq, at, actor_id AS "actorId", actor_role AS "actorRole", action, entity_type AS "entityType",
  entity_id AS "entityId", subject_id AS "subjectId", purpose, request_id AS "requestId", details, prev_hash AS "prevHash", hash`;

export interface AuditQuery {
  regencyCode: string | null;
  subjectId?: string;
  userId?: string;
  action?: string;
  from?: Date;
  to?: Date;
  /** Keyset: (at, regency_code, seq) of the last row seen. */
  after?: [string, string, number];
  limit: number;
}

/** The only door to audit_log and audit_heads. Appends only. */
@Injectable()
export class AuditRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Appends entries to their regencies' chains in one transaction. Each chain's head row is locked
   * while it grows, so writers in several processes take turns per regency and never fork it.
   */
  async append(entries: AuditEntry[]): Promise<void> {
    if (!entries.length) return;
    await this.ds.transaction(async (em) => {
      const regencies = [...new Set(entries.map((e) => e.regencyCode))].sort();
      await em.query(`INSERT INTO audit_heads (regency_code, seq, hash) SELECT r, 0, $2 FROM unnest($1::text[]) r ON CONFLICT DO NOTHING`, [regencies, GENESIS]);
      const heads: { regency_code: string; seq: string; hash: Buffer }[] = await em.query(
        `SELECT regency_code, seq, hash FROM audit_heads WHERE regency_code = ANY($1::text[]) ORDER BY regency_code FOR UPDATE`,
        [regencies],
      );
      const rows: ChainedEntry[] = [];
      const newHeads: { regencyCode: string; seq: number; hash: Buffer }[] = [];
      for (const h of heads) {
        const chained = chain({ seq: Number(h.seq), hash: h.hash }, entries.filter((e) => e.regencyCode === h.regency_code));
        rows.push(...chained);
        const last = chained[chained.length - 1];
        newHeads.push({ regencyCode: h.regency_code, seq: last.seq, hash: last.hash });
      }
      await this.insert(em, rows);
      await em.query(
        `UPDATE audit_heads h SET seq = x.seq, hash = x.hash FROM unnest($1::text[], $2::bigint[], $3::bytea[]) AS x(r, seq, hash) WHERE h.regency_code = x.r`,
        [newHeads.map((h) => h.regencyCode), newHeads.map((h) => h.seq), newHeads.map((h) => h.hash)],
      );
    });
  }

  private async insert(em: EntityManager, rows: ChainedEntry[]): Promise<void> {
    await em.query(
      `INSERT INTO audit_log (regency_code, seq, at, actor_id, actor_role, action, entity_type, entity_id, subject_id, purpose, request_id, details, prev_hash, hash)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::uuid[], $9::uuid[], $10::text[],
                            $11::text[], $12::jsonb[], $13::bytea[], $14::bytea[])`,
      [
        rows.map((r) => r.regencyCode),
        rows.map((r) => r.seq),
        rows.map((r) => r.at),
        rows.map((r) => r.actorId),
        rows.map((r) => r.actorRole),
        rows.map((r) => r.action),
        rows.map((r) => r.entityType),
        rows.map((r) => r.entityId),
        rows.map((r) => r.subjectId),
        rows.map((r) => r.purpose),
        rows.map((r) => r.requestId),
        rows.map((r) => JSON.stringify(r.details)),
        rows.map((r) => r.prevHash),
        rows.map((r) => r.hash),
      ],
    );
  }

  query(f: AuditQuery): Promise<ChainedEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, ...v: unknown[]) => {
      const base = params.length;
      params.push(...v);
      where.push(sql.replace(/\$(\d)/g, (_, i: string) => `$${base + Number(i)}`));
    };
    if (f.regencyCode !== null) add('regency_code = $1', f.regencyCode);
    if (f.subjectId) add(`(subject_id = $1::uuid OR (details ? 'subjectIds' AND details -> 'subjectIds' ? $2))`, f.subjectId, f.subjectId);
    if (f.userId) add('actor_id = $1', f.userId);
    if (f.action) add('action = $1', f.action);
    if (f.from) add('at >= $1', f.from);
    if (f.to) add('at < $1', f.to);
    if (f.after) add('(at, regency_code, seq) < ($1::timestamptz, $2::text, $3::bigint)', f.after[0], f.after[1], f.after[2]);
    params.push(f.limit + 1);
    return this.ds.query(
      `SELECT ${COLUMNS} FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY at DESC, regency_code DESC, seq DESC LIMIT $${params.length}`,
      params,
    );
  }

  regencies(): Promise<string[]> {
    return this.ds.query(`SELECT regency_code AS r FROM audit_heads ORDER BY 1`).then((rows: { r: string }[]) => rows.map((x) => x.r));
  }

  /** A page of one chain in order, from `afterSeq`. */
  page(regencyCode: string, afterSeq: number, limit: number): Promise<ChainedEntry[]> {
    return this.ds.query(`SELECT ${COLUMNS} FROM audit_log WHERE regency_code = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [regencyCode, afterSeq, limit]);
  }

  async head(regencyCode: string): Promise<{ seq: number; hash: Buffer } | null> {
    const [h] = (await this.ds.query(`SELECT seq, hash FROM audit_heads WHERE regency_code = $1`, [regencyCode])) as { seq: string; hash: Buffer }[];
    return h ? { seq: Number(h.seq), hash: h.hash } : null;
  }
}
