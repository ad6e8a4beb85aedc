export const ALL_ROLES = ['admin', 'case_manager', 'auditor', 'opd_liaison', 'csr_partner', 'viewer'] as const;
export type Role = (typeof ALL_ROLES)[number];
