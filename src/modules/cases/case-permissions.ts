import type { Role } from '../identity/role.js';
import type { CaseEventType } from './machine/case.types.js';

/** Who may send each event; the machine decides when. */
export const EVENT_ROLES: Record<CaseEventType, readonly Role[]> = {
  RECORD_AUDIT: ['auditor', 'case_manager'],
  START_INTERVENTION: ['case_manager'],
  RECORD_REMEASUREMENT: ['case_manager'],
  RESOLVE: ['case_manager'],
  CONTINUE_INTERVENTION: ['case_manager'],
  REAUDIT: ['case_manager'],
  CLOSE: ['case_manager', 'admin'],
  REOPEN: ['admin'],
};

export const CASE_READERS = ['admin', 'case_manager', 'auditor', 'viewer'] as const;
export const CASE_OPENERS = ['admin', 'case_manager'] as const;

/** Roles that may send at least one event. */
export const CASE_ACTORS = [...new Set(Object.values(EVENT_ROLES).flat())];
