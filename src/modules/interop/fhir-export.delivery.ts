import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { MeasurementsService } from '../growth/measurements.service.js';
import { SubjectsService } from '../subjects/subjects.service.js';
import { FhirClient, PermanentFailure } from './fhir-client.js';
import { CLIENT_SECRET_FIELD, childForExport, readingForExport } from './fhir-export.service.js';
import { type ExportRow, FhirExportsRepository, type SettingsRow } from './fhir-exports.repository.js';
import { MappingRefused, readingBundle } from './fhir-mapping.js';
import { bundleProblems } from './fhir-validation.js';
import { repeatEvery } from '../../common/schedule/repeat.js';

const MAX_BACKOFF_MS = 6 * 3600_000;
const BATCH = 50;

/** Why a bundle is never sent: kept on the export row for an admin to see. */
class Invalid extends Error {}

export interface ExportResult {
  sent: number;
  retrying: number;
  invalid: number;
  dead: number;
}

/** Error text for the export row and the log: a 16-digit run (a NIK) is never kept. */
const clean = (text: string) => text.replace(/\d{16}/g, '****************');

/**
 * Sends the FHIR export outbox, as NotificationDelivery sends webhooks: an export is leased, its
 * bundle built from the reading as stored now, validated (an invalid bundle is marked `invalid`
 * with its reasons and never sent), sent, then marked. A crash between send and mark sends it
 * again after the lease: the same identifiers and ifNoneExist make the receiver create nothing
 * new. Failures back off (FHIR_EXPORT_BACKOFF_SECONDS, 30 s, doubling, capped at 6 h) until FHIR_EXPORT_MAX_ATTEMPTS, then the
 * export is dead-lettered for an admin to retry.
 */
@Injectable()
export class FhirExportDelivery implements OnApplicationBootstrap {
  private readonly logger = new Logger(FhirExportDelivery.name);
  private running: Promise<ExportResult> | null = null;

  constructor(
    private readonly exports: FhirExportsRepository,
    private readonly measurements: MeasurementsService,
    private readonly subjects: SubjectsService,
    private readonly client: FhirClient,
    private readonly cipher: PiiCipher,
    private readonly scheduler: SchedulerRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    repeatEvery(this.scheduler, 'fhir-export', this.config.fhirExportIntervalSeconds, () => this.deliverDue(), { logger: this.logger, message: 'FHIR export failed' });
  }

  /** Sends everything due now; a call while this instance is already sending joins that run. */
  deliverDue(): Promise<ExportResult> {
    this.running ??= this.drain().finally(() => (this.running = null));
    return this.running;
  }

  private async drain(): Promise<ExportResult> {
    const result: ExportResult = { sent: 0, retrying: 0, invalid: 0, dead: 0 };
    for (;;) {
      const now = this.clock.now();
      const batch = await this.exports.lease(now, new Date(now.getTime() + this.config.fhirExportLeaseSeconds * 1000), BATCH);
      if (!batch.length) return result;
      const settings = new Map((await this.exports.settings([...new Set(batch.map((e) => e.regencyCode))])).map((s) => [s.regencyCode, s]));
      const readings = new Map((await this.measurements.byIds(batch.map((e) => e.measurementId))).map((m) => [m.id, m]));
      const children = await this.subjects.forFhirExport([...readings.values()].map((m) => m.subjectId));
      for (const e of batch) {
        try {
          await this.send(e, settings.get(e.regencyCode), readings, children);
          await this.exports.markSent(e.id, this.clock.now());
          result.sent += 1;
        } catch (err) {
          const reason = clean(err instanceof Error ? err.message : 'failed');
          if (err instanceof Invalid) {
            await this.exports.markFailed(e.id, reason, null, 'invalid');
            result.invalid += 1;
            this.logger.warn({ exportId: e.id }, 'a FHIR bundle is invalid and was not sent');
            continue;
          }
          const dead = err instanceof PermanentFailure || e.attempts >= this.config.fhirExportMaxAttempts;
          const retryAt = dead ? null : new Date(this.clock.now().getTime() + backoffMs(e.attempts, this.config.fhirExportBackoffSeconds * 1000));
          await this.exports.markFailed(e.id, reason, retryAt);
          if (dead) result.dead += 1;
          else result.retrying += 1;
          this.logger.warn({ exportId: e.id, attempt: e.attempts, dead, reason }, 'a FHIR export could not be delivered');
        }
      }
      if (batch.length < BATCH) return result;
    }
  }

  private async send(
    e: ExportRow,
    s: SettingsRow | undefined,
    readings: Map<string, Awaited<ReturnType<MeasurementsService['byIds']>>[number]>,
    children: Awaited<ReturnType<SubjectsService['forFhirExport']>>,
  ): Promise<void> {
    if (!s?.enabled) throw new Error(`the FHIR export of regency ${e.regencyCode} is switched off`);
    const m = readings.get(e.measurementId);
    const child = m && children.get(m.subjectId);
    if (!m || !child) throw new Invalid('the reading or its child is gone');
    if (child.restricted) throw new Invalid("the child's processing is restricted at the guardian's request");
    let bundle;
    try {
      bundle = readingBundle(readingForExport(m, e.regencyCode), childForExport(child), { organizationId: s.organizationId, zscoreSystem: s.zscoreSystem }, {
        correction: e.kind === 'correction',
      });
    } catch (err) {
      if (err instanceof MappingRefused) throw new Invalid(err.message);
      throw err;
    }
    const problems = bundleProblems(bundle, { method: m.method });
    if (problems.length) throw new Invalid(problems.map((p) => `${p.path}: ${p.reason}`).join('; '));
    await this.client.sendTransaction(
      { regencyCode: s.regencyCode, baseUrl: s.baseUrl, tokenUrl: s.tokenUrl, clientId: s.clientId, clientSecret: this.cipher.decrypt(CLIENT_SECRET_FIELD, s.clientSecretEnc) },
      bundle,
    );
  }
}

export function backoffMs(attempt: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), MAX_BACKOFF_MS);
}
