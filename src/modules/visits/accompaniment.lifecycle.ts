import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Lifecycle, type LifecycleDefinition, type Loaded, type Move, type StepOpen, type StepParties } from '../../workflow/lifecycle.js';
import type { DueStep } from '../../workflow/step-deadlines.service.js';
import type { SlaPolicy } from '../escalation/policy.js';
import { SlaPoliciesService } from '../escalation/sla-policies.service.js';
import { endOfLocalDay } from '../families/dates.js';
import type { Actor } from '../identity/actor.js';
import { type AccompanimentRow, AccompanimentsRepository } from './accompaniments.repository.js';
import { ACCOMPANIMENT_MACHINES, type AccompanimentContext, LATEST_ACCOMPANIMENT_MACHINE } from './machine/accompaniment.machine.js';
import { type DueVisit, nextDue, type ScheduleTarget } from './schedule.js';
import { TpkTeamsRepository } from './tpk-teams.repository.js';

/** The schedule's view of an accompaniment's context. */
export function scheduleTarget(c: AccompanimentContext): ScheduleTarget | null {
  switch (c.group) {
    case 'BUMIL':
      return c.lmp ? { group: 'BUMIL', openedOn: c.openedOn, lmp: c.lmp } : null;
    case 'NIFAS':
      return c.deliveredOn ? { group: 'NIFAS', openedOn: c.openedOn, deliveredOn: c.deliveredOn } : null;
    case 'BADUTA':
      return c.birthDate ? { group: 'BADUTA', openedOn: c.openedOn, birthDate: c.birthDate } : null;
    case 'CATIN':
      return c.marriageOn ? { group: 'CATIN', openedOn: c.openedOn, marriageOn: c.marriageOn, atRisk: !!c.atRisk } : null;
    case 'BALITA':
      return { group: 'BALITA', openedOn: c.openedOn };
  }
}

/**
 * An open target's accompaniment (pendampingan): its due visit is its step, taken from the
 * regency's visit schedule; a visit moves the step on; when the schedule owes no more visits it
 * closes itself. Its events come from visits and family records, never from a user directly.
 */
@Injectable()
@Lifecycle()
export class AccompanimentLifecycle implements LifecycleDefinition<AccompanimentRow> {
  readonly type = 'accompaniment';
  readonly noun = 'accompaniment';
  readonly latestMachine = LATEST_ACCOMPANIMENT_MACHINE;
  readonly table = 'accompaniments';
  readonly history = 'accompaniment_history';
  readonly historyKey = 'accompaniment_id';
  readonly columns = [
    { prop: 'dueOn', column: 'due_on' },
    { prop: 'villageCode', column: 'village_code' },
    { prop: 'familyId', column: 'family_id' },
  ] as const;
  readonly eventRoles = {};
  readonly internalEvents = ['VISIT', 'UPDATE', 'CLOSE'];
  readonly finished = ['closed'];

  constructor(
    private readonly repo: AccompanimentsRepository,
    private readonly teams: TpkTeamsRepository,
    private readonly policies: SlaPoliciesService,
  ) {}

  machine(version: number) {
    const machine = ACCOMPANIMENT_MACHINES[version];
    if (!machine) throw new Error(`no accompaniment machine version ${version}`);
    return machine;
  }

  async load(em: EntityManager, id: string, _actor: Actor | null): Promise<Loaded<AccompanimentRow> | null> {
    const [row] = await this.repo.byIds(em, [id]);
    if (!row) return null;
    return { row, policy: await this.policies.of(row.regencyCode, em), villageCode: row.villageCode, opdId: null };
  }

  async insert(em: EntityManager, rows: AccompanimentRow[]): Promise<void> {
    for (const row of rows) await this.repo.insert(em, row);
  }

  inputOf(first: { payload: Record<string, unknown> }) {
    return first.payload.input as Record<string, unknown>;
  }

  settle(m: Move<AccompanimentRow>, to: string, context: unknown) {
    // Nothing is owed any more (the last visit done, a delivery recorded after the KF windows): it closes.
    return to === 'open' && !this.dueOf(context as AccompanimentContext, m.loaded.policy) ? { type: 'CLOSE', reason: 'COMPLETED' } : null;
  }

  stepOf(m: Move<AccompanimentRow>, to: string, context: unknown): StepOpen | null {
    const due = to === 'open' ? this.dueOf(context as AccompanimentContext, m.loaded.policy) : null;
    if (!due) return null;
    // A fact that leaves the due visit as it is keeps its escalation progress; a visit always moves the step on.
    const keep = m.command.type !== 'VISIT' && due.dueOn === m.row.dueOn;
    return { step: `visit:${m.row.targetGroup}:${due.label}`, dueAt: endOfLocalDay(m.row.regencyCode, due.dueOn), keep, villageCode: m.row.villageCode };
  }

  changes(m: Move<AccompanimentRow>, to: string, context: unknown): Partial<AccompanimentRow> {
    return { dueOn: to === 'open' ? (this.dueOf(context as AccompanimentContext, m.loaded.policy)?.dueOn ?? null) : null };
  }

  private dueOf(c: AccompanimentContext, policy: SlaPolicy): DueVisit | null {
    const target = scheduleTarget(c);
    return target ? nextDue(target, c.visits, policy.visits.schedule) : null;
  }

  /** The step's parties for the sweep: the TPK members of the village, its team's coordinator, the kecamatan's PKB, DP2KB. */
  async parties(em: EntityManager, steps: DueStep[]): Promise<Map<string, StepParties>> {
    const villages = [...new Set(steps.map((s) => s.villageCode).filter((v): v is string => !!v))];
    const [members, policies] = await Promise.all([
      this.teams.membersOfVillages(em, villages),
      this.policies.ofMany([...new Set(steps.map((s) => s.regencyCode))], em),
    ]);
    const out = new Map<string, StepParties>();
    for (const s of steps) {
      const here = members.filter((m) => m.villageCodes.includes(s.villageCode ?? ''));
      const policy = policies.get(s.regencyCode)!;
      const coordinators = [...new Set(here.map((m) => m.coordinatorUserId).filter((x): x is string => !!x))];
      out.set(s.aggregateId, {
        caseId: null,
        // No personal data: it goes to webhooks and e-mail.
        title: `TPK visit ${s.step.replace('visit:', '')} due in village ${s.villageCode} is overdue`,
        assignees: [...new Set(here.map((m) => m.userId))],
        supervisors: coordinators,
        byRule: {
          tpk_member: [...new Set(here.map((m) => m.userId))],
          tpk_coordinator: coordinators,
          pkb: policy.visits.pkbUserIds[(s.villageCode ?? '').slice(0, 6)] ?? [],
          dp2kb: policy.visits.dp2kbUserIds,
        },
      });
    }
    return out;
  }
}
