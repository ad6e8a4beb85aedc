import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Bundle } from '@medplum/fhirtypes';
import type { EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { Forbidden, NotFound, ValidationFailed } from '../../common/errors/domain-error.js';
import { decodeCursor, type Page, pageSize, toPage } from '../../common/http/pagination.js';
import { uuidv7 } from '../../common/ids/uuid-v7.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { MeasurementsService, type MeasurementView } from '../growth/measurements.service.js';
import { type Actor, inScope, regencyScope, targetRegency } from '../identity/actor.js';
import { type FhirSubject, SubjectsService } from '../subjects/subjects.service.js';
import { type ChildForExport, growthCollection, type ReadingForExport } from './fhir-mapping.js';
import { type ExportKind, type ExportRow, FhirExportsRepository, type ExportStatus, type SettingsRow } from './fhir-exports.repository.js';
import { outboundUrlProblem } from './outbound-url.js';

export const CLIENT_SECRET_FIELD = 'fhir-client-secret';

export interface ExportView {
  id: string;
  regencyCode: string;
  measurementId: string;
  kind: ExportKind;
  status: ExportStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface SettingsView {
  regencyCode: string;
  enabled: boolean;
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  /** Never shown again once set. */
  clientSecretSet: true;
  organizationId: string;
  zscoreSystem: string | null;
  updatedAt: string;
}

export interface SettingsInput {
  enabled: boolean;
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret?: string;
  organizationId: string;
  zscoreSystem?: string | null;
}

const toView = (e: ExportRow): ExportView => ({
  id: e.id,
  regencyCode: e.regencyCode,
  measurementId: e.measurementId,
  kind: e.kind,
  status: e.status,
  attempts: e.attempts,
  nextAttemptAt: e.nextAttemptAt ? e.nextAttemptAt.toISOString() : null,
  lastError: e.lastError,
  createdAt: e.createdAt.toISOString(),
  sentAt: e.sentAt ? e.sentAt.toISOString() : null,
});

const toSettingsView = (s: SettingsRow): SettingsView => ({
  regencyCode: s.regencyCode,
  enabled: s.enabled,
  baseUrl: s.baseUrl,
  tokenUrl: s.tokenUrl,
  clientId: s.clientId,
  clientSecretSet: true,
  organizationId: s.organizationId,
  zscoreSystem: s.zscoreSystem,
  updatedAt: s.updatedAt.toISOString(),
});

/** What the mapping needs of a stored reading. */
export function readingForExport(m: MeasurementView, regencyCode: string): ReadingForExport {
  return {
    measurementId: m.id,
    regencyCode,
    measuredOn: m.measuredAt,
    method: m.method,
    weightKg: m.weightKg,
    heightCm: m.heightCm,
    headCm: m.headCm,
    muacCm: m.muacCm,
    haz: m.haz,
    waz: m.waz,
    whz: m.whz,
    status: m.status,
  };
}

export function childForExport(s: FhirSubject): ChildForExport {
  return {
    subjectId: s.id,
    patientId: null,
    nik: s.nik,
    motherNik: s.motherNik,
    sex: s.sex,
    birthDate: s.birthDate,
    villageCode: s.villageCode,
    posyandu: s.posyandu,
  };
}

/**
 * The FHIR export: a regency's receiver settings, the export outbox (queued in the writing
 * transaction of every stored reading, sent by FhirExportDelivery), its status, and a child's
 * growth as a FHIR collection for a pull.
 */
@Injectable()
export class FhirExportService implements OnModuleInit {
  constructor(
    private readonly exports: FhirExportsRepository,
    private readonly measurements: MeasurementsService,
    private readonly subjects: SubjectsService,
    private readonly cipher: PiiCipher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.measurements.onStored((em, stored) => this.queue(em, stored, 'create'));
  }

  /** Queues the export of stored readings, in their transaction; regencies with the export off queue nothing. */
  async queue(em: EntityManager, stored: { id: string; regencyCode: string; measuredOn: string }[], kind: ExportKind): Promise<void> {
    if (!stored.length) return;
    const on = await this.exports.enabledAmong(em, [...new Set(stored.map((s) => s.regencyCode))]);
    if (!on.size) return;
    const now = this.clock.now();
    const rows = stored.filter((s) => on.has(s.regencyCode));
    return this.exports.queue(em, rows.map((s) => ({ exportId: uuidv7(now.getTime()), measurementId: s.id, measuredOn: s.measuredOn, regencyCode: s.regencyCode })), kind, now);
  }

  async getSettings(actor: Actor, regencyCode: string): Promise<SettingsView> {
    if (!inScope(actor, regencyCode)) throw new Forbidden('regencyCode is outside your regency');
    const [row] = await this.exports.settings([regencyCode]);
    if (!row) throw new NotFound('FHIR export settings');
    return toSettingsView(row);
  }

  async putSettings(actor: Actor, regencyCode: string, dto: SettingsInput): Promise<SettingsView> {
    targetRegency(actor, regencyCode);
    const [existing] = await this.exports.settings([regencyCode]);
    if (!dto.clientSecret && !existing) throw ValidationFailed.field('clientSecret', 'is required when the settings are first saved');
    const problems = [];
    for (const field of ['baseUrl', 'tokenUrl'] as const) {
      const problem = await outboundUrlProblem(dto[field], this.config.fhirAllowedHosts);
      if (problem) problems.push({ field, reason: problem });
    }
    if (problems.length) throw new ValidationFailed(problems);
    const row: SettingsRow = {
      regencyCode,
      enabled: dto.enabled,
      baseUrl: dto.baseUrl,
      tokenUrl: dto.tokenUrl,
      clientId: dto.clientId,
      clientSecretEnc: dto.clientSecret ? this.cipher.encrypt(CLIENT_SECRET_FIELD, dto.clientSecret) : existing!.clientSecretEnc,
      organizationId: dto.organizationId,
      zscoreSystem: dto.zscoreSystem ?? null,
      updatedBy: actor.userId,
      updatedAt: this.clock.now(),
    };
    await this.exports.putSettings(row);
    return toSettingsView(row);
  }

  async list(actor: Actor, q: { status?: ExportStatus; from?: string; to?: string; cursor?: string; limit?: number }): Promise<Page<ExportView>> {
    const limit = pageSize(q.limit);
    const after = decodeCursor(q.cursor, ['string', 'string']) as [string, string] | undefined;
    const from = q.from ? new Date(q.from) : undefined;
    const to = q.to ? new Date(q.to) : undefined;
    if (from && to && from >= to) throw ValidationFailed.field('to', 'must be after from');
    const rows = await this.exports.list({ regencyCode: regencyScope(actor), status: q.status, from, to, after, limit });
    return toPage(rows, limit, toView, (e) => [e.createdAt.toISOString(), e.id]);
  }

  async retry(actor: Actor, id: string): Promise<ExportView> {
    if (!(await this.exports.retry(id, regencyScope(actor), this.clock.now()))) {
      const row = await this.exports.find(id, regencyScope(actor));
      if (!row) throw new NotFound('FHIR export');
      throw ValidationFailed.field('id', `only a dead-lettered or invalid export can be retried; this one is ${row.status}`);
    }
    return toView((await this.exports.find(id, regencyScope(actor)))!);
  }

  /** A child's growth as a FHIR `collection` Bundle ($everything-style), in the caller's scope. */
  async everything(actor: Actor, subjectId: string): Promise<Bundle> {
    const subject = (await this.subjects.forFhirExport([subjectId])).get(subjectId);
    const visible = subject && inScope(actor, subject.regencyCode) && (!subject.restricted || actor.role === 'dpo' || actor.role === 'admin');
    if (!subject || !visible) throw new NotFound('subject');
    const [settings] = await this.exports.settings([subject.regencyCode]);
    const readings = await this.measurements.exportFor(subjectId);
    return growthCollection(
      childForExport(subject),
      readings.map((m) => readingForExport(m, subject.regencyCode)),
      // Without settings the regency code stands in for the Organization id in local identifier systems.
      { organizationId: settings?.organizationId ?? `tuntas-${subject.regencyCode}`, zscoreSystem: settings?.zscoreSystem ?? null },
      this.clock.now().toISOString(),
    );
  }
}
