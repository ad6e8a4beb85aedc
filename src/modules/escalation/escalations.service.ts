import { DEFAULT_ZONE_REGENCY, periodBound } from '../../common/clock/calendar-day.js';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { Forbidden, NotFound } from '../../common/errors/domain-error.js';
import { decodeCursor, type Page, pageSize, toPage } from '../../common/http/pagination.js';
import { ReadReplica } from '../../database/read-replica.js';
import { type Actor, aggregateInScope, aggregatePrefix, aggregatesOnly, regencyScope } from '../identity/actor.js';
import { OpdsService } from '../organisations/opds.service.js';
import { RegionsService } from '../regions/regions.service.js';
import { StepDeadlinesService } from '../../workflow/step-deadlines.service.js';
import { EscalationsRepository } from './escalations.repository.js';
import type { ListEscalationsQueryDto, OverdueReportQueryDto } from './dto/escalation.dto.js';

const DAY_MS = 86_400_000;

export interface EscalationView {
  id: string;
  regencyCode: string;
  aggregateType: string;
  aggregateId: string;
  caseId: string | null;
  opdId: string | null;
  step: string;
  level: number;
  dueAt: string;
  scheduledAt: string;
  firedAt: string;
  /** How late the sweep fired it (seconds): non-zero after downtime. */
  lateBySeconds: number;
  recipients: object[];
}

export interface OverdueGroup {
  key: string | null;
  label: string | null;
  count: number;
  oldestDueAt: string;
  oldestOverdueDays: number;
  highestEscalationLevel: number;
}

/** Reading escalations and what is overdue. An OPD liaison sees their own agency's only. */
@Injectable()
export class EscalationsService {
  constructor(
    private readonly replica: ReadReplica,
    private readonly escalations: EscalationsRepository,
    private readonly steps: StepDeadlinesService,
    private readonly opds: OpdsService,
    private readonly regions: RegionsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(actor: Actor, q: ListEscalationsQueryDto): Promise<Page<EscalationView>> {
    const limit = pageSize(q.limit);
    const after = decodeCursor(q.cursor, ['string', 'string']) as [string, string] | undefined;
    const rows = await this.escalations.listEscalations({
      regencyCode: this.regency(actor, q.regencyCode),
      opdId: this.opd(actor, q.opdId),
      caseId: q.caseId,
      level: q.level,
      from: q.from ? periodBound(q.from, 'from', actor.regencyCode ?? q.regencyCode ?? DEFAULT_ZONE_REGENCY) : undefined,
      to: q.to ? periodBound(q.to, 'to', actor.regencyCode ?? q.regencyCode ?? DEFAULT_ZONE_REGENCY) : undefined,
      after,
      limit,
    });
    return toPage(
      rows,
      limit,
      (e) => ({
        id: e.id,
        regencyCode: e.regencyCode,
        aggregateType: e.aggregateType,
        aggregateId: e.aggregateId,
        caseId: e.caseId,
        opdId: e.opdId,
        step: e.step,
        level: e.level,
        dueAt: e.dueAt.toISOString(),
        scheduledAt: e.scheduledAt.toISOString(),
        firedAt: e.firedAt.toISOString(),
        lateBySeconds: Math.round((e.firedAt.getTime() - e.scheduledAt.getTime()) / 1000),
        recipients: e.recipients,
      }),
      (e) => [e.firedAt.toISOString(), e.id],
    );
  }

  async overdue(actor: Actor, q: OverdueReportQueryDto): Promise<{ groupBy: string; asOf: string; groups: OverdueGroup[] }> {
    const now = this.clock.now();
    // A report: read on the replica when there is one (see docs/deployment.md for how stale).
    const { rows, opds } = await this.replica.read(async (em) => {
      const rows = await this.steps.overdueGroups(em, {
        ...this.overdueRegion(actor, q.regencyCode),
        opdId: this.opd(actor, undefined),
        groupBy: q.groupBy,
        now,
      });
      const opds = q.groupBy === 'opd' ? await this.opds.summaries(em, rows.map((r) => r.key!).filter(Boolean)) : new Map();
      return { rows, opds };
    });
    return {
      groupBy: q.groupBy,
      asOf: now.toISOString(),
      groups: rows.map((r) => ({
        key: r.key,
        label:
          q.groupBy === 'opd' ? (opds.get(r.key!)?.name ?? null) : q.groupBy === 'village' && r.key ? (this.regions.find(r.key)?.name ?? null) : r.key,
        count: Number(r.count),
        oldestDueAt: r.oldestDueAt.toISOString(),
        oldestOverdueDays: Math.floor((now.getTime() - r.oldestDueAt.getTime()) / DAY_MS),
        highestEscalationLevel: r.maxLevel,
      })),
    };
  }

  /** A province or national user counts over their region, or over one regency of it they name (another: 404). */
  private overdueRegion(actor: Actor, requested: string | undefined): { regencyCode: string | null; regionPrefix?: string } {
    if (!aggregatesOnly(actor)) return { regencyCode: this.regency(actor, requested) };
    if (requested !== undefined && !aggregateInScope(actor, requested)) throw new NotFound('report');
    return { regencyCode: requested ?? null, regionPrefix: aggregatePrefix(actor) };
  }

  private regency(actor: Actor, requested: string | undefined): string | null {
    const scope = regencyScope(actor);
    if (scope !== null && requested !== undefined && requested !== scope) throw new Forbidden('regencyCode is outside your regency');
    return scope ?? requested ?? null;
  }

  private opd(actor: Actor, requested: string | undefined): string | undefined {
    if (actor.role !== 'opd_liaison') return requested;
    if (requested !== undefined && requested !== actor.opdId) throw new Forbidden('an OPD liaison sees their own OPD only');
    return actor.opdId ?? undefined;
  }
}
