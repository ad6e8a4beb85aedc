import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'opds' })
export class OpdEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'regency_code', type: 'text' }) regencyCode: string;
  @Column({ type: 'text' }) code: string;
  @Column({ type: 'text' }) name: string;
  @Column({ name: 'head_user_id', type: 'uuid', nullable: true }) headUserId: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
