import { Inject, Injectable, Logger } from '@nestjs/common';
import { rmSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { DomainError, type FieldProblem } from '../../common/errors/domain-error.js';
import { uuidv7 } from '../../common/ids/uuid-v7.js';
import type { Actor } from '../identity/actor.js';
import type { ImportJob as ImportEntity, Rejection } from '../imports/imports.service.js';
import { ImportsService } from '../imports/imports.service.js';
import { readTable, type TableFormat } from '../imports/table-reader.js';
import { RegionsService } from '../regions/regions.service.js';
import { localDay } from './dates.js';
import { type AssessmentRow, FamiliesRepository, type FamilyRow } from './families.repository.js';
import { FamiliesService, KK } from './families.service.js';
import { type FamilyImportRow, mapFamilyHeaders, parseFamilyRow } from './family-row.js';
import { isKrs, type KrsPolicy, transitionFrom } from './krs.js';

const BATCH = 5000;

export interface FamilyImportOptions {
  format: TableFormat;
  sheet?: string;
  source: 'PK' | 'VERVAL';
  keepFile?: boolean;
}

type Parsed = { rowNumber: number; row: FamilyImportRow };

/**
 * PK/Verval family exports: each row a family (matched by its sealed card number, registered
 * when new) and its assessment for the row's period, carrying the file's own KRS flag when it
 * has one. Through the e-PPGBM import's reader, job row, status route and per-row report; a
 * batch of rows is one transaction of set-based statements. Idempotent per family and period:
 * importing the same file again adds nothing, and a stored family is not changed by an import.
 */
@Injectable()
export class FamilyImportService {
  private readonly logger = new Logger(FamilyImportService.name);

  constructor(
    private readonly ds: DataSource,
    private readonly imports: ImportsService,
    private readonly families: FamiliesRepository,
    private readonly familiesService: FamiliesService,
    private readonly regions: RegionsService,
    private readonly cipher: PiiCipher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  startInBackground(actor: Actor, job: ImportEntity, path: string, opts: FamilyImportOptions): void {
    void this.run(actor, job, path, opts).catch((e: unknown) => this.logger.error({ importId: job.id, kind: (e as Error)?.constructor?.name }, 'family import crashed'));
  }

  /** Waits for an import slot (IMPORT_CONCURRENCY, shared with e-PPGBM imports), then reads the file; an upload's temp file is removed at the end. */
  async run(actor: Actor, job: ImportEntity, path: string, opts: FamilyImportOptions): Promise<ImportEntity> {
    try {
      return await this.imports.inSlot(() => this.runNow(actor, job, path, opts));
    } finally {
      if (!opts.keepFile) rmSync(path, { force: true });
    }
  }

  private async runNow(actor: Actor, job: ImportEntity, path: string, opts: FamilyImportOptions): Promise<ImportEntity> {
    const source = opts.source;
    job.status = 'running';
    await this.imports.progress(job, []);
    let pending: Rejection[] = [];
    const reject = (row: number, problems: FieldProblem[]) => {
      job.rowsRejected += 1;
      pending.push(...problems.map((p) => ({ row, field: p.field, reason: p.reason })));
    };
    const flush = async () => {
      const rejections = pending.sort((a, b) => a.row - b.row);
      pending = [];
      await this.imports.progress(job, rejections);
    };
    try {
      const policy = await this.familiesService.krsPolicy(undefined, job.regencyCode);
      let columns: ReturnType<typeof mapFamilyHeaders>['columns'] | undefined;
      let batch: Parsed[] = [];
      const send = async () => {
        const outcomes = await this.takeBatch(actor, job, batch, source, policy);
        outcomes.forEach((o, k) => {
          if (o === 'taken') job.rowsTaken += 1;
          else if (o === 'duplicate') job.rowsDuplicate += 1;
          else reject(batch[k].rowNumber, o);
        });
        batch = [];
        await flush();
      };
      for await (const { line, cells } of readTable(path, opts.format, { sheet: opts.sheet })) {
        if (!columns) {
          const mapped = mapFamilyHeaders(cells);
          if (mapped.missing.length) throw new DomainError('VALIDATION_FAILED', `the file has no column for: ${mapped.missing.join(', ')}`);
          columns = mapped.columns;
          continue;
        }
        // The row number a spreadsheet shows, as the e-PPGBM import reports it.
        const rowNumber = line;
        job.rowsRead += 1;
        const parsed = parseFamilyRow(columns, cells);
        if ('problems' in parsed) reject(rowNumber, parsed.problems);
        else batch.push({ rowNumber, row: parsed.row });
        if (batch.length >= BATCH) await send();
      }
      if (batch.length) await send();
      if (!columns) throw new DomainError('VALIDATION_FAILED', 'the file is empty');
      job.status = 'done';
    } catch (e) {
      job.status = 'failed';
      job.error = e instanceof DomainError ? e.message : opts.format === 'xlsx' ? 'the workbook could not be read' : 'the file could not be read as CSV';
      if (!(e instanceof DomainError)) this.logger.error({ importId: job.id, kind: (e as Error)?.constructor?.name }, 'family import failed');
    } finally {
      job.finishedAt = this.clock.now();
      await flush();
    }
    return job;
  }

  /** One batch in one transaction; if it still fails, its rows one by one, so one row never costs the others. */
  private async takeBatch(actor: Actor, job: ImportEntity, batch: Parsed[], source: 'PK' | 'VERVAL', policy: KrsPolicy): Promise<('taken' | 'duplicate' | FieldProblem[])[]> {
    const out: ('taken' | 'duplicate' | FieldProblem[])[] = new Array(batch.length);
    const today = localDay(job.regencyCode, this.clock.now());
    const now = this.clock.now();
    const hashes = new Map<string, Buffer>();
    const valid: { i: number; r: FamilyImportRow; hash: string; referenceDate: string }[] = [];
    const seen = new Set<string>();
    batch.forEach(({ row: r }, i) => {
      if (!this.regions.isVillage(r.villageCode)) return (out[i] = [{ field: 'villageCode', reason: 'is not a Kemendagri village code' }]);
      if (r.villageCode.slice(0, 4) !== job.regencyCode) return (out[i] = [{ field: 'villageCode', reason: `is not in regency ${job.regencyCode}` }]);
      const referenceDate = r.referenceDate ?? defaultReferenceDate(r.year, r.round, today);
      if (referenceDate > today) return (out[i] = [{ field: 'referenceDate', reason: 'is in the future' }]);
      const hash = hashes.get(r.familyCardNumber) ?? hashes.set(r.familyCardNumber, this.cipher.hash(KK, r.familyCardNumber)).get(r.familyCardNumber)!;
      const key = `${r.familyCardNumber}|${r.year}|${r.round}`;
      // The same family and period twice in one file: the first row counts, the second adds nothing.
      if (seen.has(key)) return (out[i] = 'duplicate');
      seen.add(key);
      valid.push({ i, r, hash: hash.toString('hex'), referenceDate });
    });
    if (!valid.length) return out;
    try {
      await this.ds.transaction(async (em) => {
        const fresh = new Map<string, FamilyRow>();
        for (const v of valid) {
          if (fresh.has(v.hash)) continue;
          fresh.set(v.hash, {
            id: uuidv7(now.getTime()),
            regencyCode: job.regencyCode,
            villageCode: v.r.villageCode,
            rt: v.r.rt,
            rw: v.r.rw,
            kkEnc: this.cipher.encrypt(KK, v.r.familyCardNumber),
            kkHash: Buffer.from(v.hash, 'hex'),
            headName: v.r.headName,
            wifeName: v.r.wifeName,
            welfarePriority: v.r.welfarePriority,
            source,
            createdBy: actor.userId,
            createdAt: now,
            updatedAt: now,
            version: 1,
          });
        }
        const ids = await this.families.upsertByHash(em, [...fresh.values()]);
        // Transitions against each family's latest earlier period; a file's rows of one family are taken in period order.
        valid.sort((a, b) => a.r.year - b.r.year || a.r.round - b.r.round || a.i - b.i);
        const previous = await this.families.previousKrsMany(
          em,
          job.regencyCode,
          valid.map((v) => ({ familyId: ids.get(v.hash)!, year: v.r.year, round: v.r.round })),
        );
        const rows: AssessmentRow[] = [];
        const latest = new Map<string, { year: number; round: number; isKrs: boolean }>();
        for (const v of valid) {
          const familyId = ids.get(v.hash)!;
          const verdict = isKrs(policy, v.r.target, v.r.factors, v.r.importedFlag);
          const before = latest.get(familyId);
          const prior = before ? before.isKrs : (previous.get(`${familyId}|${v.r.year}|${v.r.round}`) ?? null);
          latest.set(familyId, { year: v.r.year, round: v.r.round, isKrs: verdict });
          rows.push({
            id: uuidv7(now.getTime()),
            regencyCode: job.regencyCode,
            familyId,
            villageCode: v.r.villageCode,
            year: v.r.year,
            round: v.r.round,
            referenceDate: v.referenceDate,
            source: source,
            policyVersion: policy.version,
            target: v.r.target,
            factors: v.r.factors,
            importedFlag: v.r.importedFlag,
            isKrs: verdict,
            transition: transitionFrom(prior, verdict),
            importId: job.id,
            createdBy: actor.userId,
            createdAt: now,
          });
        }
        const inserted = await this.families.insertAssessments(em, rows);
        rows.forEach((a, k) => (out[valid[k].i] = inserted.has(`${a.familyId}|${a.year}|${a.round}`) ? 'taken' : 'duplicate'));
      });
    } catch (e) {
      if (batch.length === 1) {
        this.logger.error({ kind: (e as Error)?.constructor?.name }, 'a family import row could not be stored');
        return [[{ field: 'row', reason: 'could not be stored' }]];
      }
      const one: ('taken' | 'duplicate' | FieldProblem[])[] = [];
      for (const b of batch) one.push(...(await this.takeBatch(actor, job, [b], source, policy)));
      return one;
    }
    return out;
  }
}

/** A file without a visit date: the period's end (30 Jun or 31 Dec), or today if that is still ahead [A]. */
function defaultReferenceDate(year: number, round: 1 | 2, today: string): string {
  const end = `${year}-${round === 1 ? '06-30' : '12-31'}`;
  return end > today ? today : end;
}
