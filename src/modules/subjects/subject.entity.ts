import { Column, Entity, PrimaryColumn } from 'typeorm';

export const TARGET_GROUPS = ['BALITA', 'BADUTA', 'IBU_HAMIL', 'IBU_NIFAS', 'CATIN'] as const;
export type TargetGroup = (typeof TARGET_GROUPS)[number];
export type Sex = 'M' | 'F';

/** A person cases are about. NIK and KK exist only as ciphertext plus keyed hash. */
@Entity({ name: 'subjects' })
export class SubjectEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'regency_code', type: 'text' }) regencyCode: string;
  @Column({ name: 'village_code', type: 'text' }) villageCode: string;
  @Column({ name: 'target_group', type: 'text' }) targetGroup: TargetGroup;
  @Column({ type: 'text' }) name: string;
  @Column({ name: 'name_key', type: 'text', insert: false, update: false, select: true }) nameKey: string;
  @Column({ type: 'char', length: 1 }) sex: Sex;
  @Column({ name: 'birth_date', type: 'date' }) birthDate: string;
  @Column({ name: 'nik_enc', type: 'bytea', nullable: true }) nikEnc: Buffer | null;
  @Column({ name: 'nik_hash', type: 'bytea', nullable: true }) nikHash: Buffer | null;
  @Column({ name: 'family_card_enc', type: 'bytea', nullable: true }) familyCardEnc: Buffer | null;
  @Column({ name: 'family_card_hash', type: 'bytea', nullable: true }) familyCardHash: Buffer | null;
  /** The mother's NIK, for a child registered without its own (SATUSEHAT's nik-ibu). */
  @Column({ name: 'mother_nik_enc', type: 'bytea', nullable: true }) motherNikEnc?: Buffer | null;
  @Column({ name: 'mother_nik_hash', type: 'bytea', nullable: true }) motherNikHash?: Buffer | null;
  @Column({ name: 'mother_name', type: 'text', nullable: true }) motherName: string | null;
  @Column({ type: 'text', nullable: true }) posyandu: string | null;
  @Column({ type: 'text', nullable: true }) address: string | null;
  @Column({ name: 'created_by', type: 'uuid' }) createdBy: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @Column({ type: 'integer' }) version: number;
  /** Processing restricted at the subject's request (UU PDP Pasal 41): only a DPO or admin sees the record. */
  @Column({ name: 'restricted_at', type: 'timestamptz', nullable: true }) restrictedAt?: Date | null;
  @Column({ name: 'restriction_reason', type: 'text', nullable: true }) restrictionReason?: string | null;
  @Column({ name: 'anonymised_at', type: 'timestamptz', nullable: true }) anonymisedAt?: Date | null;
}
