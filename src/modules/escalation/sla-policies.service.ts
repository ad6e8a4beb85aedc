import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { Forbidden, ValidationFailed } from '../../common/errors/domain-error.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { type Actor, inScope } from '../identity/actor.js';
import { UsersDirectory } from '../identity/users.directory.js';
import { RegionsService } from '../regions/regions.service.js';
import type { SlaPolicyDto } from './dto/sla-policy.dto.js';
import { DEFAULT_OUTCOME, resolvePolicy, type SlaPolicy, type VisitPolicy } from './policy.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
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
    private readonly users: UsersDirectory,
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
    const visits = dto.visits ? await this.visitPolicy(regencyCode, dto.visits) : null;
    const aksiLadder = dto.aksi?.ladder.map((r) => ({ level: r.level, afterDays: r.afterDays, notify: r.notify, channels: r.channels })) ?? null;
    aksiLadder?.forEach((r, i) => {
      if (r.level !== i + 1) throw ValidationFailed.field(`aksi.ladder.${i}.level`, `must be ${i + 1}: levels count up from 1`);
      if (i > 0 && r.afterDays < aksiLadder[i - 1].afterDays) throw ValidationFailed.field(`aksi.ladder.${i}.afterDays`, 'must not be before the previous rung');
    });
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
      visits,
      aksi: aksiLadder ? { ladder: aksiLadder } : null,
      retentionYears: dto.retentionYears ?? null,
      updatedBy: actor.userId,
      updatedAt: this.clock.now(),
    });
    return this.of(regencyCode);
  }

  /** The visits section as stored: only what was given, each named user an active user of the regency. */
  private async visitPolicy(regencyCode: string, v: NonNullable<SlaPolicyDto['visits']>): Promise<Partial<VisitPolicy>> {
    const out: Partial<VisitPolicy> = {};
    if (v.schedule) {
      const { BUMIL, NIFAS, BADUTA, CATIN } = v.schedule;
      if (BUMIL.trimesterEndWeeks[0] >= BUMIL.trimesterEndWeeks[1] || BUMIL.trimesterEndWeeks[1] >= BUMIL.termWeeks) {
        throw ValidationFailed.field('visits.schedule.BUMIL.trimesterEndWeeks', 'must rise and end before termWeeks');
      }
      if (NIFAS.kfEndDays.some((d, i) => i > 0 && d <= NIFAS.kfEndDays[i - 1])) throw ValidationFailed.field('visits.schedule.NIFAS.kfEndDays', 'must rise');
      out.schedule = {
        BUMIL: { trimesterEndWeeks: [BUMIL.trimesterEndWeeks[0], BUMIL.trimesterEndWeeks[1]], thirdTrimesterEveryDays: BUMIL.thirdTrimesterEveryDays, termWeeks: BUMIL.termWeeks },
        NIFAS: { kfEndDays: [...NIFAS.kfEndDays] },
        BADUTA: { everyDays: BADUTA.everyDays, untilMonths: BADUTA.untilMonths },
        CATIN: { windowDays: CATIN.windowDays, riskEveryDays: CATIN.riskEveryDays, riskAfterDays: CATIN.riskAfterDays },
      };
    }
    if (v.ladder) {
      const ladder = v.ladder.map((r) => ({ level: r.level, afterDays: r.afterDays, notify: r.notify, channels: r.channels }));
      ladder.forEach((r, i) => {
        if (r.level !== i + 1) throw ValidationFailed.field(`visits.ladder.${i}.level`, `must be ${i + 1}: levels count up from 1`);
        if (i > 0 && r.afterDays < ladder[i - 1].afterDays) throw ValidationFailed.field(`visits.ladder.${i}.afterDays`, 'must not be before the previous rung');
      });
      out.ladder = ladder;
    }
    const named: [string, string][] = [];
    if (v.pkbUserIds) {
      const pkb: Record<string, string[]> = {};
      for (const [district, ids] of Object.entries(v.pkbUserIds)) {
        if (!/^[0-9]{6}$/.test(district) || district.slice(0, 4) !== regencyCode || !this.regions.isDistrict(district)) {
          throw ValidationFailed.field(`visits.pkbUserIds.${district.slice(0, 12)}`, `is not a kecamatan of regency ${regencyCode}`);
        }
        if (!Array.isArray(ids) || ids.length > 20 || ids.some((id) => typeof id !== 'string' || !UUID.test(id))) {
          throw ValidationFailed.field(`visits.pkbUserIds.${district}`, 'must be a list of user ids');
        }
        pkb[district] = [...new Set(ids)];
        named.push(...ids.map((id): [string, string] => [`visits.pkbUserIds.${district}`, id]));
      }
      out.pkbUserIds = pkb;
    }
    if (v.dp2kbUserIds) {
      out.dp2kbUserIds = [...new Set(v.dp2kbUserIds)];
      named.push(...v.dp2kbUserIds.map((id): [string, string] => ['visits.dp2kbUserIds', id]));
    }
    for (const [field, id] of named) {
      const user = await this.users.findInScope(id, regencyCode);
      if (!user?.active || user.regencyCode !== regencyCode) throw ValidationFailed.field(field, `is not an active user of regency ${regencyCode}`);
    }
    if (v.reportFreezeDay !== undefined) out.reportFreezeDay = v.reportFreezeDay;
    return out;
  }

  private check(actor: Actor, regencyCode: string): void {
    if (!this.regions.isRegency(regencyCode)) throw ValidationFailed.field('regencyCode', 'is not a Kemendagri regency code');
    if (!inScope(actor, regencyCode)) throw new Forbidden('that regency is outside your scope');
  }
}
