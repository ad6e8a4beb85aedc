import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { Forbidden, ValidationFailed } from '../../common/errors/domain-error.js';
import { type Actor, inScope } from '../identity/actor.js';
import { RegionsService } from '../regions/regions.service.js';
import type { SlaPolicyEntity } from './case.entity.js';
import { CasesRepository } from './cases.repository.js';
import type { SlaPolicyDto } from './dto/case.dto.js';
import type { OpenState, OutcomePolicy } from './machine/case.types.js';

export interface SlaPolicy {
  regencyCode: string;
  /** Calendar days allowed in each open step. */
  days: Record<OpenState, number>;
  outcome: OutcomePolicy;
  /** null while the regency uses the defaults. */
  updatedAt: string | null;
}

/** Domain brief §2.5; every regency may set its own. */
export const DEFAULT_DAYS: Record<OpenState, number> = { identified: 30, audited: 14, intervened: 30, remeasured: 7 };
export const DEFAULT_OUTCOME: OutcomePolicy = { minHaz: -2, minImprovement: 0.5 };

@Injectable()
export class SlaPoliciesService {
  constructor(
    private readonly cases: CasesRepository,
    private readonly regions: RegionsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async get(actor: Actor, regencyCode: string): Promise<SlaPolicy> {
    this.check(actor, regencyCode);
    return this.of(regencyCode);
  }

  /** The policy in force; a change applies to steps entered after it, since due dates are stored. */
  async of(regencyCode: string, em?: EntityManager): Promise<SlaPolicy> {
    return resolvePolicy(regencyCode, await this.cases.slaPolicy(regencyCode, em));
  }

  async put(actor: Actor, regencyCode: string, dto: SlaPolicyDto): Promise<SlaPolicy> {
    this.check(actor, regencyCode);
    const now = this.clock.now();
    const { identified, audited, intervened, remeasured } = dto.days;
    const outcome = dto.outcome ? { minHaz: dto.outcome.minHaz, minImprovement: dto.outcome.minImprovement } : DEFAULT_OUTCOME;
    await this.cases.saveSlaPolicy({ regencyCode, days: { identified, audited, intervened, remeasured }, outcome, updatedBy: actor.userId, updatedAt: now });
    return this.of(regencyCode);
  }

  private check(actor: Actor, regencyCode: string): void {
    if (!this.regions.isRegency(regencyCode)) throw ValidationFailed.field('regencyCode', 'is not a Kemendagri regency code');
    if (!inScope(actor, regencyCode)) throw new Forbidden('that regency is outside your scope');
  }
}

/** A regency's stored policy over the defaults. */
export function resolvePolicy(
  regencyCode: string,
  row: Pick<SlaPolicyEntity, 'days' | 'outcome'> & { updatedAt?: Date } | null,
): SlaPolicy {
  return {
    regencyCode,
    days: { ...DEFAULT_DAYS, ...(row?.days ?? {}) },
    outcome: row?.outcome ?? DEFAULT_OUTCOME,
    updatedAt: row?.updatedAt ? row.updatedAt.toISOString() : null,
  };
}
