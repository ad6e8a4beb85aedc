import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { OpdsService } from '../organisations/opds.service.js';
import type { StepParties } from '../../workflow/lifecycle.js';
import { type DueStep, StepDeadlinesService } from '../../workflow/step-deadlines.service.js';
import { WorkflowService } from '../../workflow/workflow.service.js';
import { EscalationsRepository, type FiredEscalation } from './escalations.repository.js';
import { NotificationsService } from './notifications.service.js';
import { ladderFor, nextRung, type Rung, rungAt, type SlaPolicy } from './policy.js';
import { SlaPoliciesService } from './sla-policies.service.js';
import { repeatEvery } from '../../common/schedule/repeat.js';

export const SWEEP_BATCH = 500;

interface Recipient {
  rule: string;
  userId?: string;
  email?: string;
  /** The rule reached nobody: the policy names no one for it. */
  missing?: true;
}

export interface SweepResult {
  fired: number;
  batches: number;
}

/**
 * Fires due escalation rungs. Each batch is one transaction: claim due steps with SKIP LOCKED,
 * record one escalation per rung (a unique key makes a second one impossible), write its
 * notifications, and schedule the next rung. Any number of instances may sweep at once; after
 * downtime the backlog drains oldest first, and each escalation records how late it fired.
 */
@Injectable()
export class EscalationSweeper implements OnApplicationBootstrap {
  private readonly logger = new Logger(EscalationSweeper.name);
  private running: Promise<SweepResult> | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly repo: EscalationsRepository,
    private readonly steps: StepDeadlinesService,
    private readonly workflow: WorkflowService,
    private readonly policies: SlaPoliciesService,
    private readonly notifications: NotificationsService,
    private readonly opds: OpdsService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    repeatEvery(this.scheduler, 'escalation-sweep', this.config.escalationSweepIntervalSeconds, () => this.sweep(), { logger: this.logger, message: 'escalation sweep failed' });
  }

  /** Drains everything due now; a call while this instance is already sweeping joins that run. */
  sweep(batchSize = SWEEP_BATCH): Promise<SweepResult> {
    this.running ??= this.drain(batchSize).finally(() => (this.running = null));
    return this.running;
  }

  private async drain(batchSize: number): Promise<SweepResult> {
    const result: SweepResult = { fired: 0, batches: 0 };
    for (;;) {
      const { claimed, fired } = await this.sweepBatch(batchSize);
      result.fired += fired;
      if (claimed) result.batches += 1;
      if (claimed < batchSize) return result;
    }
  }

  async sweepBatch(limit: number): Promise<{ claimed: number; fired: number }> {
    return this.ds.transaction(async (em) => {
      const now = this.clock.now();
      const due = await this.steps.claimDue(em, now, limit);
      if (!due.length) return { claimed: 0, fired: 0 };
      const policies = await this.policies.ofMany([...new Set(due.map((d) => d.regencyCode))], em);
      const parties = await this.workflow.partiesOf(em, due);
      const opds = await this.opds.summaries(em, due.map((d) => d.opdId).filter((x): x is string => x !== null));
      const fired: { escalation: FiredEscalation; rung: Rung; title: string; userIds: string[]; emails: string[] }[] = [];
      const advances = due.map((d) => {
        const policy = policies.get(d.regencyCode)!;
        const ladder = ladderFor(policy, d.aggregateType);
        const rung = ladder.find((r) => r.level === d.nextRung);
        const next = rung ? nextRung(ladder, rung.level) : null;
        if (rung) {
          const p = parties.get(`${d.aggregateType}:${d.aggregateId}`) ?? { caseId: null, title: `${d.aggregateType} step ${d.step} is overdue`, assignees: [], supervisors: [] };
          const recipients = this.recipients(rung, d, p, policy, opds.get(d.opdId ?? '')?.headUserId ?? null);
          fired.push({
            escalation: {
              id: randomUUID(),
              regencyCode: d.regencyCode,
              aggregateType: d.aggregateType,
              aggregateId: d.aggregateId,
              caseId: p.caseId,
              opdId: d.opdId,
              step: d.step,
              stepSeq: d.stepSeq,
              level: rung.level,
              dueAt: d.dueAt,
              scheduledAt: d.nextRungAt,
              firedAt: now,
              recipients,
            },
            rung,
            title: `Level ${rung.level} escalation: ${p.title}`,
            userIds: recipients.flatMap((r) => (r.userId ? [r.userId] : [])),
            emails: recipients.flatMap((r) => (r.email ? [r.email] : [])),
          });
        }
        return {
          aggregateType: d.aggregateType,
          aggregateId: d.aggregateId,
          lastLevel: rung?.level ?? d.lastLevel,
          nextRung: next?.level ?? null,
          nextRungAt: next ? rungAt(ladder, next.level, d.dueAt) : null,
        };
      });
      const recorded = new Set((await this.repo.insertEscalations(em, fired.map((f) => f.escalation))).map((r) => r.id));
      await this.notifications.enqueueForEscalations(em, fired.filter((f) => recorded.has(f.escalation.id)));
      await this.steps.advance(em, advances);
      return { claimed: due.length, fired: recorded.size };
    });
  }

  /** Who each of the rung's rules reaches for this step; a rule that reaches nobody is recorded as missing. */
  private recipients(rung: Rung, d: DueStep, p: StepParties, policy: SlaPolicy, opdHead: string | null): Recipient[] {
    const out: Recipient[] = [];
    const users = (rule: string, ids: (string | null)[]) => {
      const found = ids.filter((x): x is string => !!x);
      if (found.length) out.push(...found.map((userId) => ({ rule, userId })));
      return found.length > 0;
    };
    for (const rule of rung.notify) {
      let reached = false;
      if (rule === 'assignee') reached = users(rule, p.assignees);
      if (rule === 'supervisor') reached = users(rule, p.supervisors.length ? p.supervisors : [policy.contacts.aksChairUserId]);
      if (rule === 'opd_head') {
        if (d.opdId === null) continue; // a step no OPD answers for has no OPD head to tell
        reached = users(rule, [opdHead]);
      }
      if (rule === 'aks_chair') reached = users(rule, [policy.contacts.aksChairUserId]);
      if (rule === 'tpps_chair') {
        reached = users(rule, [policy.contacts.tppsChairUserId]);
        if (policy.contacts.tppsChairEmail) {
          out.push({ rule, email: policy.contacts.tppsChairEmail });
          reached = true;
        }
      }
      if (p.byRule?.[rule]) reached = users(rule, p.byRule[rule]);
      if (!reached) out.push({ rule, missing: true });
    }
    return out;
  }
}
