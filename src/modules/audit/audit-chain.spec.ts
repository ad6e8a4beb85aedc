import { describe, expect, it } from '@jest/globals';
import { type AuditEntry, canonicalJson, chain, firstBreak, GENESIS } from './audit-chain.js';

const entry = (i: number): AuditEntry => ({
  regencyCode: '3216',
  at: new Date(Date.UTC(2026, 10, 23, 3, 0, i)),
  actorId: '00000000-0000-4000-8000-000000000001',
  actorRole: 'case_manager',
  action: 'subject.read',
  entityType: 'subject',
  entityId: null,
  subjectId: null,
  purpose: null,
  requestId: `r${i}`,
  details: { b: 1, a: [i, { z: 1, y: 2 }] },
});

describe('audit hash chain', () => {
  it('hashes independent of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: 1, c: 2 } })).toBe(canonicalJson({ a: { c: 2, d: 1 }, b: 1 }));
  });

  it('holds when untouched and names the first entry changed, removed or reordered', () => {
    const rows = chain({ seq: 0, hash: GENESIS }, [1, 2, 3, 4].map(entry));
    expect(firstBreak({ seq: 0, hash: GENESIS }, rows)).toBeNull();
    const tampered = rows.map((r) => ({ ...r }));
    tampered[2] = { ...tampered[2], action: 'subject.search' };
    expect(firstBreak({ seq: 0, hash: GENESIS }, tampered)).toEqual({ seq: 3, reason: 'its content does not match its hash' });
    expect(firstBreak({ seq: 0, hash: GENESIS }, [rows[0], rows[2], rows[3]])).toEqual({ seq: 3, reason: 'sequence jumps from 1 to 3' });
    const continued = chain({ seq: 4, hash: rows[3].hash }, [entry(5)]);
    expect(firstBreak({ seq: 4, hash: rows[3].hash }, continued)).toBeNull();
  });
});
