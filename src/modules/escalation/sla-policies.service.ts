import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { Forbidden, ValidationFailed } from '../../common/errors/domain-error.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { type Actor, inScope } from '../identity/actor.js';
import { UsersRepository } from '../identity/users.repository.js';
import { RegionsService } from '../regions/regions.service.js';
import type { SlaPolicyDto } from './dto/sla-policy.dto.js';
import { DEFAULT_OUTCOME, resolvePolicy, type SlaPolicy } from './policy.js';
import { SlaPoliciesRepository } from './sla-policies.repository.js';
import { addWorkingDays } from './working-days.js';

/**
 * A regency's SLA policy: days per case step and task step, the escalation ladder, its days off
 * and who chairs its AKS team and TPPS. A change applies to steps entered after it, since due
 * dates are stored with each step.
 */
@Injectable()
export class SlaPoliciesService {
  constructor(
    private readonly policies: SlaPoliciesRepository,
    private readonly users: UsersRepository,
    private readonly regions: RegionsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async get(actor: Actor, regencyCode: string): Promise<SlaPolicy> {
    this.check(actor, regencyCode);
    return this.of(regencyCode);
  }

  /** The policy in force. */
  async of(regencyCode: string, em?: EntityManager): Promise<SlaPolicy> {
    return resolvePolicy(regencyCode, await this.policies.find(regencyCode, em));
  }

  async ofMany(regencyCodes: string[], em?: EntityManager): Promise<Map<string, SlaPolicy>> {
    const rows = new Map((await this.policies.findMany(regencyCodes, em)).map((r) => [r.regencyCode, r]));
    return new Map(regencyCodes.map((code) => [code, resolvePolicy(code, rows.get(code) ?? null)]));
  }

  /** `from` plus working days, skipping weekends, national holidays and the regency's own. */
  addWorkingDays(policy: SlaPolicy, from: Date, days: number): Date {
    return addWorkingDays(from, days, policy.regencyCode, new Set([...this.config.publicHolidays, ...policy.holidays]));
  }

  async put(actor: Actor, regencyCode: string, dto: SlaPolicyDto): Promise<SlaPolicy> {
    this.check(actor, regencyCode);
    const ladder = dto.ladder?.map((r) => ({ level: r.level, afterDays: r.afterDays, notify: r.notify, channels: r.channels })) ?? null;
    ladder?.forEach((r, i) => {
      if (r.level !== i + 1) throw ValidationFailed.field(`ladder.${i}.level`, `must be ${i + 1}: levels count up from 1`);
      if (i > 0 && r.afterDays < ladder[i - 1].afterDays) throw ValidationFailed.field(`ladder.${i}.afterDays`, 'must not be before the previous rung');
    });
    const contacts = dto.contacts
      ? { aksChairUserId: dto.contacts.aksChairUserId ?? null, tppsChairUserId: dto.contacts.tppsChairUserId ?? null, tppsChairEmail: dto.contacts.tppsChairEmail ?? null }
      : null;
    for (const field of ['aksChairUserId', 'tppsChairUserId'] as const) {
      const id = contacts?.[field];
      if (!id) continue;
      const user = await this.users.findInScope(id, regencyCode);
      if (!user?.active || user.regencyCode !== regencyCode) throw ValidationFailed.field(`contacts.${field}`, `is not an active user of regency ${regencyCode}`);
    }
    const { identified, audited, intervened, remeasured } = dto.days;
    await this.policies.save({
      regencyCode,
      days: { identified, audited, intervened, remeasured },
      outcome: dto.outcome ? { minHaz: dto.outcome.minHaz, minImprovement: dto.outcome.minImprovement } : DEFAULT_OUTCOME,
      newCases: dto.newCases ? { relapseHazDrop: dto.newCases.relapseHazDrop, reauditAfterDays: dto.newCases.reauditAfterDays } : null,
      tasks: dto.tasks
        ? {
            acknowledgeWorkingDays: dto.tasks.acknowledgeWorkingDays,
            completeDays: dto.tasks.completeDays,
            verifyDays: dto.tasks.verifyDays,
            reassignWorkingDays: dto.tasks.reassignWorkingDays,
          }
        : null,
      interventions: dto.interventions ? { firstDeliveryDays: dto.interventions.firstDeliveryDays, graceDays: dto.interventions.graceDays } : null,
      ladder,
      holidays: dto.holidays ? [...new Set(dto.holidays)].sort() : null,
      contacts,
      retentionYears: dto.retentionYears ?? null,
      updatedBy: actor.userId,
      updatedAt: this.clock.now(),
    });
    return this.of(regencyCode);
  }

  private check(actor: Actor, regencyCode: string): void {
    if (!this.regions.isRegency(regencyCode)) throw ValidationFailed.field('regencyCode', 'is not a Kemendagri regency code');
    if (!inScope(actor, regencyCode)) throw new Forbidden('that regency is outside your scope');
  }
}
