import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Role } from './role.js';

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'text' }) username: string;
  @Column({ name: 'password_hash', type: 'text' }) passwordHash: string;
  @Column({ name: 'display_name', type: 'text' }) displayName: string;
  @Column({ type: 'text' }) role: Role;
  @Column({ name: 'regency_code', type: 'text', nullable: true }) regencyCode: string | null;
  /** A province user's province (2 digits); then regencyCode is null. */
  @Column({ name: 'province_code', type: 'text', nullable: true }) provinceCode: string | null;
  @Column({ name: 'opd_id', type: 'uuid', nullable: true }) opdId: string | null;
  @Column({ name: 'sponsor_id', type: 'uuid', nullable: true }) sponsorId: string | null;
  @Column({ type: 'text', nullable: true }) email: string | null;
  @Column({ type: 'boolean' }) active: boolean;
  @Column({ name: 'token_version', type: 'integer' }) tokenVersion: number;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
