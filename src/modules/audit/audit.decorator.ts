import { SetMetadata } from '@nestjs/common';

export const AUDIT = 'tuntas:audit';

export interface AuditContext {
  params: Record<string, string>;
  query: Record<string, unknown>;
  response: unknown;
}

export interface AuditSpec {
  action: string;
  entityType?: string;
  /** The subject (or subjects, for a list) whose personal data the request read or wrote. */
  subjects?: (c: AuditContext) => string | string[] | null | undefined;
  /** The chain the entry joins: the record's regency when the response names it. */
  regency?: (c: AuditContext) => string | null | undefined;
  /** The caller must say why in an X-Purpose header: NIK searches and exports, an OPD liaison's read of a child's timeline. */
  purposeRequired?: (c: Pick<AuditContext, 'params' | 'query'> & { role: string | null }) => boolean;
  /** Recorded elsewhere (logins record themselves, with their failures). */
  skip?: boolean;
}

/** What the audit trail records for a route; writes without one are recorded generically. */
export const Audit = (spec: AuditSpec) => SetMetadata(AUDIT, spec);

/** Helpers for common response shapes. */
export const fromResponse = {
  subjectId: (c: AuditContext) => (c.response as { subjectId?: string } | null)?.subjectId,
  nestedSubject: (c: AuditContext) => (c.response as { subject?: { id?: string } | null } | null)?.subject?.id,
  itemSubjects: (c: AuditContext) =>
    ((c.response as { items?: { id?: string; subject?: { id?: string } | null; subjectId?: string }[] } | null)?.items ?? [])
      .map((i) => i.subject?.id ?? i.subjectId ?? i.id)
      .filter((x): x is string => typeof x === 'string'),
  regency: (c: AuditContext) => (c.response as { regencyCode?: string } | null)?.regencyCode,
};
