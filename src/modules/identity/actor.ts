import { Forbidden } from '../../common/errors/domain-error.js';
import type { Role } from './role.js';

export type ScopeLevel = 'regency' | 'province' | 'nation';

/** The authenticated caller, as loaded fresh from the users table on every request. */
export interface Actor {
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  /** null for a province user and for a national admin, DPO or viewer. */
  readonly regencyCode: string | null;
  /** A province user's province (2 digits); null for everyone else. */
  readonly provinceCode: string | null;
  /** The breadth of the actor's region: a regency's, a province's or the whole nation's. */
  readonly level: ScopeLevel;
  readonly opdId: string | null;
  readonly sponsorId: string | null;
  /**
   * The villages a TPK member is bound to (through their teams): they see only these. null for
   * every other role, whose scope is the whole regency.
   */
  readonly villageCodes: readonly string[] | null;
}

/**
 * A province user or a national viewer: they read aggregates only. Their regencyCode is null, which
 * everywhere else means "every regency" (the national admin's and DPO's scope), so the auth guard
 * lets them call only the routes marked @WideScope, and the by-name helpers below refuse them too.
 */
export function aggregatesOnly(actor: Actor): boolean {
  return actor.level === 'province' || (actor.level === 'nation' && actor.role === 'viewer');
}

export const BY_NAME_REFUSED = 'a province or national user sees aggregates only, never records by name';

/** Fails closed should a by-name path ever be reached by an aggregates-only actor. */
function refuseAggregatesOnly(actor: Actor): void {
  if (aggregatesOnly(actor)) throw new Forbidden(BY_NAME_REFUSED);
}

/** The regency every by-name query of this actor is confined to; null means all regencies. */
export function regencyScope(actor: Actor): string | null {
  refuseAggregatesOnly(actor);
  return actor.regencyCode;
}

export function inScope(actor: Actor, regencyCode: string): boolean {
  if (aggregatesOnly(actor)) return false;
  return actor.regencyCode === null || actor.regencyCode === regencyCode;
}

/**
 * The regency a write by this actor lands in: a regional user's own (asking for another is
 * refused), or for a national admin the one they name.
 */
export function targetRegency(actor: Actor, requested: string | undefined): string | undefined {
  refuseAggregatesOnly(actor);
  if (actor.regencyCode === null) return requested;
  if (requested !== undefined && requested !== actor.regencyCode) {
    throw new Forbidden('regencyCode is outside your regency');
  }
  return actor.regencyCode;
}

/** The actor a user row stands for. */
export function actorOf(user: {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  regencyCode: string | null;
  provinceCode?: string | null;
  opdId: string | null;
  sponsorId: string | null;
  villageCodes?: string[] | null;
}): Actor {
  const provinceCode = user.regencyCode === null ? (user.provinceCode ?? null) : null;
  return {
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    regencyCode: user.regencyCode,
    provinceCode,
    level: user.regencyCode !== null ? 'regency' : provinceCode !== null ? 'province' : 'nation',
    opdId: user.opdId,
    sponsorId: user.sponsorId,
    villageCodes: user.role === 'tpk' ? (user.villageCodes ?? []) : null,
  };
}

/** Whether the actor may see a record of this village: its regency in scope, and for a TPK member one of their villages. */
export function villageInScope(actor: Actor, villageCode: string): boolean {
  return inScope(actor, villageCode.slice(0, 4)) && (actor.villageCodes === null || actor.villageCodes.includes(villageCode));
}

/**
 * The region-code prefix an actor's aggregate reports are confined to: '' for the whole nation,
 * two digits for a province, four for a regency. Reports filter `code LIKE prefix || '%'`.
 */
export function aggregatePrefix(actor: Actor): string {
  return actor.regencyCode ?? actor.provinceCode ?? '';
}

/** Whether an aggregate of this region (2, 4, 6 or 10 digits) lies inside the actor's aggregate scope. */
export function aggregateInScope(actor: Actor, regionCode: string): boolean {
  return regionCode.startsWith(aggregatePrefix(actor));
}
