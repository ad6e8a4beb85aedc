import { describe, expect, it } from '@jest/globals';
import { initialTransition, transition } from 'xstate';
import { transitionTable } from '../../../workflow/transition-table.js';
import { aksiDocumentMachineV1 } from './aksi-document.machine.js';
import { AKSI_DOCUMENT_STATES, type AksiDocumentContext } from './aksi-document.types.js';

const CONTEXT: AksiDocumentContext = { createdAt: '2026-04-01T00:00:00.000Z', versions: 1, markedVersion: null, uploadedAt: null, acceptedAt: null, revisionReason: null };

const EVENTS: Record<string, Record<string, unknown>> = {
  ADD_VERSION: { n: 2, sha256: 'a'.repeat(64) },
  MARK_READY: {},
  UPLOAD: {},
  REQUEST_REVISION: { reason: 'tanda tangan belum ada' },
  ACCEPT: {},
  REVISE: {},
};

/** The whole table: every pair not listed is refused (the state stays). */
const ALLOWED: Record<string, Record<string, string>> = {
  draft: { ADD_VERSION: 'draft', MARK_READY: 'ready' },
  ready: { ADD_VERSION: 'draft', UPLOAD: 'uploaded', REVISE: 'draft' },
  uploaded: { ACCEPT: 'accepted', REQUEST_REVISION: 'revision_requested' },
  revision_requested: { REVISE: 'draft' },
  accepted: { REQUEST_REVISION: 'revision_requested' },
};

describe('aksi document machine v1: every (state, event) pair', () => {
  const table = transitionTable(aksiDocumentMachineV1, AKSI_DOCUMENT_STATES, EVENTS, CONTEXT);
  for (const state of AKSI_DOCUMENT_STATES) {
    for (const event of Object.keys(EVENTS)) {
      const expected = ALLOWED[state][event] ?? null;
      it(`${state} + ${event} → ${expected ?? 'refused'}`, () => expect(table[state][event]).toBe(expected));
    }
  }
});

describe('aksi document versions', () => {
  const at = '2026-04-02T00:00:00.000Z';
  const step = (s: ReturnType<typeof start>, e: Record<string, unknown>) => transition(aksiDocumentMachineV1, s, { at, ...e } as never)[0];
  const start = () => initialTransition(aksiDocumentMachineV1, { createdAt: at })[0];

  it('is not ready without a file, and a version must be the next one', () => {
    const s = start();
    expect(step(s, { type: 'MARK_READY' })).toBe(s);
    expect(step(s, { type: 'ADD_VERSION', n: 2, sha256: 'a'.repeat(64) })).toBe(s);
    expect(step(s, { type: 'ADD_VERSION', n: 1, sha256: 'a'.repeat(64) }).context.versions).toBe(1);
  });

  it('keeps the submitted version immutable until a revision, which makes version 2', () => {
    let s = step(start(), { type: 'ADD_VERSION', n: 1, sha256: 'a'.repeat(64) });
    s = step(step(s, { type: 'MARK_READY' }), { type: 'UPLOAD' });
    expect(s.value).toBe('uploaded');
    expect(s.context.markedVersion).toBe(1);
    expect(step(s, { type: 'ADD_VERSION', n: 2, sha256: 'b'.repeat(64) })).toBe(s);
    s = step(s, { type: 'REQUEST_REVISION', reason: 'kurang tanda tangan' });
    expect(step(s, { type: 'ADD_VERSION', n: 2, sha256: 'b'.repeat(64) })).toBe(s);
    s = step(step(s, { type: 'REVISE' }), { type: 'ADD_VERSION', n: 2, sha256: 'b'.repeat(64) });
    expect(s.value).toBe('draft');
    expect(s.context.versions).toBe(2);
    expect(s.context.revisionReason).toBe('kurang tanda tangan');
    expect(step(step(s, { type: 'MARK_READY' }), { type: 'UPLOAD' }).context).toMatchObject({ markedVersion: 2, revisionReason: null });
  });
});
