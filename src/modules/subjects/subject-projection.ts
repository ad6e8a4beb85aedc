import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import type { Actor } from '../identity/actor.js';
import type { Role } from '../identity/role.js';
import { RegionsService } from '../regions/regions.service.js';
import type { SubjectSummary } from './subjects.service.js';

/**
 * What each role may know of a child wherever a response embeds one (cases, tasks, case history,
 * interventions, offers, sponsor reports): the one place that decides it (UU PDP: minimum necessary).
 *
 * - `full`: the roles that work the case, and the DPO: name, sex, birth date, village.
 * - `limited`: the TPPS viewer and an OPD liaison: a first name, target group, age band and
 *   village; the id stays so that the audit trail can tell the DPO who saw which child.
 * - `pseudonym`: a CSR partner: a code per sponsor and child, target group, age band, village;
 *   the name only under a guardian's recorded consent to share with that sponsor.
 */
export type Projection = 'full' | 'limited' | 'pseudonym';
export const PROJECTION_OF: Readonly<Record<Role, Projection>> = {
  admin: 'full',
  case_manager: 'full',
  auditor: 'full',
  dpo: 'full',
  viewer: 'limited',
  opd_liaison: 'limited',
  csr_partner: 'pseudonym',
  // A family-assistance team member reads visits, not cases: nothing of the case reaches it.
  tpk: 'limited',
};

/** The roles that work a case: only they see the audit's findings (causes, recommendations, experts), readings and notes. */
export const CASE_WORKERS: readonly Role[] = ['admin', 'case_manager', 'auditor'];
export const worksCases = (role: Role) => CASE_WORKERS.includes(role);

interface Common {
  id: string;
  targetGroup: string;
  /** For children (BADUTA, BALITA); null for adults. */
  ageBand: string | null;
  villageCode: string;
  villageName: string | null;
  /** The kecamatan's name. */
  districtName: string | null;
}
export interface LimitedSubject extends Common {
  firstName: string;
}
export interface FullSubject extends LimitedSubject {
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
  regencyCode: string;
}
export type SubjectView = FullSubject | LimitedSubject;

/** What a sponsor may know of a child; `name` and `subjectId` only as the projection allows. */
export interface Beneficiary {
  /** Stable per sponsor and child, and different for every sponsor. */
  code: string;
  targetGroup: string;
  ageBand: string | null;
  villageCode: string;
  villageName: string | null;
  districtName: string | null;
  /** For a limited reader (the viewer): the first name only. */
  firstName?: string;
  /** For the roles that work the case, or a sponsor with the guardian's consent. */
  name?: string;
  subjectId?: string;
}

/**
 * History payload keys any case reader may see: dates and codes of what happened. The rest (audit
 * causes, recommendations and experts, readings and z-scores, notes) goes to CASE_WORKERS only.
 */
const HISTORY_KEYS_FOR_ALL = ['identifiedAt', 'source', 'auditedAt', 'cycle', 'startedAt', 'measuredAt', 'reason', 'assigneeId', 'previousAssigneeId'];

export function ageBand(birthDate: string, at: Date): string | null {
  const b = new Date(`${birthDate}T00:00:00Z`);
  const months = (at.getUTCFullYear() - b.getUTCFullYear()) * 12 + (at.getUTCMonth() - b.getUTCMonth()) - (at.getUTCDate() < b.getUTCDate() ? 1 : 0);
  if (months < 0) return null;
  if (months < 6) return '0-5 months';
  if (months < 12) return '6-11 months';
  if (months < 24) return '12-23 months';
  if (months < 60) return '24-59 months';
  return '5 years or older';
}

@Injectable()
export class SubjectProjection {
  constructor(
    private readonly regions: RegionsService,
    private readonly cipher: PiiCipher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The child as `actor` may see it in a case or a task; null without one (or restricted). A CSR partner never reads either. */
  subject(actor: Pick<Actor, 'role'>, s: SubjectSummary | undefined | null): SubjectView | null {
    if (!s) return null;
    const limited: LimitedSubject = { ...this.common(s), firstName: firstNameOf(s.name) };
    if (PROJECTION_OF[actor.role] !== 'full') return limited;
    return { ...limited, name: s.name, sex: s.sex, birthDate: s.birthDate, regencyCode: s.regencyCode };
  }

  /** The child of an intervention, offer or sponsor report, as `actor` may see it. */
  beneficiary(actor: Pick<Actor, 'role'>, sponsorId: string, s: SubjectSummary | undefined, consented: boolean): Beneficiary | null {
    if (!s) return null;
    const { id, ...common } = this.common(s);
    const base: Beneficiary = { code: `BNF-${this.cipher.hash('beneficiary', `${sponsorId}:${id}`).toString('hex').slice(0, 10).toUpperCase()}`, ...common };
    switch (PROJECTION_OF[actor.role]) {
      case 'full':
        return { ...base, name: s.name, subjectId: id };
      case 'limited':
        return { ...base, firstName: firstNameOf(s.name), subjectId: id };
      case 'pseudonym':
        return consented ? { ...base, name: s.name, subjectId: id } : base;
    }
  }

  /** A case history entry's payload as `actor` may see it. */
  casePayload(actor: Pick<Actor, 'role'>, payload: object): object {
    if (worksCases(actor.role)) return payload;
    return Object.fromEntries(Object.entries(payload).filter(([k]) => HISTORY_KEYS_FOR_ALL.includes(k)));
  }

  private common(s: SubjectSummary): Common {
    return {
      id: s.id,
      targetGroup: s.targetGroup,
      ageBand: s.targetGroup === 'BALITA' || s.targetGroup === 'BADUTA' ? ageBand(s.birthDate, this.clock.now()) : null,
      villageCode: s.villageCode,
      villageName: this.regions.find(s.villageCode)?.name ?? null,
      districtName: this.regions.find(s.villageCode.slice(0, 6))?.name ?? null,
    };
  }
}

/** The first given name ("Siti" of "Siti Aminah"); a leading initial stays an initial ("M." of "M. Rizky"). */
function firstNameOf(name: string): string {
  return name.trim().split(/\s+/)[0] ?? '';
}
