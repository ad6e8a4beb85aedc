import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { preparedQuery } from '../../database/prepared.js';
import { type AuditEntry, type ChainedEntry, entryBody, GENESIS } from './audit-chain.js';

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

  /** Regencies whose head row this process has seen: it exists from then on. */
  private readonly heads = new Set<string>();

  /**
   * Appends entries to their regencies' chains, one statement per regency: the head row is
   * locked, PostgreSQL extends the chain (sha256 of the previous hash and each entry's body),
   * inserts the entries and moves the head, atomically and in one round trip. Writers in other
   * processes wait on the head's lock, so a chain never forks.
   */
  async append(entries: AuditEntry[]): Promise<void> {
    const em = this.ds.manager;
    for (const regencyCode of [...new Set(entries.map((e) => e.regencyCode))].sort()) {
      const mine = entries.filter((e) => e.regencyCode === regencyCode);
      if (!this.heads.has(regencyCode)) {
        await em.query(`INSERT INTO audit_heads (regency_code, seq, hash) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING`, [regencyCode, GENESIS]);
        this.heads.add(regencyCode);
      }
      // A named prepared statement: the recursive CTE is planned once per connection, not per batch.
      await preparedQuery(
        em,
        'audit_append',
        `WITH RECURSIVE head AS (SELECT seq, hash FROM audit_heads WHERE regency_code = $1 FOR UPDATE),
         e AS (SELECT * FROM unnest($2::text[], $3::timestamptz[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::uuid[], $9::uuid[], $10::text[],
                                    $11::text[], $12::jsonb[]) WITH ORDINALITY
                 AS x(body, at, actor_id, actor_role, action, entity_type, entity_id, subject_id, purpose, request_id, details, ord)),
         chained AS (
           SELECT e.ord, h.seq + 1 AS seq, h.hash AS prev_hash, sha256(h.hash || convert_to(e.body, 'UTF8')) AS hash FROM head h JOIN e ON e.ord = 1
           UNION ALL
           SELECT e.ord, c.seq + 1, c.hash, sha256(c.hash || convert_to(e.body, 'UTF8')) FROM chained c JOIN e ON e.ord = c.ord + 1),
         written AS (
           INSERT INTO audit_log (regency_code, seq, at, actor_id, actor_role, action, entity_type, entity_id, subject_id, purpose, request_id, details,
                                  prev_hash, hash)
           SELECT $1, c.seq, e.at, e.actor_id, e.actor_role, e.action, e.entity_type, e.entity_id, e.subject_id, e.purpose, e.request_id, e.details,
                  c.prev_hash, c.hash
             FROM chained c JOIN e ON e.ord = c.ord),
         last AS (SELECT seq, hash FROM chained ORDER BY ord DESC LIMIT 1)
         UPDATE audit_heads h SET seq = last.seq, hash = last.hash FROM last WHERE h.regency_code = $1`,
        [
          regencyCode,
          mine.map((e) => entryBody(e)),
          mine.map((e) => e.at),
          mine.map((e) => e.actorId),
          mine.map((e) => e.actorRole),
          mine.map((e) => e.action),
          mine.map((e) => e.entityType),
          mine.map((e) => e.entityId),
          mine.map((e) => e.subjectId),
          mine.map((e) => e.purpose),
          mine.map((e) => e.requestId),
          mine.map((e) => JSON.stringify(e.details)),
        ],
      );
    }
  }

  query(f: AuditQuery): Promise<ChainedEntry[]> {
    return this.ds.query(...this.statement(f));
  }

  /**
   * The statement `query` sends, with its parameters (for EXPLAIN). A period's `from`/`to` bound
   * `at`, the partition key of audit_log: only the months of the period are scanned.
   */
  statement(f: AuditQuery): [string, unknown[]] {
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
    return [
      `SELECT ${COLUMNS} FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY at DESC, regency_code DESC, seq DESC LIMIT $${params.length}`,
      params,
    ];
  }

  regencies(): Promise<string[]> {
    return this.ds.query(`SELECT regency_code AS r FROM audit_heads ORDER BY 1`).then((rows: { r: string }[]) => rows.map((x) => x.r));
  }

  /** A page of one chain in order, from `afterSeq`. */
  page(regencyCode: string, afterSeq: number, limit: number): Promise<ChainedEntry[]> {
    return this.ds.query(`SELECT ${COLUMNS} FROM audit_log WHERE regency_code = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [regencyCode, afterSeq, limit]);
  }

  /**
   * Where a chain's verification starts when its oldest months were dropped (retention by
   * partition): the `audit_log.partition_dropped` entry that names the seq just before `firstSeq`.
   */
  async droppedBefore(regencyCode: string, firstSeq: number): Promise<{ seq: number; hash: Buffer } | null> {
    const [d] = (await this.ds.query(
      `SELECT details FROM audit_log WHERE regency_code = $1 AND action = 'audit_log.partition_dropped' AND (details ->> 'lastSeq')::bigint = $2 LIMIT 1`,
      [regencyCode, firstSeq - 1],
    )) as { details: { lastSeq: number; lastHash: string } }[];
    return d ? { seq: Number(d.details.lastSeq), hash: Buffer.from(d.details.lastHash, 'hex') } : null;
  }

  async head(regencyCode: string): Promise<{ seq: number; hash: Buffer } | null> {
    const [h] = (await this.ds.query(`SELECT seq, hash FROM audit_heads WHERE regency_code = $1`, [regencyCode])) as { seq: string; hash: Buffer }[];
    return h ? { seq: Number(h.seq), hash: h.hash } : null;
  }
}
