import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import { returnedRows } from '../../database/prepared.js';
import { type CatalogueEntry, type DeliveryRow, InterventionEntity } from './intervention.entity.js';
import type { InterventionState } from './machine/intervention.types.js';

export interface InterventionScope {
  regencyCode: string | null;
  /** A CSR partner's own sponsor: they see nothing else. */
  sponsorId: string | null;
}

const DELIVERY_COLUMNS = `id, regency_code AS "regencyCode", intervention_id AS "interventionId", delivered_at AS "deliveredAt", quantity::float8 AS quantity,
  unit, amount_idr::float8 AS "amountIdr", note, evidence_ref AS "evidenceRef", on_time AS "onTime", recorded_by AS "recordedBy", recorded_at AS "recordedAt"`;

const CATALOGUE_COLUMNS = `code, name, name_en AS "nameEn", kind, target_groups AS "targetGroups", default_days AS "defaultDays", cadence_days AS "cadenceDays",
  unit, opd_code AS "opdCode", scope, retired`;

/** The only door to interventions, their history, deliveries, the catalogue, case offers and idempotency keys. */
@Injectable()
export class InterventionsRepository {
  constructor(@InjectRepository(InterventionEntity) private readonly repo: Repository<InterventionEntity>) {}

  manager(): EntityManager {
    return this.repo.manager;
  }

  findInScope(id: string, scope: InterventionScope, em: EntityManager = this.repo.manager): Promise<InterventionEntity | null> {
    return em.getRepository(InterventionEntity).findOneBy({
      id,
      ...(scope.regencyCode !== null ? { regencyCode: scope.regencyCode } : {}),
      ...(scope.sponsorId !== null ? { sponsorId: scope.sponsorId } : {}),
    });
  }

  /** Locks the intervention for a delivery: deliveries of one intervention are counted one at a time. */
  async lockInScope(em: EntityManager, id: string, scope: InterventionScope): Promise<InterventionEntity | null> {
    const qb = em.getRepository(InterventionEntity).createQueryBuilder('i').setLock('pessimistic_write').where('i.id = :id', { id });
    if (scope.regencyCode !== null) qb.andWhere('i.regency_code = :r', { r: scope.regencyCode });
    if (scope.sponsorId !== null) qb.andWhere('i.sponsor_id = :s', { s: scope.sponsorId });
    return qb.getOne();
  }

  findMany(em: EntityManager, ids: string[]): Promise<InterventionEntity[]> {
    if (!ids.length) return Promise.resolve([]);
    return em.getRepository(InterventionEntity).createQueryBuilder('i').where('i.id = ANY(:ids)', { ids }).getMany();
  }

  ofCases(caseIds: string[]): Promise<InterventionEntity[]> {
    if (!caseIds.length) return Promise.resolve([]);
    return this.repo.createQueryBuilder('i').where('i.case_id = ANY(:caseIds)', { caseIds }).orderBy('i.created_at').getMany();
  }

  /** The case's interventions not in one of the `done` states. */
  openOfCase(em: EntityManager, caseId: string, done: readonly string[]): Promise<InterventionEntity[]> {
    return em
      .getRepository(InterventionEntity)
      .createQueryBuilder('i')
      .where(`i.case_id = :caseId AND i.state <> ALL(:done)`, { caseId, done })
      .getMany();
  }

  async insert(em: EntityManager, rows: InterventionEntity[]): Promise<void> {
    await em.getRepository(InterventionEntity).insert(rows);
  }

  list(f: InterventionScope & { caseId?: string; filterSponsorId?: string; state?: InterventionState; after?: [string, string]; limit: number }): Promise<InterventionEntity[]> {
    const qb = this.repo.createQueryBuilder('i').orderBy('i.created_at', 'DESC').addOrderBy('i.id', 'DESC').limit(f.limit + 1);
    if (f.regencyCode !== null) qb.andWhere('i.regency_code = :r', { r: f.regencyCode });
    if (f.sponsorId !== null) qb.andWhere('i.sponsor_id = :s', { s: f.sponsorId });
    if (f.filterSponsorId) qb.andWhere('i.sponsor_id = :fs', { fs: f.filterSponsorId });
    if (f.caseId) qb.andWhere('i.case_id = :caseId', { caseId: f.caseId });
    if (f.state) qb.andWhere('i.state = :state', { state: f.state });
    if (f.after) qb.andWhere('(i.created_at, i.id) < (:at, :id)', { at: f.after[0], id: f.after[1] });
    return qb.getMany();
  }

  /** Every intervention of a sponsor (within a regency, or all for null) created before `to`. */
  ofSponsor(sponsorId: string, regencyCode: string | null, to: Date): Promise<InterventionEntity[]> {
    const qb = this.repo.createQueryBuilder('i').where('i.sponsor_id = :s AND i.created_at < :to', { s: sponsorId, to }).orderBy('i.created_at').addOrderBy('i.id');
    if (regencyCode !== null) qb.andWhere('i.regency_code = :r', { r: regencyCode });
    return qb.getMany();
  }

  async insertDelivery(em: EntityManager, d: DeliveryRow): Promise<void> {
    await em.query(
      `INSERT INTO deliveries (id, regency_code, intervention_id, delivered_at, quantity, unit, amount_idr, note, evidence_ref, on_time, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [d.id, d.regencyCode, d.interventionId, d.deliveredAt, d.quantity, d.unit, d.amountIdr, d.note, d.evidenceRef, d.onTime, d.recordedBy, d.recordedAt],
    );
  }

  deliveries(interventionIds: string[], em: EntityManager = this.repo.manager, range?: { from?: Date; to?: Date }): Promise<DeliveryRow[]> {
    if (!interventionIds.length) return Promise.resolve([]);
    return em.query(
      `SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE intervention_id = ANY($1::uuid[])
          AND ($2::timestamptz IS NULL OR delivered_at >= $2) AND ($3::timestamptz IS NULL OR delivered_at < $3)
        ORDER BY intervention_id, delivered_at, id`,
      [interventionIds, range?.from ?? null, range?.to ?? null],
    );
  }

  /** The catalogue of a regency: national entries, with the regency's own added and its retirements applied. */
  catalogue(regencyCode: string | null, em: EntityManager = this.repo.manager): Promise<CatalogueEntry[]> {
    return em.query(
      `SELECT DISTINCT ON (code) ${CATALOGUE_COLUMNS} FROM intervention_catalogue
        WHERE scope = '' OR scope = coalesce($1, '')
        ORDER BY code, scope DESC`,
      [regencyCode],
    );
  }

  async saveCatalogueEntry(e: CatalogueEntry): Promise<void> {
    await this.repo.manager.query(
      `INSERT INTO intervention_catalogue (scope, code, name, name_en, kind, target_groups, default_days, cadence_days, unit, opd_code, retired)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (scope, code) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en, kind = EXCLUDED.kind,
         target_groups = EXCLUDED.target_groups, default_days = EXCLUDED.default_days, cadence_days = EXCLUDED.cadence_days,
         unit = EXCLUDED.unit, opd_code = EXCLUDED.opd_code, retired = EXCLUDED.retired`,
      [e.scope, e.code, e.name, e.nameEn, e.kind, e.targetGroups, e.defaultDays, e.cadenceDays, e.unit, e.opdCode, e.retired],
    );
  }

  async offer(em: EntityManager, caseId: string, sponsorId: string, regencyCode: string, by: string, at: Date): Promise<void> {
    await em.query(
      `INSERT INTO case_offers (case_id, sponsor_id, regency_code, offered_by, offered_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [caseId, sponsorId, regencyCode, by, at],
    );
  }

  async isOffered(em: EntityManager, caseId: string, sponsorId: string): Promise<boolean> {
    const rows: unknown[] = await em.query(`SELECT 1 FROM case_offers WHERE case_id = $1 AND sponsor_id = $2`, [caseId, sponsorId]);
    return rows.length > 0;
  }

  offersOfCases(caseIds: string[]): Promise<{ caseId: string; sponsorId: string; offeredAt: Date }[]> {
    if (!caseIds.length) return Promise.resolve([]);
    return this.repo.manager.query(
      `SELECT case_id AS "caseId", sponsor_id AS "sponsorId", offered_at AS "offeredAt" FROM case_offers WHERE case_id = ANY($1::uuid[]) ORDER BY offered_at, sponsor_id`,
      [caseIds],
    );
  }

  offers(f: { regencyCode: string | null; sponsorId: string | null; limit: number; after?: [string, string] }): Promise<{ caseId: string; sponsorId: string; regencyCode: string; offeredAt: Date }[]> {
    return this.repo.manager.query(
      `SELECT case_id AS "caseId", sponsor_id AS "sponsorId", regency_code AS "regencyCode", offered_at AS "offeredAt" FROM case_offers
        WHERE ($1::text IS NULL OR regency_code = $1) AND ($2::uuid IS NULL OR sponsor_id = $2)
          AND ($3::timestamptz IS NULL OR (offered_at, case_id) < ($3::timestamptz, $4::uuid))
        ORDER BY offered_at DESC, case_id DESC LIMIT $5`,
      [f.regencyCode, f.sponsorId, f.after?.[0] ?? null, f.after?.[1] ?? null, f.limit + 1],
    );
  }

  /**
   * Claims an idempotency key in the caller's transaction. A concurrent request with the same key
   * waits here until the first commits (or rolls back), then sees its answer: so ten replays
   * make one delivery.
   */
  async claimKey(em: EntityManager, userId: string, key: string, hash: Buffer, at: Date): Promise<{ claimed: true } | { claimed: false; hash: Buffer; status: number | null; body: unknown }> {
    const inserted: unknown[] = await em.query(
      `INSERT INTO idempotency_keys (user_id, key, request_hash, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING key`,
      [userId, key, hash, at],
    );
    if (inserted.length) return { claimed: true };
    const [row] = (await em.query(
      `SELECT request_hash AS hash, response_status AS status, response_body AS body FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
      [userId, key],
    )) as { hash: Buffer; status: number | null; body: unknown }[];
    // Stored as text, so a replay answers byte for byte what the first request did.
    return { claimed: false, hash: row.hash, status: row.status, body: typeof row.body === 'string' ? JSON.parse(row.body) : row.body };
  }

  async storeResponse(em: EntityManager, userId: string, key: string, status: number, body: unknown): Promise<void> {
    returnedRows(await em.query(`UPDATE idempotency_keys SET response_status = $3, response_body = $4 WHERE user_id = $1 AND key = $2`, [userId, key, status, JSON.stringify(body)]));
  }
}
