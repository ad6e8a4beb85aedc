import { assign, setup } from 'xstate';
import type { AksiDocumentContext, AksiDocumentEvent, AksiDocumentInput } from './aksi-document.types.js';

/**
 * Version 1 of an 8 Aksi evidence document: draft → ready → uploaded (submitted to the province)
 * → accepted, or → revision_requested → draft (REVISE) and round again. A new file version in
 * draft stays in draft; in ready it takes the document back to draft (the ready mark was for the
 * previous file). Uploaded, revision_requested and accepted take no file: the submitted version
 * is immutable. Pure: the deadline lives in the database, guards read no clock.
 */
export const aksiDocumentMachineV1 = setup({
  types: { context: {} as AksiDocumentContext, events: {} as AksiDocumentEvent, input: {} as AksiDocumentInput },
  guards: {
    hasVersion: ({ context }) => context.versions > 0,
    isNextVersion: ({ context, event }) => event.type === 'ADD_VERSION' && event.n === context.versions + 1,
  },
  actions: {
    addVersion: assign(({ context }) => ({ versions: context.versions + 1, markedVersion: null })),
    mark: assign(({ context }) => ({ markedVersion: context.versions })),
    unmark: assign(() => ({ markedVersion: null, uploadedAt: null, acceptedAt: null })),
    upload: assign(({ event }) => ({ uploadedAt: event.at, revisionReason: null })),
    accept: assign(({ event }) => ({ acceptedAt: event.at })),
    requestRevision: assign(({ event }) => (event.type === 'REQUEST_REVISION' ? { revisionReason: event.reason, acceptedAt: null } : {})),
  },
}).createMachine({
  id: 'aksi_document',
  version: '1',
  initial: 'draft',
  // Evaluated without input for the inert actor behind every pure transition(): must not throw.
  context: ({ input }) => ({
    createdAt: input?.createdAt ?? '',
    versions: 0,
    markedVersion: null,
    uploadedAt: null,
    acceptedAt: null,
    revisionReason: null,
  }),
  states: {
    draft: {
      on: {
        ADD_VERSION: { target: 'draft', guard: 'isNextVersion', actions: 'addVersion' },
        MARK_READY: { target: 'ready', guard: 'hasVersion', actions: 'mark' },
      },
    },
    ready: {
      on: {
        ADD_VERSION: { target: 'draft', guard: 'isNextVersion', actions: 'addVersion' },
        UPLOAD: { target: 'uploaded', actions: 'upload' },
        REVISE: { target: 'draft', actions: 'unmark' },
      },
    },
    uploaded: {
      on: {
        ACCEPT: { target: 'accepted', actions: 'accept' },
        REQUEST_REVISION: { target: 'revision_requested', actions: 'requestRevision' },
      },
    },
    revision_requested: { on: { REVISE: { target: 'draft', actions: 'unmark' } } },
    // The province may still reopen an accepted document (a verification finding).
    accepted: { on: { REQUEST_REVISION: { target: 'revision_requested', actions: 'requestRevision' } } },
  },
});

export type AksiDocumentMachine = typeof aksiDocumentMachineV1;

/** Every released version; never edit one in place, add the next. */
export const AKSI_DOCUMENT_MACHINES: Readonly<Record<number, AksiDocumentMachine>> = { 1: aksiDocumentMachineV1 };
export const LATEST_AKSI_DOCUMENT_MACHINE = 1;

export function aksiDocumentMachine(version: number): AksiDocumentMachine {
  const machine = AKSI_DOCUMENT_MACHINES[version];
  if (!machine) throw new Error(`no aksi document machine version ${version}`);
  return machine;
}
