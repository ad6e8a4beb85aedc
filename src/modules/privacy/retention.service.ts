import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { AuditService } from '../audit/audit.service.js';
import { CasesService } from '../cases/cases.service.js';
import { SlaPoliciesService } from '../escalation/sla-policies.service.js';
import { ConsentsService } from '../subjects/consents.service.js';
import { SubjectsService } from '../subjects/subjects.service.js';
import { repeatEvery } from '../../common/schedule/repeat.js';

const BATCH = 500;

export interface RetentionResult {
  anonymised: number;
  historyEntriesStripped: number;
}

/**
 * Retention (domain brief §9): a subject with no open case is anonymised the regency's retention
 * years after both its fifth birthday and its last case activity. Name, NIK, KK, mother's name, address and posyandu go,
 * the birth date is cut to its month, free text leaves finished cases' history; group, sex,
 * village and the measurements stay for aggregates. Each batch is one transaction and one
 * audit entry naming the subjects.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap {
  private readonly logger = new Logger(RetentionService.name);
  private running: Promise<RetentionResult> | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly subjects: SubjectsService,
    private readonly consents: ConsentsService,
    private readonly cases: CasesService,
    private readonly policies: SlaPoliciesService,
    private readonly audit: AuditService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    repeatEvery(this.scheduler, 'retention', this.config.retentionSweepIntervalSeconds, () => this.run(), { logger: this.logger, message: 'retention run failed' });
  }

  run(): Promise<RetentionResult> {
    this.running ??= this.sweep().finally(() => (this.running = null));
    return this.running;
  }

  private async sweep(): Promise<RetentionResult> {
    const result: RetentionResult = { anonymised: 0, historyEntriesStripped: 0 };
    for (const regencyCode of await this.subjects.regencies(this.ds.manager)) {
      const policy = await this.policies.of(regencyCode);
      const cutoff = this.clock.now();
      cutoff.setUTCFullYear(cutoff.getUTCFullYear() - policy.retentionYears);
      let after: [string, string] | null = null;
      for (;;) {
        const batch: { ids: string[]; stripped: number; last: [string, string] | null } = await this.ds.transaction(async (em) => {
          // Past retention: the record itself (subjects), and no open case nor any case activity since the cutoff (cases).
          const candidates = await this.subjects.retentionCandidates(em, regencyCode, cutoff, BATCH, after);
          const activity = await this.cases.activityOf(em, candidates.map((c) => c.id));
          const ids = candidates.map((c) => c.id).filter((id) => {
            const a = activity.get(id);
            return !a || (!a.open && a.lastChangedAt < cutoff);
          });
          const last = candidates.length ? ([candidates.at(-1)!.birthDate, candidates.at(-1)!.id] as [string, string]) : null;
          if (!ids.length) return { ids, stripped: 0, last };
          const stripped = await this.cases.stripFreeText(em, ids);
          await this.consents.anonymise(em, ids);
          await this.subjects.anonymise(em, ids);
          return { ids, stripped, last };
        });
        after = batch.last;
        if (!after) break;
        if (!batch.ids.length) continue;
        result.anonymised += batch.ids.length;
        result.historyEntriesStripped += batch.stripped;
        await this.audit.record({
          actor: null,
          regencyCode,
          action: 'retention.anonymise',
          entityType: 'subject',
          details: { subjectIds: batch.ids, historyEntriesStripped: batch.stripped, retentionYears: policy.retentionYears },
        });
      }
    }
    return result;
  }
}
