import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PersistedSnapshot } from '../../workflow/snapshot.js';
import type { TaskContext, TaskState } from './machine/task.types.js';

@Entity({ name: 'tasks' })
export class TaskEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'regency_code', type: 'text' }) regencyCode: string;
  /** The case whose audit asked for it; null for a referral, which is about `subjectId`. */
  @Column({ name: 'case_id', type: 'uuid', nullable: true }) caseId: string | null;
  /** A referral's child (an early-warning flag without a case); null for a case's task. */
  @Column({ name: 'subject_id', type: 'uuid', nullable: true }) subjectId: string | null;
  /** A referral's evidence: the flag and the reading that raised it. */
  @Column({ type: 'jsonb', nullable: true }) evidence: { flag: string; measurementId: string; raisedOn: string } | null;
  @Column({ name: 'opd_id', type: 'uuid' }) opdId: string;
  @Column({ type: 'text' }) action: string;
  @Column({ type: 'text' }) state: TaskState;
  @Column({ name: 'machine_version', type: 'integer' }) machineVersion: number;
  @Column({ type: 'jsonb' }) snapshot: PersistedSnapshot<TaskContext>;
  @Column({ type: 'integer' }) version: number;
  @Column({ name: 'ack_due_at', type: 'timestamptz' }) ackDueAt: Date;
  @Column({ name: 'due_at', type: 'timestamptz' }) dueAt: Date;
  @Column({ name: 'step_due_at', type: 'timestamptz', nullable: true }) stepDueAt: Date | null;
  @Column({ name: 'replaces_task_id', type: 'uuid', nullable: true }) replacesTaskId: string | null;
  @Column({ name: 'created_by', type: 'uuid' }) createdBy: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity({ name: 'task_history' })
export class TaskHistoryEntity {
  @PrimaryColumn({ name: 'task_id', type: 'uuid' }) taskId: string;
  @PrimaryColumn({ type: 'integer' }) seq: number;
  @Column({ name: 'regency_code', type: 'text' }) regencyCode: string;
  @Column({ type: 'text' }) type: string;
  @Column({ name: 'from_state', type: 'text', nullable: true }) fromState: TaskState | null;
  @Column({ name: 'to_state', type: 'text' }) toState: TaskState;
  @Column({ type: 'jsonb' }) payload: object;
  @Column({ name: 'actor_id', type: 'uuid', nullable: true }) actorId: string | null;
  @Column({ name: 'actor_role', type: 'text', nullable: true }) actorRole: string | null;
  @Column({ name: 'machine_version', type: 'integer' }) machineVersion: number;
  @Column({ type: 'timestamptz' }) at: Date;
}
