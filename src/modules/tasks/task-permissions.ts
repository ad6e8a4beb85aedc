import type { Role } from '../identity/role.js';
import type { TaskEventType } from './machine/task.types.js';

/** Who may send each event; the machine decides when. A liaison acts on their own OPD's tasks only. */
export const TASK_EVENT_ROLES: Record<TaskEventType, readonly Role[]> = {
  ACKNOWLEDGE: ['opd_liaison'],
  START: ['opd_liaison'],
  COMPLETE: ['opd_liaison'],
  DECLINE: ['opd_liaison'],
  VERIFY: ['case_manager'],
  CANCEL: ['case_manager', 'admin'],
  REASSIGN: ['case_manager'],
};

export const TASK_READERS = ['admin', 'case_manager', 'auditor', 'viewer', 'opd_liaison'] as const;
export const TASK_ACTORS = [...new Set(Object.values(TASK_EVENT_ROLES).flat())];
