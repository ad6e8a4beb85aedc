export const TIMELINE_KINDS = ['measurement', 'case', 'task', 'offer', 'intervention', 'delivery', 'visit'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];
export const AGENCY_TYPES = ['posyandu', 'tpps', 'opd', 'sponsor', 'tpk'] as const;
