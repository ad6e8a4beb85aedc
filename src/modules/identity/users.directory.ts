import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Role } from './role.js';
import { UsersRepository } from './users.repository.js';

/** What another module may know of a user: who they are, their role and where they work. */
export interface UserSummary {
  id: string;
  displayName: string;
  role: Role;
  regencyCode: string | null;
  opdId: string | null;
  sponsorId: string | null;
  active: boolean;
}

/**
 * The users other modules may look up: the active users of a role (a step's recipients), names
 * for views, a user within a regency. Their door to `users`; the repository stays identity's.
 */
@Injectable()
export class UsersDirectory {
  constructor(private readonly users: UsersRepository) {}

  activeByRole(em: EntityManager, role: Role, f: { regencyCodes?: string[]; opdIds?: string[]; sponsorIds?: string[] }) {
    return this.users.activeByRole(em, role, f);
  }

  displayNames(ids: string[], em?: EntityManager): Promise<Map<string, string>> {
    return this.users.displayNames(ids, em);
  }

  /** Active users among `ids`, with their e-mail address if they gave one: who a notification can reach. */
  activeContacts(em: EntityManager, ids: string[]): Promise<{ id: string; email: string | null }[]> {
    return this.users.activeContacts(em, ids);
  }

  /** A user within a regency scope (null: all), or null. */
  async findInScope(id: string, regencyCode: string | null, em?: EntityManager): Promise<UserSummary | null> {
    const u = await this.users.findInScope(id, regencyCode, em);
    return u ? { id: u.id, displayName: u.displayName, role: u.role, regencyCode: u.regencyCode, opdId: u.opdId, sponsorId: u.sponsorId, active: u.active } : null;
  }
}
