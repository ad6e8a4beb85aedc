import { createHash } from 'node:crypto';

/** One audit entry as stored; `seq`, `prevHash` and `hash` are given by the chain. */
export interface AuditEntry {
  regencyCode: string;
  at: Date;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  subjectId: string | null;
  purpose: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

export interface ChainedEntry extends AuditEntry {
  seq: number;
  prevHash: Buffer;
  hash: Buffer;
}

export const GENESIS = Buffer.alloc(32);

/** JSON with object keys sorted at every level: jsonb does not keep key order, the hash must not depend on it. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** What an entry's hash covers, as text: every field but its place in the chain. */
export function entryBody(e: AuditEntry): string {
  return canonicalJson([
    e.regencyCode,
    e.at.toISOString(),
    e.actorId,
    e.actorRole,
    e.action,
    e.entityType,
    e.entityId,
    e.subjectId,
    e.purpose,
    e.requestId,
    e.details,
  ]);
}

/**
 * sha256(previous hash ‖ entry body): changing or removing any entry, or moving it, breaks the
 * link of the one after it. PostgreSQL computes the same with sha256(prev || convert_to(body)).
 */
export function entryHash(prevHash: Buffer, e: AuditEntry): Buffer {
  return createHash('sha256').update(prevHash).update(entryBody(e), 'utf8').digest();
}

/** Extends a chain whose head is (seq, hash) with `entries`, in order. */
export function chain(head: { seq: number; hash: Buffer }, entries: AuditEntry[]): ChainedEntry[] {
  let { seq, hash } = head;
  return entries.map((e) => {
    seq += 1;
    const prevHash = hash;
    hash = entryHash(prevHash, e);
    return { ...e, seq, prevHash, hash };
  });
}

/** The first entry that does not follow from its predecessor, or null when the chain holds. */
export function firstBreak(previous: { seq: number; hash: Buffer }, rows: ChainedEntry[]): { seq: number; reason: string } | null {
  let { seq, hash } = previous;
  for (const r of rows) {
    if (r.seq !== seq + 1) return { seq: r.seq, reason: `sequence jumps from ${seq} to ${r.seq}` };
    if (!r.prevHash.equals(hash)) return { seq: r.seq, reason: 'its previous hash is not the hash of the entry before it' };
    if (!entryHash(r.prevHash, r).equals(r.hash)) return { seq: r.seq, reason: 'its content does not match its hash' };
    seq = r.seq;
    hash = r.hash;
  }
  return null;
}
