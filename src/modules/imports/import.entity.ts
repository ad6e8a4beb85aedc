import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ImportStatus = 'queued' | 'running' | 'done' | 'failed';

@Entity({ name: 'imports' })
export class ImportEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'regency_code', type: 'text' }) regencyCode: string;
  @Column({ type: 'text' }) kind: 'eppgbm';
  @Column({ name: 'file_name', type: 'text' }) fileName: string;
  @Column({ type: 'text', nullable: true }) format: 'csv' | 'xlsx' | null;
  @Column({ type: 'text' }) status: ImportStatus;
  @Column({ name: 'rows_read', type: 'integer' }) rowsRead: number;
  @Column({ name: 'rows_taken', type: 'integer' }) rowsTaken: number;
  @Column({ name: 'rows_duplicate', type: 'integer' }) rowsDuplicate: number;
  @Column({ name: 'rows_rejected', type: 'integer' }) rowsRejected: number;
  @Column({ name: 'rejections_omitted', type: 'integer' }) rejectionsOmitted: number;
  @Column({ name: 'cases_opened', type: 'integer' }) casesOpened: number;
  @Column({ name: 'cases_remeasured', type: 'integer' }) casesRemeasured: number;
  @Column({ type: 'text', nullable: true }) error: string | null;
  @Column({ name: 'created_by', type: 'uuid' }) createdBy: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt: Date | null;
}

export interface Rejection {
  row: number;
  field: string;
  reason: string;
}
