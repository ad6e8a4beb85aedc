import { Forbidden } from '../../common/errors/domain-error.js';
import type { Role } from './role.js';

/** The authenticated caller, as loaded fresh from the users table on every request. */
export interface Actor {
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  /** null only for a national admin. */
  readonly regencyCode: string | null;
  readonly opdId: string | null;
  readonly sponsorId: string | null;
  /**
   * The villages a TPK member is bound to (through their teams): they see only these. null for
   * every other role, whose scope is the whole regency.
   */
  readonly villageCodes: readonly string[] | null;
}

/** The regency every query of this actor is confined to; null means all regencies. */
export function regencyScope(actor: Actor): string | null {
  return actor.regencyCode;
}

export function inScope(actor: Actor, regencyCode: string): boolean {
  return actor.regencyCode === null || actor.regencyCode === regencyCode;
}

/**
 * The regency a write by this actor lands in: a regional user's own (asking for another is
 * refused), or for a national admin the one they name.
 */
export function targetRegency(actor: Actor, requested: string | undefined): string | undefined {
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
  opdId: string | null;
  sponsorId: string | null;
  villageCodes?: string[] | null;
}): Actor {
  return {
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    regencyCode: user.regencyCode,
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
  return actor.regencyCode ?? '';
}

/** Whether an aggregate of this region (2, 4, 6 or 10 digits) lies inside the actor's aggregate scope. */
export function aggregateInScope(actor: Actor, regionCode: string): boolean {
  return regionCode.startsWith(aggregatePrefix(actor));
}
