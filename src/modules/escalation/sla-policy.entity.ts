import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OutcomePolicy } from '../cases/machine/case.types.js';
import type { AksiPolicy, Contacts, InterventionDays, NewCasePolicy, Rung, TaskDays, VisitPolicy } from './policy.js';

@Entity({ name: 'sla_policies' })
export class SlaPolicyEntity {
  @PrimaryColumn({ name: 'regency_code', type: 'text' }) regencyCode: string;
  @Column({ type: 'jsonb' }) days: Record<string, number>;
  @Column({ type: 'jsonb' }) outcome: OutcomePolicy;
  @Column({ type: 'jsonb', nullable: true }) tasks: TaskDays | null;
  @Column({ type: 'jsonb', nullable: true }) interventions: InterventionDays | null;
  @Column({ type: 'jsonb', nullable: true }) ladder: Rung[] | null;
  @Column({ type: 'jsonb', nullable: true }) holidays: string[] | null;
  @Column({ type: 'jsonb', nullable: true }) contacts: Contacts | null;
  @Column({ type: 'jsonb', nullable: true }) visits: Partial<VisitPolicy> | null;
  @Column({ name: 'new_cases', type: 'jsonb', nullable: true }) newCases: NewCasePolicy | null;
  /** The 8 Aksi evidence ladder; null: DEFAULT_AKSI_LADDER. */
  @Column({ type: 'jsonb', nullable: true }) aksi?: Partial<AksiPolicy> | null;
  @Column({ name: 'retention_years', type: 'integer', nullable: true }) retentionYears: number | null;
  @Column({ name: 'updated_by', type: 'uuid' }) updatedBy: string;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
