import type { Role } from '../identity/role.js';
import type { InterventionEventType } from './machine/intervention.types.js';

/** Who may send each event; a CSR partner acts on their own sponsor's interventions only. */
export const INTERVENTION_EVENT_ROLES: Record<Exclude<InterventionEventType, 'DELIVER'>, readonly Role[]> = {
  APPROVE: ['case_manager'],
  REJECT: ['case_manager'],
  HOLD: ['case_manager', 'csr_partner'],
  RESUME: ['case_manager', 'csr_partner'],
  COMPLETE: ['csr_partner', 'case_manager'],
  VERIFY: ['case_manager'],
  CANCEL: ['case_manager', 'admin'],
};

export const INTERVENTION_READERS = ['admin', 'case_manager', 'auditor', 'viewer', 'csr_partner'] as const;
export const INTERVENTION_PROPOSERS = ['case_manager', 'csr_partner'] as const;
export const DELIVERY_LOGGERS = ['csr_partner', 'case_manager'] as const;
