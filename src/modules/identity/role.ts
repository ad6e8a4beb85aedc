export const ALL_ROLES = ['admin', 'case_manager', 'auditor', 'opd_liaison', 'csr_partner', 'viewer', 'dpo', 'tpk'] as const;
export type Role = (typeof ALL_ROLES)[number];
