import { Column, Entity, PrimaryColumn } from 'typeorm';

export const SPONSOR_TYPES = ['company', 'bumn', 'bumd', 'individual', 'ngo', 'baznas', 'university', 'media'] as const;
export type SponsorType = (typeof SPONSOR_TYPES)[number];

@Entity({ name: 'sponsors' })
export class SponsorEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text' }) type: SponsorType;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** Which regencies a sponsor funds; it leads with regency_code like every district-scoped table. */
@Entity({ name: 'sponsor_regencies' })
export class SponsorRegencyEntity {
  @PrimaryColumn({ name: 'regency_code', type: 'text' }) regencyCode: string;
  @PrimaryColumn({ name: 'sponsor_id', type: 'uuid' }) sponsorId: string;
}
