export const AKSI_ACTIONS = [1, 2, 3, 4, 5, 6, 7, 8] as const;

export const AKSI_DOCUMENT_TYPES = ['situation_analysis', 'activity_plan', 'rembuk_minutes', 'perbup', 'kpm_decree', 'publication', 'review_report', 'other'] as const;
export type AksiDocumentType = (typeof AKSI_DOCUMENT_TYPES)[number];

export const AKSI_DOCUMENT_STATES = ['draft', 'ready', 'uploaded', 'revision_requested', 'accepted'] as const;
export type AksiDocumentState = (typeof AKSI_DOCUMENT_STATES)[number];

/** Events a user sends through POST /aksi/documents/:id/events. */
export const AKSI_DOCUMENT_EVENT_TYPES = ['MARK_READY', 'UPLOAD', 'REQUEST_REVISION', 'ACCEPT', 'REVISE'] as const;
/** ADD_VERSION is sent by the versions route only, with the stored file's description. */
export type AksiDocumentEventType = (typeof AKSI_DOCUMENT_EVENT_TYPES)[number] | 'ADD_VERSION';

/** States in which the file may not change: a revision must put the document back to draft first. */
export const IMMUTABLE_STATES: readonly AksiDocumentState[] = ['uploaded', 'revision_requested', 'accepted'];

export interface AksiDocumentContext {
  createdAt: string;
  /** How many file versions the document has; the latest is the current one. */
  versions: number;
  /** The version marked ready, submitted or accepted; null in draft. */
  markedVersion: number | null;
  uploadedAt: string | null;
  acceptedAt: string | null;
  /** The province's last reason for a revision. */
  revisionReason: string | null;
}

export interface AksiDocumentInput {
  createdAt: string;
}

interface Timed {
  at: string;
}

export type AksiDocumentEvent = Timed &
  (
    | { type: 'ADD_VERSION'; n: number; sha256: string }
    | { type: 'MARK_READY'; note?: string }
    | { type: 'UPLOAD'; note?: string }
    | { type: 'REQUEST_REVISION'; reason: string }
    | { type: 'ACCEPT'; note?: string }
    | { type: 'REVISE'; note?: string }
  );
