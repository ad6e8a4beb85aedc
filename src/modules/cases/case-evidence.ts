import type { EntityManager } from 'typeorm';
import type { Actor } from '../identity/actor.js';
import type { SubjectSummaryRow } from '../subjects/subjects.service.js';

/**
 * What a case needs from the child's readings: the outcome a RESOLVE is decided on, and a
 * RECORD_REMEASUREMENT's reading stored as the child's measurement in the event's transaction.
 * The growth module provides it: growth depends on cases (a reading opens and moves cases), so
 * cases reaches it through this token, the one deliberate cycle between the two.
 */
export const CASE_EVIDENCE = Symbol('CaseEvidence');

export interface CaseEvidence {
  /** The HAZ at identification and the latest plausible HAZ of a subject, or null without one. */
  outcome(em: EntityManager, subjectId: string, identifiedAt: string): Promise<{ latestHaz: number; baselineHaz: number } | null>;
  /** Stores the reading as the child's measurement, linked to the case; its id and HAZ, or why it cannot count. */
  recordReading(
    em: EntityManager,
    actor: Actor,
    c: { caseId: string; subjectId: string },
    reading: { measuredAt: string; heightCm: number; weightKg?: number; method: 'recumbent' | 'standing' },
    /** The child as the case's own read found it (null: restricted), to spare a second read. */
    known?: SubjectSummaryRow | null,
  ): Promise<{ measurementId: string; haz: number | null; problem: string | null }>;
}
