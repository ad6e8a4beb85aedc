import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export const TPK_ROLES = ['bidan', 'kader_pkk', 'kader_kb'] as const;
export type TpkRole = (typeof TPK_ROLES)[number];

export interface TpkTeamRow {
  id: string;
  regencyCode: string;
  villageCode: string;
  name: string;
  skRef: string | null;
  coordinatorUserId: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface TpkMemberRow {
  teamId: string;
  userId: string;
  regencyCode: string;
  tpkRole: TpkRole;
  villageCodes: string[];
  active: boolean;
}

const TEAM_COLUMNS = `id, regency_code AS "regencyCode", village_code AS "villageCode", name, sk_ref AS "skRef", coordinator_user_id AS "coordinatorUserId",
  created_at AS "createdAt", updated_at AS "updatedAt", version`;

/** The only door to tpk_teams and tpk_members. */
@Injectable()
export class TpkTeamsRepository {
  constructor(private readonly ds: DataSource) {}

  async insert(em: EntityManager, t: TpkTeamRow): Promise<void> {
    await em.query(
      `INSERT INTO tpk_teams (id, regency_code, village_code, name, sk_ref, coordinator_user_id, created_at, updated_at, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [t.id, t.regencyCode, t.villageCode, t.name, t.skRef, t.coordinatorUserId, t.createdAt, t.updatedAt, t.version],
    );
  }

  async update(em: EntityManager, t: TpkTeamRow): Promise<void> {
    await em.query(`UPDATE tpk_teams SET name = $2, sk_ref = $3, coordinator_user_id = $4, updated_at = $5, version = $6 WHERE id = $1`, [
      t.id,
      t.name,
      t.skRef,
      t.coordinatorUserId,
      t.updatedAt,
      t.version,
    ]);
  }

  async find(em: EntityManager | undefined, id: string, regencyCode: string | null, lock = false): Promise<TpkTeamRow | null> {
    const rows: TpkTeamRow[] = await (em ?? this.ds.manager).query(
      `SELECT ${TEAM_COLUMNS} FROM tpk_teams WHERE id = $1 AND ($2::text IS NULL OR regency_code = $2) ${lock ? 'FOR UPDATE' : ''}`,
      [id, regencyCode],
    );
    return rows[0] ?? null;
  }

  /** Teams of a regency (or all), optionally of one village, or only those `memberUserId` is in. */
  list(f: { regencyCode: string | null; villageCode?: string; memberUserId?: string; after?: string; limit: number }): Promise<TpkTeamRow[]> {
    return this.ds.query(
      `SELECT ${TEAM_COLUMNS} FROM tpk_teams t
        WHERE ($1::text IS NULL OR regency_code = $1) AND ($2::text IS NULL OR village_code = $2)
          AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM tpk_members m WHERE m.team_id = t.id AND m.user_id = $3 AND m.active))
          AND ($4::uuid IS NULL OR id > $4)
        ORDER BY id LIMIT $5`,
      [f.regencyCode, f.villageCode ?? null, f.memberUserId ?? null, f.after ?? null, f.limit + 1],
    );
  }

  members(em: EntityManager | undefined, teamIds: string[]): Promise<TpkMemberRow[]> {
    if (!teamIds.length) return Promise.resolve([]);
    return (em ?? this.ds.manager).query(
      `SELECT team_id AS "teamId", user_id AS "userId", regency_code AS "regencyCode", tpk_role AS "tpkRole", village_codes AS "villageCodes", active
         FROM tpk_members WHERE team_id = ANY($1::uuid[]) ORDER BY team_id, tpk_role, user_id`,
      [teamIds],
    );
  }

  async replaceMembers(em: EntityManager, teamId: string, members: TpkMemberRow[]): Promise<void> {
    await em.query(`DELETE FROM tpk_members WHERE team_id = $1`, [teamId]);
    for (const m of members) {
      await em.query(
        `INSERT INTO tpk_members (team_id, user_id, regency_code, tpk_role, village_codes, active) VALUES ($1, $2, $3, $4, $5::text[], $6)`,
        [m.teamId, m.userId, m.regencyCode, m.tpkRole, m.villageCodes, m.active],
      );
    }
  }

  /** Active members covering any of these villages, with their team's coordinator. */
  membersOfVillages(em: EntityManager, villageCodes: string[]): Promise<(TpkMemberRow & { coordinatorUserId: string | null; teamVillageCode: string })[]> {
    if (!villageCodes.length) return Promise.resolve([]);
    return em.query(
      `SELECT m.team_id AS "teamId", m.user_id AS "userId", m.regency_code AS "regencyCode", m.tpk_role AS "tpkRole", m.village_codes AS "villageCodes",
              m.active, t.coordinator_user_id AS "coordinatorUserId", t.village_code AS "teamVillageCode"
         FROM tpk_members m JOIN tpk_teams t ON t.id = m.team_id
        WHERE m.active AND m.village_codes && $1::text[]`,
      [villageCodes],
    );
  }

  /** The teams a member is in, with the villages they cover there. */
  teamsOfMember(em: EntityManager, userId: string): Promise<{ teamId: string; villageCode: string; villageCodes: string[] }[]> {
    return em.query(
      `SELECT m.team_id AS "teamId", t.village_code AS "villageCode", m.village_codes AS "villageCodes"
         FROM tpk_members m JOIN tpk_teams t ON t.id = m.team_id WHERE m.user_id = $1 AND m.active ORDER BY t.village_code`,
      [userId],
    );
  }
}
