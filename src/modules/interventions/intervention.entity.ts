import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PersistedSnapshot } from '../../workflow/snapshot.js';
import type { InterventionContext, InterventionState } from './machine/intervention.types.js';

const bigint = { from: (v: string | null) => (v === null ? null : Number(v)), to: (v: number | null) => v };

@Entity({ name: 'interventions' })
export class InterventionEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'regency_code', type: 'text' }) regencyCode: string;
  @Column({ name: 'case_id', type: 'uuid' }) caseId: string;
  @Column({ name: 'sponsor_id', type: 'uuid' }) sponsorId: string;
  @Column({ name: 'catalogue_code', type: 'text' }) catalogueCode: string;
  @Column({ type: 'text' }) state: InterventionState;
  @Column({ name: 'machine_version', type: 'integer' }) machineVersion: number;
  @Column({ type: 'jsonb' }) snapshot: PersistedSnapshot<InterventionContext>;
  @Column({ type: 'integer' }) version: number;
  @Column({ name: 'planned_start', type: 'date' }) plannedStart: string;
  @Column({ name: 'planned_days', type: 'integer' }) plannedDays: number;
  @Column({ name: 'cadence_days', type: 'integer' }) cadenceDays: number;
  @Column({ type: 'text' }) unit: string;
  @Column({ name: 'budget_idr', type: 'bigint', transformer: bigint }) budgetIdr: number;
  @Column({ name: 'spent_idr', type: 'bigint', transformer: bigint }) spentIdr: number;
  @Column({ type: 'integer' }) deliveries: number;
  @Column({ name: 'last_delivered_at', type: 'timestamptz', nullable: true }) lastDeliveredAt: Date | null;
  @Column({ name: 'step_due_at', type: 'timestamptz', nullable: true }) stepDueAt: Date | null;
  @Column({ name: 'created_by', type: 'uuid' }) createdBy: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity({ name: 'intervention_history' })
export class InterventionHistoryEntity {
  @PrimaryColumn({ name: 'intervention_id', type: 'uuid' }) interventionId: string;
  @PrimaryColumn({ type: 'integer' }) seq: number;
  @Column({ name: 'regency_code', type: 'text' }) regencyCode: string;
  @Column({ type: 'text' }) type: string;
  @Column({ name: 'from_state', type: 'text', nullable: true }) fromState: InterventionState | null;
  @Column({ name: 'to_state', type: 'text' }) toState: InterventionState;
  @Column({ type: 'jsonb' }) payload: object;
  @Column({ name: 'actor_id', type: 'uuid', nullable: true }) actorId: string | null;
  @Column({ name: 'actor_role', type: 'text', nullable: true }) actorRole: string | null;
  @Column({ name: 'machine_version', type: 'integer' }) machineVersion: number;
  @Column({ type: 'timestamptz' }) at: Date;
}

export interface DeliveryRow {
  id: string;
  regencyCode: string;
  interventionId: string;
  deliveredAt: Date;
  quantity: number;
  unit: string;
  amountIdr: number | null;
  note: string | null;
  evidenceRef: string | null;
  onTime: boolean;
  recordedBy: string;
  recordedAt: Date;
}

export interface CatalogueEntry {
  code: string;
  name: string;
  nameEn: string;
  kind: 'spesifik' | 'sensitif';
  targetGroups: string[];
  defaultDays: number;
  cadenceDays: number;
  unit: string;
  opdCode: string;
  /** '' for the national catalogue, else the regency that added it. */
  scope: string;
  retired: boolean;
}
