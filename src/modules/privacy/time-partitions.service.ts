import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { AuditService } from '../audit/audit.service.js';
import { repeatEvery } from '../../common/schedule/repeat.js';

export interface TimePartitionsResult {
  /** Partitions made (months ahead, and months whose rows waited in a default partition). */
  created: number;
  /** Audit-log months dropped past AUDIT_LOG_RETENTION_MONTHS, as YYYY-MM. */
  dropped: string[];
  /** Months past retention kept because an entry of a later month comes before one of theirs in a chain. */
  kept: string[];
}

/** The action of the entry each regency's chain gets when a month of it is dropped: verification starts after it. */
export const PARTITION_DROPPED = 'audit_log.partition_dropped';

/**
 * The monthly partitions of audit_log, the histories and measurements (migration
 * TimePartitions1764530000000): makes the months ahead with ensure_time_partitions, on a timer
 * (TIME_PARTITIONS_INTERVAL_SECONDS) with the injected clock's month. Replicas may run it at
 * once: the function takes an advisory lock and makes only what is missing.
 *
 * Retention by partition: only the audit log, and only when AUDIT_LOG_RETENTION_MONTHS is set
 * (at least 60: access logs are kept 5 years). Measurements stay for the aggregates and the
 * histories are a case's record (kept until the child is 5, the last AKS cycle and 5 years more,
 * per child: anonymised by the retention sweep, never dropped by month).
 */
@Injectable()
export class TimePartitionsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(TimePartitionsService.name);
  private running: Promise<TimePartitionsResult> | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    repeatEvery(this.scheduler, 'time-partitions', this.config.timePartitionsIntervalSeconds, () => this.run(), { logger: this.logger, message: 'time partitions run failed' }, { now: true });
  }

  run(): Promise<TimePartitionsResult> {
    this.running ??= (async () => {
      const created = await this.ensure();
      const { dropped, kept } = await this.dropExpiredAuditMonths();
      return { created, dropped, kept };
    })().finally(() => (this.running = null));
    return this.running;
  }

  /** Makes the partitions of this month and `monthsAhead` more (default TIME_PARTITIONS_MONTHS_AHEAD); returns how many were new. */
  async ensure(monthsAhead = this.config.timePartitionsMonthsAhead): Promise<number> {
    const [row] = (await this.ds.query(`SELECT ensure_time_partitions($1, $2) AS made`, [monthsAhead, this.clock.now()])) as { made: number }[];
    if (row.made > 0) this.logger.log({ made: row.made }, 'time partitions made');
    return Number(row.made);
  }

  /** The monthly partitions of a table, oldest first, as YYYY-MM and partition name. */
  async months(table: string): Promise<{ month: string; partition: string }[]> {
    const rows: { partition: string }[] = await this.ds.query(
      `SELECT c.relname AS partition FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = $1::regclass AND c.relname ~ '_p[0-9]{6}$' ORDER BY 1`,
      [table],
    );
    return rows.map((r) => ({ partition: r.partition, month: `${r.partition.slice(-6, -2)}-${r.partition.slice(-2)}` }));
  }

  /**
   * Drops the audit-log months that ended AUDIT_LOG_RETENTION_MONTHS or more before this month,
   * oldest first, each in one transaction: each regency whose chain lost entries gets an entry
   * `audit_log.partition_dropped` with the month and its last dropped seq and hash, so the chain
   * is verified from its oldest remaining entry. A month is kept (and reported), and the months
   * after it with it, while an entry of a later month comes before one of its own in a chain:
   * dropping it would leave a hole.
   */
  async dropExpiredAuditMonths(months = this.config.auditLogRetentionMonths): Promise<{ dropped: string[]; kept: string[] }> {
    const out = { dropped: [] as string[], kept: [] as string[] };
    if (months <= 0) return out;
    const now = this.clock.now();
    const cutoff = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
    const cutoffMonth = cutoff.toISOString().slice(0, 7);
    for (const { month, partition } of await this.months('audit_log')) {
      if (month >= cutoffMonth) break;
      const lasts = await this.ds.transaction(async (em) => {
        await em.query(`SELECT pg_advisory_xact_lock(hashtext('tuntas.time_partitions'))`);
        if (!(await em.query(`SELECT to_regclass($1) AS r`, [partition]))[0].r) return null;
        const rows: { regencyCode: string; seq: string; hash: Buffer; entries: string; overlap: boolean }[] = await em.query(
          `SELECT d.regency_code AS "regencyCode", d.seq, d.hash, d.entries,
                  EXISTS (SELECT 1 FROM audit_log l WHERE l.regency_code = d.regency_code AND l.seq < d.seq AND l.at >= $1::timestamptz) AS overlap
             FROM (SELECT DISTINCT ON (regency_code) regency_code, seq, hash, count(*) OVER (PARTITION BY regency_code) AS entries
                     FROM "${partition}" ORDER BY regency_code, seq DESC) d`,
          [nextMonth(month)],
        );
        return rows.some((r) => r.overlap) ? ('overlap' as const) : rows;
      });
      if (lasts === null) continue;
      if (lasts === 'overlap') {
        // Later months wait too: dropping one while this stays would leave a hole in the middle of a chain.
        this.logger.warn({ month }, 'audit-log month past retention kept: a later month holds earlier entries of a chain');
        out.kept.push(month);
        break;
      }
      // The markers first: should the drop then fail, a marker without a gap is never used, and the
      // next run records it again; a gap without its marker could not be verified.
      for (const r of lasts) {
        await this.audit.record({
          actor: null,
          regencyCode: r.regencyCode,
          action: PARTITION_DROPPED,
          entityType: 'audit_log',
          details: { month, lastSeq: Number(r.seq), lastHash: r.hash.toString('hex'), entries: Number(r.entries), retentionMonths: months },
        });
      }
      await this.ds.transaction(async (em) => {
        await em.query(`SELECT pg_advisory_xact_lock(hashtext('tuntas.time_partitions'))`);
        await em.query(`SELECT set_config('lock_timeout', '10s', true)`);
        if (!(await em.query(`SELECT to_regclass($1) AS r`, [partition]))[0].r) return;
        await em.query(`ALTER TABLE audit_log DETACH PARTITION "${partition}"`);
        await em.query(`DROP TABLE "${partition}"`);
      });
      out.dropped.push(month);
    }
    return out;
  }
}

/** The first instant of the month after YYYY-MM, UTC. */
function nextMonth(month: string): Date {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 1));
}
