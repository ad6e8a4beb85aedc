import { Inject, Injectable, Logger } from '@nestjs/common';
import { rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { DomainError, Forbidden, NotFound, ValidationFailed } from '../../common/errors/domain-error.js';
import type { RecordMeasurementDto } from '../growth/dto/measurement.dto.js';
import { type CaseEffect, MeasurementsService, type ReadingItem } from '../growth/measurements.service.js';
import { type Actor, inScope, regencyScope, targetRegency } from '../identity/actor.js';
import { RegionsService } from '../regions/regions.service.js';
import { type ImportedChild, ImportMatching } from '../subjects/import-matching.service.js';
import { csvDocument } from '../../common/csv.js';
import { decodeCursor, type Page, pageSize, toPage } from '../../common/http/pagination.js';
import { detectLayout, type EppgbmRow, type Field, FIELD_LABELS, type Layout, looksLikeHeader, parseReading, readingsOf, type RegionContext } from './eppgbm-row.js';
import { readTable, type TableFormat } from './table-reader.js';
import type { ImportEntity, Rejection } from './import.entity.js';
import { ImportsRepository } from './imports.repository.js';

/** Rows per transaction: large enough to amortise round trips, small enough to keep memory flat. */
const BATCH = 5000;
/** The first rows are written on their own, so a file that is not e-PPGBM data is told early. */
const PROBE_ROWS = 1000;
const REPORT_LIMIT = 1000;
/** Rows searched for the header (a sheet may open with a title row or two). */
const HEADER_SEARCH_ROWS = 10;

type ParsedRow = { rowNumber: number; row: EppgbmRow };
type CheckedBatch = ReturnType<ImportMatching['checkImported']>;
type RowOutcome = { problems: { field: string; reason: string }[] } | { duplicate: boolean; effect: CaseEffect };

/** What an upload says beside its file: the format sniffed from it, and what a file without those columns takes. */
/** An import job as other modules that run one see it (the families' import). */
export type { ImportEntity as ImportJob, Rejection } from './import.entity.js';

export interface ImportOptions {
  format: TableFormat;
  sheet?: string;
  villageCode?: string;
  posyandu?: string;
}

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
  kind: ImportEntity['kind'];
  regencyCode: string;
  fileName: string;
  format: TableFormat | null;
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
  /** The first rejection reasons (all of them, up to the stored cap, in the CSV). */
  rejections: Rejection[];
  /** Reasons past the per-import cap: counted, not kept. */
  rejectionsOmitted: number;
  rejectionsCsv: string;
}

/** An import in a list: its progress without the reasons. */
export type ImportSummary = Omit<ImportView, 'rejections'>;

/**
 * e-PPGBM data as districts send it: the e-PPGBM export or upload template (CSV in any Excel
 * locale, or .xlsx), or a posyandu register with a block of columns per month. Each reading is
 * matched to (or registered as) a child, scored and stored, and its case opened or re-measured,
 * in batches, each batch one transaction of set-based statements; rows are validated before
 * anything is written, so a bad row is reported and never half-written. The file is streamed:
 * memory stays flat whatever its size. Re-importing adds nothing: a reading is unique per child,
 * day and values.
 */
@Injectable()
export class ImportsService {
  private readonly logger = new Logger(ImportsService.name);
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly ds: DataSource,
    private readonly imports: ImportsRepository,
    private readonly matching: ImportMatching,
    private readonly measurements: MeasurementsService,
    private readonly regions: RegionsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Registers an import of a file already on disk; `run` does the work. */
  async create(
    actor: Actor,
    regencyCode: string,
    fileName: string,
    format: TableFormat | null = null,
    kind: ImportEntity['kind'] = 'eppgbm',
  ): Promise<ImportEntity> {
    if (!this.regions.isRegency(regencyCode)) throw ValidationFailed.field('regencyCode', 'is not a Kemendagri regency code');
    if (!inScope(actor, regencyCode)) throw new Forbidden('regencyCode is outside your regency');
    const row: ImportEntity = {
      id: randomUUID(),
      regencyCode,
      kind,
      fileName: fileName.slice(0, 200),
      format,
      status: 'queued',
      rowsRead: 0,
      rowsTaken: 0,
      rowsDuplicate: 0,
      rowsRejected: 0,
      rejectionsOmitted: 0,
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

  /** The checks of what an upload form gives beside the file, before anything is queued. */
  checkOptions(regencyCode: string, opts: { villageCode?: string }): string | undefined {
    if (opts.villageCode === undefined) return undefined;
    const code = opts.villageCode.replace(/\./g, '');
    if (!this.regions.isVillage(code)) throw ValidationFailed.field('villageCode', 'is not a Kemendagri village code');
    if (code.slice(0, 4) !== regencyCode) throw ValidationFailed.field('villageCode', `is not in regency ${regencyCode}`);
    return code;
  }

  /** Starts `run` without waiting for it: the upload answers at once. */
  startInBackground(actor: Actor, job: ImportEntity, path: string, opts: ImportOptions): void {
    void this.run(actor, job, path, opts).catch((e: unknown) => this.logger.error({ importId: job.id, kind: (e as Error)?.constructor?.name }, 'import crashed'));
  }

  /**
   * Runs `work` in one of the IMPORT_CONCURRENCY slots of this process, waiting (in `queued`) for
   * one to be free. e-PPGBM and family imports share the slots.
   */
  async inSlot<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.slot();
    try {
      return await work();
    } finally {
      release();
    }
  }

  /** At most IMPORT_CONCURRENCY imports read and write at once in this process; the others wait in `queued`. */
  private async slot(): Promise<() => void> {
    if (this.running >= this.config.importConcurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    return () => {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    };
  }

  /** Streams `path` through the import; an uploaded temp file is removed at the end, a CLI's own file is not. */
  async run(
    actor: Actor,
    job: ImportEntity,
    path: string,
    opts: ImportOptions & { onProgress?: (job: ImportEntity) => void; keepFile?: boolean },
  ): Promise<ImportEntity> {
    try {
      return await this.inSlot(() => this.runNow(actor, job, path, opts));
    } finally {
      if (!opts.keepFile) rmSync(path, { force: true });
    }
  }

  private async runNow(
    actor: Actor,
    job: ImportEntity,
    path: string,
    opts: ImportOptions & { onProgress?: (job: ImportEntity) => void },
  ): Promise<ImportEntity> {
    job.status = 'running';
    job.format = opts.format;
    await this.imports.progress(job, []);
    let pending: Rejection[] = [];
    let kept = 0;
    // What the first rows were refused for, to say why a file that is all refused is not e-PPGBM data.
    const firstProblems = new Map<string, number>();
    const flush = async () => {
      const rejections = pending.sort((a, b) => a.row - b.row);
      pending = [];
      await this.imports.progress(job, rejections);
      opts.onProgress?.(job);
    };
    const count = (n: number, outcome: RowOutcome) => {
      if ('problems' in outcome) {
        job.rowsRejected += 1;
        for (const p of outcome.problems) {
          if (job.rowsRead <= PROBE_ROWS) firstProblems.set(`${p.field} ${p.reason}`, (firstProblems.get(`${p.field} ${p.reason}`) ?? 0) + 1);
          // A hostile file must not fill the database: reasons past the cap are only counted.
          if (kept < this.config.importMaxRejections) {
            pending.push({ row: n, field: p.field, reason: p.reason });
            kept += 1;
          } else job.rejectionsOmitted += 1;
        }
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
      const children = this.matching.checkImported(job.regencyCode, batch.map((b) => importedChild(b.row)));
      await writing;
      writing = write(batch, children);
      writing.catch(() => undefined); // a failure surfaces at the next await
    };
    const regencyCode = job.regencyCode;
    const ctx: RegionContext = {
      villageByName: (name, district) => this.regions.villageByName(regencyCode, name, district),
      villageNameProblem: (code, name) => this.regions.villageNameProblem(code, name),
      regencyNameProblem: (name) => this.regions.regencyNameProblem(regencyCode, name),
      defaults: { villageCode: opts.villageCode, posyandu: opts.posyandu },
    };
    const formGives: Field[] = opts.villageCode ? ['villageCode'] : [];
    try {
      let layout: Layout | undefined;
      let monthHeader: string[] | undefined;
      let searched = 0;
      let firstCells: string[] | undefined;
      let batch: ParsedRow[] = [];
      let probed = false;
      for await (const record of readTable(path, opts.format, { sheet: opts.sheet })) {
        if (!layout) {
          if (monthHeader) {
            layout = this.layoutOf(monthHeader, record.cells, formGives);
            continue;
          }
          if (!looksLikeHeader(record.cells, this.config.eppgbmHeaders)) {
            firstCells ??= record.cells;
            searched += 1;
            if (searched >= HEADER_SEARCH_ROWS) throw new DomainError('VALIDATION_FAILED', notEppgbm(record.cells));
            continue;
          }
          if (detectLayout(record.cells, undefined).layout.kind === 'register') monthHeader = record.cells;
          else layout = this.layoutOf(record.cells, undefined, formGives);
          continue;
        }
        for (const raw of readingsOf(layout, record.cells)) {
          job.rowsRead += 1;
          const parsed = parseReading(raw, ctx);
          if ('problems' in parsed) count(record.line, parsed);
          else batch.push({ rowNumber: record.line, row: parsed.row });
        }
        if (!probed && job.rowsRead >= PROBE_ROWS) {
          probed = true;
          if (batch.length) await send(batch);
          batch = [];
          await writing;
          if (job.rowsRejected === job.rowsRead) throw new DomainError('VALIDATION_FAILED', notEppgbmData(job, firstProblems));
        }
        if (batch.length >= BATCH) {
          await send(batch);
          batch = [];
        }
      }
      if (batch.length) await send(batch);
      await writing;
      if (!layout) {
        throw new DomainError(
          'VALIDATION_FAILED',
          monthHeader ? 'the register has a month row but no row of column names under it' : firstCells ? notEppgbm(firstCells) : 'the file is empty',
        );
      }
      job.status = 'done';
    } catch (e) {
      job.status = 'failed';
      job.error = e instanceof DomainError ? e.message : opts.format === 'xlsx' ? 'the workbook could not be read' : 'the file could not be read as CSV';
    } finally {
      await writing.catch(() => undefined);
      job.finishedAt = this.clock.now();
      await flush();
    }
    return job;
  }

  private layoutOf(header: string[], next: string[] | undefined, formGives: Field[]): Layout {
    const { layout, missing } = detectLayout(header, next, { extra: this.config.eppgbmHeaders, formGives });
    if (missing.length) {
      throw new DomainError('VALIDATION_FAILED', `the file has no column for ${missing.map((f) => FIELD_LABELS[f] ?? f).join(', ')}`);
    }
    return layout;
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
        const { children, written } = await this.matching.matchOrRegisterMany(em, actor, regencyCode, checked);
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

  /** Saves another import's progress and appends its rejections: the family import keeps its job and report here too. */
  progress(job: ImportEntity, rejections: Rejection[]): Promise<void> {
    return this.imports.progress(job, rejections);
  }

  async get(actor: Actor, id: string): Promise<ImportView> {
    const job = await this.imports.findInScope(id, regencyScope(actor));
    if (!job) throw new NotFound('import');
    return { ...summary(job), rejections: await this.imports.rejections(id, REPORT_LIMIT) };
  }

  /** The imports of the caller's regency (or the one asked for), newest first, so a lost id is found again. */
  async list(actor: Actor, q: { regencyCode?: string; cursor?: string; limit?: number }): Promise<Page<ImportSummary>> {
    const limit = pageSize(q.limit);
    const after = decodeCursor(q.cursor, ['string', 'string']) as [string, string] | undefined;
    const rows = await this.imports.list({ regencyCode: targetRegency(actor, q.regencyCode) ?? null, after, limit });
    return toPage(rows, limit, summary, (r) => [r.createdAt.toISOString(), r.id]);
  }

  async rejectionsCsv(actor: Actor, id: string): Promise<string> {
    const job = await this.imports.findInScope(id, regencyScope(actor));
    if (!job) throw new NotFound('import');
    const rows = await this.imports.rejections(id, 10_000_000);
    return csvDocument(['row', 'field', 'reason'], rows.map((r) => [r.row, r.field, r.reason]));
  }
}

function summary(job: ImportEntity): ImportSummary {
  return {
    id: job.id,
    kind: job.kind,
    regencyCode: job.regencyCode,
    fileName: job.fileName,
    format: job.format,
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
    rejectionsOmitted: job.rejectionsOmitted,
    rejectionsCsv: `/api/v1/imports/${job.id}/rejections.csv`,
  };
}

/** The reason a file whose first rows were all refused is stopped: its most common problems. */
function notEppgbmData(job: ImportEntity, problems: Map<string, number>): string {
  const top = [...problems].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 4);
  const named = top.map(([p, n]) => `${p} (${n.toLocaleString('en')} rows)`).join('; ');
  return `this does not look like e-PPGBM data: the first ${job.rowsRead.toLocaleString('en')} rows were all refused, most often: ${named}`;
}

/** Why a file with no header row in its first rows is not e-PPGBM data. */
function notEppgbm(cells: string[]): string {
  const sample = cells.filter(Boolean).slice(0, 5).map((c) => c.slice(0, 30)).join(', ');
  return `no header row found in the first ${HEADER_SEARCH_ROWS} rows (expected columns such as NIK, Nama Anak, Tgl Lahir, JK, Desa/Kel, Tanggal Pengukuran, Berat, Tinggi, Cara Ukur; found: ${sample || 'nothing'})`;
}
