import { Inject, Injectable, Logger } from '@nestjs/common';
import { parse } from 'csv-parse';
import { csvDocument } from '../../common/csv.js';
import { createReadStream, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { DomainError, Forbidden, NotFound, ValidationFailed } from '../../common/errors/domain-error.js';
import type { RecordMeasurementDto } from '../growth/dto/measurement.dto.js';
import { type CaseEffect, MeasurementsService, type ReadingItem } from '../growth/measurements.service.js';
import { type Actor, inScope, regencyScope } from '../identity/actor.js';
import { RegionsService } from '../regions/regions.service.js';
import { type ImportedChild, SubjectsService } from '../subjects/subjects.service.js';
import { type EppgbmRow, mapHeaders, parseRow } from './eppgbm-row.js';
import type { ImportEntity, Rejection } from './import.entity.js';
import { ImportsRepository } from './imports.repository.js';

/** Rows per transaction: large enough to amortise round trips, small enough to keep memory flat. */
const BATCH = 5000;
const REPORT_LIMIT = 1000;

type ParsedRow = { rowNumber: number; row: EppgbmRow };
type CheckedBatch = ReturnType<SubjectsService['checkImported']>;
type RowOutcome = { problems: { field: string; reason: string }[] } | { duplicate: boolean; effect: CaseEffect };

function importedChild(r: EppgbmRow): ImportedChild {
  return {
    nik: r.nik,
    familyCardNumber: r.familyCardNumber,
    name: r.name,
    birthDate: r.birthDate,
    sex: r.sex,
    motherName: r.motherName,
    address: r.address,
    villageCode: r.villageCode,
    posyandu: r.posyandu,
    measuredOn: r.measuredAt,
  };
}

function reading(r: EppgbmRow): RecordMeasurementDto {
  return {
    measuredAt: r.measuredAt,
    weightKg: r.weightKg ?? undefined,
    heightCm: r.heightCm ?? undefined,
    method: (r.method ?? undefined) as RecordMeasurementDto['method'],
    headCm: r.headCm ?? undefined,
    muacCm: r.muacCm ?? undefined,
  };
}

export interface ImportView {
  id: string;
  regencyCode: string;
  fileName: string;
  status: ImportEntity['status'];
  rowsRead: number;
  rowsTaken: number;
  rowsDuplicate: number;
  rowsRejected: number;
  casesOpened: number;
  casesRemeasured: number;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  rejections: Rejection[];
  rejectionsCsv: string;
}

/**
 * e-PPGBM monthly exports: each row matched to (or registered as) a child, its measurement
 * scored and stored, and its case opened or re-measured, in batches of rows, each batch one
 * transaction of set-based statements; rows are validated before anything is written, so a bad
 * row is reported and never half-written. The file is streamed: memory stays flat whatever its
 * size. Re-importing adds nothing: a reading is unique per child, day and values.
 */
@Injectable()
export class ImportsService {
  private readonly logger = new Logger(ImportsService.name);

  constructor(
    private readonly ds: DataSource,
    private readonly imports: ImportsRepository,
    private readonly subjects: SubjectsService,
    private readonly measurements: MeasurementsService,
    private readonly regions: RegionsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Registers an import of a file already on disk; `run` does the work. */
  async create(actor: Actor, regencyCode: string, fileName: string): Promise<ImportEntity> {
    if (!this.regions.isRegency(regencyCode)) throw ValidationFailed.field('regencyCode', 'is not a Kemendagri regency code');
    if (!inScope(actor, regencyCode)) throw new Forbidden('regencyCode is outside your regency');
    const row: ImportEntity = {
      id: randomUUID(),
      regencyCode,
      kind: 'eppgbm',
      fileName: fileName.slice(0, 200),
      status: 'queued',
      rowsRead: 0,
      rowsTaken: 0,
      rowsDuplicate: 0,
      rowsRejected: 0,
      casesOpened: 0,
      casesRemeasured: 0,
      error: null,
      createdBy: actor.userId,
      createdAt: this.clock.now(),
      finishedAt: null,
    };
    await this.imports.insert(row);
    return row;
  }

  /** Starts `run` without waiting for it: the upload answers at once. */
  startInBackground(actor: Actor, job: ImportEntity, path: string): void {
    void this.run(actor, job, path).catch((e: unknown) => this.logger.error({ importId: job.id, kind: (e as Error)?.constructor?.name }, 'import crashed'));
  }

  /** Streams `path` through the import; an uploaded temp file is removed at the end, a CLI's own file is not. */
  async run(
    actor: Actor,
    job: ImportEntity,
    path: string,
    opts: { onProgress?: (job: ImportEntity) => void; keepFile?: boolean } = {},
  ): Promise<ImportEntity> {
    job.status = 'running';
    await this.imports.progress(job, []);
    let pending: Rejection[] = [];
    const flush = async () => {
      const rejections = pending.sort((a, b) => a.row - b.row);
      pending = [];
      await this.imports.progress(job, rejections);
      opts.onProgress?.(job);
    };
    const count = (n: number, outcome: RowOutcome) => {
      if ('problems' in outcome) {
        job.rowsRejected += 1;
        pending.push(...outcome.problems.map((p) => ({ row: n, field: p.field, reason: p.reason })));
      } else {
        if (outcome.duplicate) job.rowsDuplicate += 1;
        else job.rowsTaken += 1;
        if (outcome.effect === 'opened') job.casesOpened += 1;
        if (outcome.effect === 'remeasured') job.casesRemeasured += 1;
      }
    };
    const write = async (batch: ParsedRow[], children: CheckedBatch) => {
      const outcomes = await this.takeBatch(actor, job.regencyCode, batch.map((b) => b.row), children);
      outcomes.forEach((o, k) => count(batch[k].rowNumber, o));
      await flush();
    };
    // One batch is written while the next is read, parsed and checked, so Node's work overlaps
    // the database's. Batches still commit one after another: each sees the children the last registered.
    let writing: Promise<void> = Promise.resolve();
    const send = async (batch: ParsedRow[]) => {
      const children = this.subjects.checkImported(job.regencyCode, batch.map((b) => importedChild(b.row)));
      await writing;
      writing = write(batch, children);
      writing.catch(() => undefined); // a failure surfaces at the next await
    };
    try {
      const parser = createReadStream(path).pipe(
        parse({ bom: true, delimiter: [',', ';', '\t'], relax_column_count: true, skip_empty_lines: true, trim: true }),
      );
      let columns: ReturnType<typeof mapHeaders>['columns'] | undefined;
      let rowNumber = 1; // the header is row 1, as a spreadsheet shows it
      let batch: ParsedRow[] = [];
      for await (const record of parser as AsyncIterable<string[]>) {
        if (!columns) {
          const mapped = mapHeaders(record, this.config.eppgbmHeaders);
          if (mapped.missing.length) throw new DomainError('VALIDATION_FAILED', `the file has no column for: ${mapped.missing.join(', ')}`);
          columns = mapped.columns;
          continue;
        }
        rowNumber += 1;
        job.rowsRead += 1;
        const parsed = parseRow(columns, record);
        if ('problems' in parsed) count(rowNumber, parsed);
        else batch.push({ rowNumber, row: parsed.row });
        if (batch.length >= BATCH) {
          await send(batch);
          batch = [];
        }
      }
      if (batch.length) await send(batch);
      await writing;
      if (!columns) throw new DomainError('VALIDATION_FAILED', 'the file is empty');
      job.status = 'done';
    } catch (e) {
      job.status = 'failed';
      job.error = e instanceof DomainError ? e.message : 'the file could not be read as CSV';
    } finally {
      await writing.catch(() => undefined);
      job.finishedAt = this.clock.now();
      await flush();
      if (!opts.keepFile) rmSync(path, { force: true });
    }
    return job;
  }

  /**
   * A batch of parsed rows in one transaction: subjects matched and registered together,
   * readings inserted together, then each reading's case effect in order. Rows are validated
   * before anything is written, so a row that cannot be taken is reported without touching the
   * database; should the batch still fail, its rows are retried one by one, so one row's
   * failure never costs the others.
   */
  private async takeBatch(actor: Actor, regencyCode: string, rows: EppgbmRow[], checked: CheckedBatch): Promise<RowOutcome[]> {
    try {
      return await this.ds.transaction(async (em) => {
        const out: RowOutcome[] = new Array(rows.length);
        const { children, written } = await this.subjects.matchOrRegisterMany(em, actor, regencyCode, checked);
        const items: ReadingItem[] = [];
        const at: number[] = [];
        children.forEach((c, i) => {
          if (Array.isArray(c)) out[i] = { problems: c };
          else {
            items.push({ subject: c.subject, reading: reading(rows[i]), registered: c.registered });
            at.push(i);
          }
        });
        // Scored while the database registers the new children.
        const scored = this.measurements.scoreMany(actor, items, 'eppgbm');
        await written;
        const recorded = await this.measurements.storeMany(em, actor, scored);
        recorded.forEach((r, k) => (out[at[k]] = 'problems' in r ? r : { duplicate: r.duplicate, effect: r.effect }));
        return out;
      });
    } catch (e) {
      if (rows.length === 1) {
        this.logger.error({ kind: (e as Error)?.constructor?.name }, 'an import row could not be stored');
        return [{ problems: [{ field: 'row', reason: 'could not be stored' }] }];
      }
      const out: RowOutcome[] = [];
      for (const [i, row] of rows.entries()) out.push(...(await this.takeBatch(actor, regencyCode, [row], [checked[i]])));
      return out;
    }
  }

  async get(actor: Actor, id: string): Promise<ImportView> {
    const job = await this.imports.findInScope(id, regencyScope(actor));
    if (!job) throw new NotFound('import');
    return {
      id: job.id,
      regencyCode: job.regencyCode,
      fileName: job.fileName,
      status: job.status,
      rowsRead: job.rowsRead,
      rowsTaken: job.rowsTaken,
      rowsDuplicate: job.rowsDuplicate,
      rowsRejected: job.rowsRejected,
      casesOpened: job.casesOpened,
      casesRemeasured: job.casesRemeasured,
      error: job.error,
      createdAt: job.createdAt.toISOString(),
      finishedAt: job.finishedAt ? job.finishedAt.toISOString() : null,
      rejections: await this.imports.rejections(id, REPORT_LIMIT),
      rejectionsCsv: `/api/v1/imports/${id}/rejections.csv`,
    };
  }

  async rejectionsCsv(actor: Actor, id: string): Promise<string> {
    const job = await this.imports.findInScope(id, regencyScope(actor));
    if (!job) throw new NotFound('import');
    const rows = await this.imports.rejections(id, 10_000_000);
    return csvDocument(['row', 'field', 'reason'], rows.map((r) => [r.row, r.field, r.reason]));
  }
}
