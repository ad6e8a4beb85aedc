import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PersistedSnapshot } from '../../workflow/snapshot.js';
import type { CaseContext, CaseState } from './machine/case.types.js';

export type CaseSource = 'manual' | 'eppgbm' | 'referral';

@Entity({ name: 'cases' })
export class CaseEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'regency_code', type: 'text' }) regencyCode: string;
  @Column({ name: 'subject_id', type: 'uuid' }) subjectId: string;
  @Column({ name: 'village_code', type: 'text' }) villageCode: string;
  /** Flat copy of snapshot.value, for filters and indexes. */
  @Column({ type: 'text' }) state: CaseState;
  @Column({ name: 'machine_version', type: 'integer' }) machineVersion: number;
  @Column({ type: 'jsonb' }) snapshot: PersistedSnapshot<CaseContext>;
  /** Equals the number of history entries: every change is one entry. */
  @Column({ type: 'integer' }) version: number;
  @Column({ type: 'text' }) source: CaseSource;
  @Column({ name: 'assignee_id', type: 'uuid', nullable: true }) assigneeId: string | null;
  @Column({ name: 'step_entered_at', type: 'timestamptz' }) stepEnteredAt: Date;
  @Column({ name: 'step_due_at', type: 'timestamptz', nullable: true }) stepDueAt: Date | null;
  @Column({ name: 'opened_at', type: 'timestamptz' }) openedAt: Date;
  @Column({ name: 'opened_by', type: 'uuid' }) openedBy: string;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity({ name: 'case_history' })
export class CaseHistoryEntity {
  @PrimaryColumn({ name: 'case_id', type: 'uuid' }) caseId: string;
  @PrimaryColumn({ type: 'integer' }) seq: number;
  @Column({ name: 'regency_code', type: 'text' }) regencyCode: string;
  @Column({ type: 'text' }) type: string;
  @Column({ name: 'from_state', type: 'text', nullable: true }) fromState: CaseState | null;
  @Column({ name: 'to_state', type: 'text' }) toState: CaseState;
  @Column({ type: 'jsonb' }) payload: object;
  @Column({ name: 'actor_id', type: 'uuid', nullable: true }) actorId: string | null;
  @Column({ name: 'actor_role', type: 'text', nullable: true }) actorRole: string | null;
  @Column({ name: 'machine_version', type: 'integer' }) machineVersion: number;
  @Column({ type: 'timestamptz' }) at: Date;
}

@Entity({ name: 'case_causes' })
export class CaseCauseEntity {
  @PrimaryColumn({ type: 'text' }) code: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text' }) kind: string;
}
