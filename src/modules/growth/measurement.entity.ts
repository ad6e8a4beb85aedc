import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TrendCode } from './kms/trends.js';
import type { Position } from './who/who-growth.js';

@Entity({ name: 'measurements' })
export class MeasurementEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'regency_code', type: 'text' }) regencyCode: string;
  @Column({ name: 'subject_id', type: 'uuid' }) subjectId: string;
  @Column({ name: 'measured_on', type: 'date' }) measuredOn: string;
  @Column({ name: 'age_days', type: 'integer' }) ageDays: number;
  @Column({ name: 'weight_kg', type: 'double precision', nullable: true }) weightKg: number | null;
  @Column({ name: 'height_cm', type: 'double precision', nullable: true }) heightCm: number | null;
  @Column({ type: 'text', nullable: true }) method: Position | null;
  @Column({ name: 'muac_cm', type: 'double precision', nullable: true }) muacCm: number | null;
  @Column({ name: 'head_cm', type: 'double precision', nullable: true }) headCm: number | null;
  @Column({ type: 'boolean' }) oedema: boolean;
  @Column({ name: 'length_height_cm', type: 'double precision', nullable: true }) lengthHeightCm: number | null;
  @Column({ type: 'double precision', nullable: true }) haz: number | null;
  @Column({ type: 'double precision', nullable: true }) waz: number | null;
  @Column({ type: 'double precision', nullable: true }) whz: number | null;
  @Column({ type: 'text', array: true }) flags: string[];
  /** The KMS trend code (N, T, 2T, O, B); null when the reading is no counted weighing. */
  @Column({ type: 'text', nullable: true }) trend: TrendCode | null;
  /** The early warnings this weighing raised (2T, BGM, above_orange, faltering). */
  @Column({ type: 'text', array: true }) warnings: string[];
  /** The version of the regency's KMS standard that scored the trend. */
  @Column({ name: 'kms_version', type: 'integer', nullable: true }) kmsVersion: number | null;
  @Column({ name: 'needs_remeasurement', type: 'boolean' }) needsRemeasurement: boolean;
  @Column({ type: 'text' }) source: 'manual' | 'eppgbm';
  @Column({ name: 'case_id', type: 'uuid', nullable: true }) caseId: string | null;
  @Column({ name: 'created_by', type: 'uuid' }) createdBy: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
