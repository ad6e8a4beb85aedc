import { Inject, Injectable } from '@nestjs/common';
import type { CaseEvidence } from '../cases/case-evidence.js';
import { DataSource, type EntityManager } from 'typeorm';
import { addCalendarDays, dayOf, instantOf, isFutureDay, localDay } from '../../common/clock/calendar-day.js';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { uuidv7 } from '../../common/ids/uuid-v7.js';
import { Conflict, DomainError, type FieldProblem, NotFound, ValidationFailed } from '../../common/errors/domain-error.js';
import { CasesService, type OpenCase } from '../cases/cases.service.js';
import { type ChildRecord, whyNoNewCase } from '../cases/new-case-rule.js';
import { type Actor, regencyScope } from '../identity/actor.js';
import { SubjectsService, type SubjectSummary, type SubjectSummaryRow } from '../subjects/subjects.service.js';
import type { RecordMeasurementDto } from './dto/measurement.dto.js';
import type { MeasurementEntity } from './measurement.entity.js';
import { lookbackDays } from './kms/kms-standard.js';
import { KmsStandardsService } from './kms/kms-standards.service.js';
import { type PriorWeighing, scoreTrends, type TrendCode, type TrendReading, type Warning } from './kms/trends.js';
import { MeasurementsRepository, type StoredWeighing } from './measurements.repository.js';
import { ageInDays, classify, whoTables, zscores } from './who/who-growth.js';

const CHILD_GROUPS = new Set(['BALITA', 'BADUTA']);
/** Stunted: HAZ below −2 SD (Permenkes 2/2020). */
const STUNTED_BELOW = -2;
/** Domain brief §4.6: a drop of more than 1 cm within 60 days is a measuring error until proven otherwise. */
const MAX_HEIGHT_DROP_CM = 1.0;

/** Told, in the writing transaction, of the readings it stored (the FHIR export queues them there). */
export type StoredReadingsListener = (em: EntityManager, stored: { id: string; regencyCode: string; measuredOn: string }[]) => Promise<void>;

/** A child's readings whose KMS codes a batch set or changed: from `from` on, oldest first, with the warnings each raised and ended. */
export interface ChildTrends {
  subjectId: string;
  regencyCode: string;
  villageCode: string;
  /** The first day re-scored (the batch's earliest reading of the child); readings before it kept their codes. */
  from: string;
  /** Registered in this batch: nothing of the child was stored before it. */
  fresh: boolean;
  readings: { id: string; day: string; trend: TrendCode | null; warnings: Warning[]; ends: Warning[] }[];
}

/** Told, in the writing transaction, of the trend codes a batch set: once per batch, with every child it touched. */
export type TrendsListener = (em: EntityManager, actor: Actor, trends: ChildTrends[]) => Promise<void>;

interface BatchTrends {
  /** Stored readings whose codes changed (a late reading came before them). */
  updates: { id: string; trend: TrendCode | null; warnings: string[]; kmsVersion: number | null }[];
  children: ChildTrends[];
  /** The batch's own readings among the children's (the others are stored already). */
  batchIds: Set<string>;
}

const NO_RECORD: ChildRecord = { latestReadingDay: null, lastFinished: null };

/** What a reading did to its child's case. */
export type CaseEffect = 'opened' | 'remeasured' | null;

/** A reading to record for a subject; `registered`: the subject is new in this transaction. */
export interface ReadingItem {
  subject: SubjectSummary;
  reading: RecordMeasurementDto;
  registered?: boolean;
}

export type ReadingOutcome = { view: MeasurementView; duplicate: boolean; effect: CaseEffect } | { problems: FieldProblem[] };

type ScoredRow = ScoredReadings['rows'][number];

/**
 * A stored (or repeated) reading's outcome. Its view is built when asked for: an import of a
 * million rows reads only `duplicate` and `effect`, and building every view cost it a few percent.
 */
class StoredReading {
  constructor(
    private readonly row: MeasurementEntity,
    readonly duplicate: boolean,
    readonly effect: CaseEffect,
    private readonly caseEffect?: MeasurementView['caseEffect'],
    private readonly caseReason: string | null = null,
  ) {}

  get view(): MeasurementView {
    const view = toView(this.row);
    return this.caseEffect === undefined ? view : { ...view, caseEffect: this.caseEffect, caseReason: this.caseReason };
  }
}

/** Readings checked and scored, not stored yet: `out` holds the refused ones already. */
export interface ScoredReadings {
  out: ReadingOutcome[];
  rows: { i: number; row: MeasurementEntity; subject: SubjectSummary; registered: boolean }[];
  source: 'manual' | 'eppgbm';
}

export interface MeasurementView {
  id: string;
  subjectId: string;
  measuredAt: string;
  ageDays: number;
  weightKg: number | null;
  heightCm: number | null;
  method: 'recumbent' | 'standing' | null;
  lengthHeightCm: number | null;
  muacCm: number | null;
  headCm: number | null;
  oedema: boolean;
  haz: number | null;
  waz: number | null;
  whz: number | null;
  status: ReturnType<typeof classify>;
  flags: string[];
  needsRemeasurement: boolean;
  trend: TrendCode | null;
  warnings: string[];
  caseId: string | null;
  /** What this reading did to the child's case, when it was stored: opened it, re-measured it, or was only linked to it. */
  caseEffect?: 'opened' | 'remeasured' | 'linked' | null;
  /** Why the reading did not open or move a case, in words; null when it did, or had nothing to do. */
  caseReason?: string | null;
}

/**
 * Measurements scored against the WHO standards. A plausible stunted reading opens a case; a
 * plausible reading of a child whose case waits in `intervened` re-measures it; both in the
 * measurement's transaction. An implausible reading only asks for a re-measurement.
 */
@Injectable()
export class MeasurementsService implements CaseEvidence {
  private storedListener: StoredReadingsListener | null = null;
  private trendsListener: TrendsListener | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly measurements: MeasurementsRepository,
    private readonly subjects: SubjectsService,
    private readonly cases: CasesService,
    private readonly kms: KmsStandardsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * A RECORD_REMEASUREMENT event's reading, stored as the child's measurement linked to the case,
   * in the event's transaction; it moves no case itself (the event does).
   */
  async recordReading(
    em: EntityManager,
    actor: Actor,
    c: { caseId: string; subjectId: string },
    reading: { measuredAt: string; heightCm: number; weightKg?: number; method: 'recumbent' | 'standing' },
    known?: SubjectSummaryRow | null,
  ): Promise<{ measurementId: string; haz: number | null; problem: string | null }> {
    // The case's read brought its child along (null when restricted); without it, read it here.
    const subject = known === undefined ? await this.subjects.summaryInScope(em, c.subjectId, null) : known && this.subjects.summaryOf(known);
    if (!subject) throw new DomainError('GUARD_FAILED', "the case's child is restricted or gone: no reading can be recorded", { event: 'RECORD_REMEASUREMENT' });
    const dto: RecordMeasurementDto = { measuredAt: dayOf(reading.measuredAt, subject.regencyCode), heightCm: reading.heightCm, weightKg: reading.weightKg, method: reading.method };
    const scored = this.scoreMany(actor, [{ subject, reading: dto }], 'manual');
    if (scored.out[0] && 'problems' in scored.out[0]) throw new ValidationFailed(scored.out[0].problems);
    const [{ row }] = scored.rows;
    flagImplausible([row], await this.measurements.recentLengths(em, [subject.id], row.measuredOn));
    row.caseId = c.caseId;
    const trends = await this.scoreTrendsOf(em, scored.rows);
    const inserted = await this.measurements.insertMany(em, [row]);
    if (!inserted.size) {
      throw new Conflict('this reading is recorded already for that day: it is stored as a measurement, linked to the case when it was taken');
    }
    await this.storedListener?.(em, [{ id: row.id, regencyCode: row.regencyCode, measuredOn: row.measuredOn }]);
    await this.trendsStored(em, actor, trends, inserted);
    // Refused as a whole (the event's transaction rolls back): an implausible reading is no outcome.
    const problem = row.needsRemeasurement
      ? `the reading looks implausible (${row.flags.join(', ')}): measure again; nothing was recorded`
      : row.haz === null
        ? 'no height-for-age z-score can be computed for this reading (the child is 5 or older?)'
        : null;
    return { measurementId: row.id, haz: row.haz, problem };
  }

  /** One listener for the trend codes of each batch (the early warning); like onStored, a few statements per batch at most. */
  onTrends(listener: TrendsListener): void {
    this.trendsListener = listener;
  }

  /** One listener, called once per batch of stored readings: it must stay one statement per call to keep imports fast. */
  onStored(listener: StoredReadingsListener): void {
    this.storedListener = listener;
  }

  async record(actor: Actor, subjectId: string, dto: RecordMeasurementDto): Promise<MeasurementView> {
    return this.ds.transaction(async (em) => {
      const subject = await this.subjects.summaryInScope(em, subjectId, regencyScope(actor));
      if (!subject) throw new NotFound('subject');
      const { view, duplicate } = await this.recordIn(em, actor, subject, dto, 'manual');
      if (duplicate) throw new Conflict('this reading is recorded already for that day');
      return view;
    });
  }

  /** The whole effect of one reading, inside the caller's transaction. */
  async recordIn(
    em: EntityManager,
    actor: Actor,
    subject: SubjectSummary,
    dto: RecordMeasurementDto,
    source: 'manual' | 'eppgbm',
  ): Promise<{ view: MeasurementView; duplicate: boolean; effect: CaseEffect }> {
    const [outcome] = await this.recordMany(em, actor, [{ subject, reading: dto }], source);
    if ('problems' in outcome) throw new ValidationFailed(outcome.problems);
    return outcome;
  }

  /**
   * Readings in bulk, in order, inside the caller's transaction (an import batch): scored, then
   * one query for the recent lengths of all their children, one insert, one query for their open
   * cases; then each plausible reading opens or re-measures its child's case as a single reading
   * would. A child `registered` in this same transaction has neither readings nor a case to look up.
   */
  async recordMany(em: EntityManager, actor: Actor, items: ReadingItem[], source: 'manual' | 'eppgbm'): Promise<ReadingOutcome[]> {
    return this.storeMany(em, actor, this.scoreMany(actor, items, source));
  }

  /** recordMany's first half, without the database: each reading checked and scored against the WHO standards. */
  scoreMany(actor: Actor, items: ReadingItem[], source: 'manual' | 'eppgbm'): ScoredReadings {
    const out: ReadingOutcome[] = new Array(items.length);
    const rows: ScoredReadings['rows'] = [];
    const now = this.clock.now();
    items.forEach(({ subject, reading, registered }, i) => {
      const measuredOn = dayOf(reading.measuredAt, subject.regencyCode);
      try {
        this.check(subject, reading, measuredOn);
      } catch (e) {
        if (!(e instanceof ValidationFailed)) throw e;
        out[i] = { problems: e.details.fields as FieldProblem[] };
        return;
      }
      const child = CHILD_GROUPS.has(subject.targetGroup);
      const ageDays = ageInDays(subject.birthDate, measuredOn);
      const scored = child
        ? zscores(whoTables(), {
            sex: subject.sex,
            ageDays,
            weightKg: reading.weightKg,
            lengthCm: reading.heightCm,
            position: reading.method,
            oedema: reading.oedema,
          })
        : null;
      rows.push({
        i,
        subject,
        registered: registered ?? false,
        row: {
          id: uuidv7(now.getTime()),
          regencyCode: subject.regencyCode,
          subjectId: subject.id,
          measuredOn,
          ageDays,
          weightKg: reading.weightKg ?? null,
          heightCm: reading.heightCm ?? null,
          method: reading.method ?? null,
          muacCm: reading.muacCm ?? null,
          headCm: reading.headCm ?? null,
          oedema: reading.oedema ?? false,
          lengthHeightCm: scored?.lengthHeightCm ?? null,
          haz: scored?.haz ?? null,
          waz: scored?.waz ?? null,
          whz: scored?.whz ?? null,
          flags: [...(scored?.flags ?? [])],
          trend: null, // set by scoreTrendsOf with the rest of the batch
          warnings: [],
          kmsVersion: null,
          needsRemeasurement: false, // settled by flagImplausible, once the recent lengths are known
          source,
          caseId: null,
          createdBy: actor.userId,
          createdAt: now,
        },
      });
    });
    return { out, rows, source };
  }

  /** recordMany's second half, in the caller's transaction: stores scored readings and applies their effects on cases. */
  async storeMany(em: EntityManager, actor: Actor, { out, rows, source }: ScoredReadings): Promise<ReadingOutcome[]> {
    const storedIds = [...new Set(rows.filter((r) => !r.registered).map((r) => r.subject.id))];
    const firstDay = rows.reduce((min, r) => (r.row.measuredOn < min ? r.row.measuredOn : min), '9999-12-31');
    flagImplausible(
      rows.map((r) => r.row),
      await this.measurements.recentLengths(em, storedIds, firstDay),
    );
    const trends = await this.scoreTrendsOf(em, rows);
    const { fresh, others } = splitReadings(rows);
    // A child registered in this batch has no case yet: its first plausible stunted reading opens
    // one before the readings are stored, so that it goes in with its case id (no UPDATE after),
    // and so do the child's later readings.
    const opening = new Map<string, ScoredRow>();
    for (const r of fresh) if (stuntedPlausible(r) && !opening.has(r.subject.id)) opening.set(r.subject.id, r);
    const openedFirst = new Set(opening.values());
    await this.openCases(em, actor, source, [...openedFirst]);
    for (const r of fresh) {
      const opener = opening.get(r.subject.id);
      if (opener && r !== opener && r.row.measuredOn >= opener.row.measuredOn) r.row.caseId = opener.row.caseId;
    }
    await this.measurements.insertNew(em, fresh.map((r) => r.row));
    const open = await this.cases.openCasesFor(em, storedIds);
    // What a new case needs to know of a stored child, read before this batch's readings are in.
    const candidates = [...new Set(others.filter((r) => stuntedPlausible(r) && !open.has(r.subject.id)).map((r) => r.subject.id))];
    const known = await this.childRecords(em, candidates);
    const inserted = await this.measurements.insertMany(em, others.map((r) => r.row));
    for (const r of fresh) inserted.add(r.row.id);
    if (this.storedListener && inserted.size) {
      await this.storedListener(em, rows.filter((r) => inserted.has(r.row.id)).map((r) => ({ id: r.row.id, regencyCode: r.row.regencyCode, measuredOn: r.row.measuredOn })));
    }
    await this.trendsStored(em, actor, trends, inserted);
    const linked: { id: string; caseId: string }[] = [];
    const toOpen: ScoredRow[] = [];
    const afterOpening: ScoredRow[] = [];
    const rules = new Map<string, Awaited<ReturnType<CasesService['newCasePolicy']>>>();
    for (const r of rows) {
      const { i, row, subject } = r;
      if (!inserted.has(row.id)) {
        out[i] = new StoredReading(row, true, null);
        continue;
      }
      const done = (effect: CaseEffect, caseEffect: MeasurementView['caseEffect'], caseReason: string | null = null) =>
        (out[i] = new StoredReading(row, false, effect, caseEffect, caseReason));
      if (r.registered) {
        done(openedFirst.has(r) ? 'opened' : null, openedFirst.has(r) ? 'opened' : row.caseId ? 'linked' : null);
        continue;
      }
      if (!CHILD_GROUPS.has(subject.targetGroup)) {
        done(null, null);
        continue;
      }
      const current = open.get(subject.id);
      if (current) {
        // A reading of a child with an open case always belongs to it, whether or not it moves it.
        row.caseId = current.id;
        linked.push({ id: row.id, caseId: current.id });
        const why = row.needsRemeasurement
          ? `the reading looks implausible (${row.flags.join(', ')}): it does not count for the case; measure again`
          : row.haz === null
            ? 'no height-for-age z-score for this reading: it cannot re-measure the case'
            : null;
        if (why) {
          done(null, 'linked', why);
          continue;
        }
        const { moved, reason } = await this.remeasure(em, actor, row, current);
        if (moved) {
          open.set(subject.id, moved);
          done('remeasured', 'remeasured');
        } else done(null, 'linked', reason);
        continue;
      }
      if (opening.has(subject.id)) {
        afterOpening.push(r);
        done(null, null);
        continue;
      }
      if (!stuntedPlausible(r)) {
        done(null, null);
        continue;
      }
      const rule = rules.get(subject.regencyCode) ?? rules.set(subject.regencyCode, await this.cases.newCasePolicy(em, subject.regencyCode)).get(subject.regencyCode)!;
      const reason = whyNoNewCase({ day: row.measuredOn, haz: row.haz! }, known.get(subject.id) ?? NO_RECORD, rule.outcome, rule.newCases);
      if (reason) {
        done(null, null, `no case was opened: ${reason}`);
        continue;
      }
      opening.set(subject.id, r);
      toOpen.push(r);
    }
    await this.openCases(em, actor, source, toOpen);
    for (const r of toOpen) {
      linked.push({ id: r.row.id, caseId: r.row.caseId! });
      out[r.i] = new StoredReading(r.row, false, 'opened', 'opened');
    }
    // Later readings of a child whose case this batch opened belong to that case too.
    for (const r of afterOpening) {
      const opener = opening.get(r.subject.id)!;
      if (!opener.row.caseId || r.row.measuredOn < opener.row.measuredOn) continue;
      r.row.caseId = opener.row.caseId;
      linked.push({ id: r.row.id, caseId: opener.row.caseId });
      out[r.i] = new StoredReading(r.row, false, null, 'linked');
    }
    await this.measurements.linkCases(em, linked);
    return out;
  }

  /**
   * The KMS trend codes and warnings of a batch's readings of children, set on the rows before
   * they are stored: one query for the stored readings the codes continue from (none for children
   * registered in this batch), one for the regencies' standards. A reading dated before stored
   * ones (entered late) re-scores those after it: they come back as updates.
   */
  private async scoreTrendsOf(em: EntityManager, rows: ScoredRow[]): Promise<BatchTrends> {
    const byChild = new Map<string, ScoredRow[]>();
    for (const r of rows) {
      if (!CHILD_GROUPS.has(r.subject.targetGroup)) continue;
      const list = byChild.get(r.subject.id);
      if (list) list.push(r);
      else byChild.set(r.subject.id, [r]);
    }
    if (!byChild.size) return { updates: [], children: [], batchIds: new Set() };
    const standards = await this.kms.current(em, [...new Set(rows.map((r) => r.subject.regencyCode))]);
    const firstDay = (list: ScoredRow[]) => list.reduce((min, r) => (r.row.measuredOn < min ? r.row.measuredOn : min), '9999-12-31');
    const asked: { subjectId: string; day: string }[] = [];
    const fromOf = new Map<string, string>();
    for (const [id, list] of byChild) {
      fromOf.set(id, firstDay(list));
      if (list.every((r) => r.registered)) continue;
      asked.push({ subjectId: id, day: addCalendarDays(fromOf.get(id)!, -lookbackDays(standards.get(list[0].subject.regencyCode)!)) });
    }
    const { readings, weighedBefore } = await this.measurements.weighingsFrom(em, asked);
    const storedOf = new Map<string, StoredWeighing[]>();
    for (const s of readings) (storedOf.get(s.subjectId) ?? storedOf.set(s.subjectId, []).get(s.subjectId)!).push(s);
    const out: BatchTrends = { updates: [], children: [], batchIds: new Set() };
    for (const [id, list] of byChild) {
      const { subject } = list[0];
      const standard = standards.get(subject.regencyCode)!;
      const from = fromOf.get(id)!;
      const stored = storedOf.get(id) ?? [];
      // The prior weighings, one a month (the first), with the codes they were given.
      const prior: PriorWeighing[] = [];
      for (const s of stored) {
        if (s.day >= from || s.weightKg === null || s.needsRemeasurement) continue;
        if (prior.length && prior[prior.length - 1].day.slice(0, 7) === s.day.slice(0, 7)) continue;
        prior.push({ day: s.day, weightKg: s.weightKg, waz: s.waz, trend: s.trend });
      }
      type Item = { stored: StoredWeighing; row?: undefined } | { row: MeasurementEntity; stored?: undefined };
      const items: Item[] = stored.filter((s) => s.day >= from).map((s) => ({ stored: s }));
      if (!stored.length && list.length === 1) items.push({ row: list[0].row });
      else {
        const keys = new Set(stored.map((s) => `${id}|${s.day}|${s.weightKg}|${s.heightCm}|${s.method}`));
        for (const r of list) {
          const key = readingKey(r.row);
          if (keys.has(key)) continue; // a repeat: it will not be stored
          keys.add(key);
          items.push({ row: r.row });
        }
      }
      items.sort((a, b) => {
        const da = a.stored?.day ?? a.row!.measuredOn;
        const db = b.stored?.day ?? b.row!.measuredOn;
        return da < db ? -1 : da > db ? 1 : (a.stored ? 0 : 1) - (b.stored ? 0 : 1);
      });
      const asReading = (it: Item): TrendReading =>
        it.stored
          ? { id: it.stored.id, day: it.stored.day, ageDays: it.stored.ageDays, weightKg: it.stored.weightKg, waz: it.stored.waz, plausible: !it.stored.needsRemeasurement }
          : { id: it.row!.id, day: it.row!.measuredOn, ageDays: it.row!.ageDays, weightKg: it.row!.weightKg, waz: it.row!.waz, plausible: !it.row!.needsRemeasurement };
      const asRead = items.map(asReading);
      const results = scoreTrends(asRead, standard, prior, weighedBefore.has(id));
      const child: ChildTrends = { subjectId: id, regencyCode: subject.regencyCode, villageCode: subject.villageCode, from, fresh: list.every((r) => r.registered), readings: [] };
      items.forEach((it, k) => {
        const { trend, warnings, ends } = results[k];
        const version = trend === null ? null : standard.version;
        if (it.row) {
          out.batchIds.add(it.row.id);
          it.row.trend = trend;
          it.row.warnings = warnings;
          it.row.kmsVersion = version;
        } else if (it.stored.trend !== trend || it.stored.warnings.join() !== warnings.join() || it.stored.kmsVersion !== version) {
          out.updates.push({ id: it.stored.id, trend, warnings, kmsVersion: version });
        }
        const r = asRead[k];
        child.readings.push({ id: r.id, day: r.day, trend, warnings, ends });
      });
      out.children.push(child);
    }
    return out;
  }

  /** After the insert: stored readings re-scored, and the listener told of what was stored (a repeat is not). */
  private async trendsStored(em: EntityManager, actor: Actor, trends: BatchTrends, inserted: Set<string>): Promise<void> {
    await this.measurements.setTrends(em, trends.updates);
    if (!this.trendsListener) return;
    const kept = (id: string) => inserted.has(id) || !trends.batchIds.has(id);
    const children = trends.children
      .map((c) => ({ ...c, readings: c.readings.filter((r) => kept(r.id)) }))
      .filter((c) => c.readings.some((r) => inserted.has(r.id)));
    if (children.length) await this.trendsListener(em, actor, children);
  }

  /** The latest stored reading and the last finished case of these children. */
  private async childRecords(em: EntityManager, subjectIds: string[]): Promise<Map<string, ChildRecord>> {
    const out = new Map<string, ChildRecord>();
    if (!subjectIds.length) return out;
    const latest = await this.measurements.latestDays(em, subjectIds);
    const finished = await this.cases.lastFinishedFor(em, subjectIds);
    for (const id of subjectIds) out.set(id, { latestReadingDay: latest.get(id) ?? null, lastFinished: finished.get(id) ?? null });
    return out;
  }

  /** Opens a case in `identified` for each reading's child (none has an open case); each reading gets its case's id. */
  private async openCases(em: EntityManager, actor: Actor, source: 'manual' | 'eppgbm', readings: ScoredRow[]): Promise<void> {
    const ids = await this.cases.openForMeasurements(
      em,
      actor,
      source,
      readings.map(({ row, subject }) => ({
        subject,
        identifiedAt: instantOf(row.measuredOn, subject.regencyCode, { now: this.clock.now() }),
        evidence: { id: row.id, measuredOn: row.measuredOn, heightCm: row.heightCm, lengthHeightCm: row.lengthHeightCm, haz: row.haz },
      })),
    );
    readings.forEach(({ row }, k) => (row.caseId = ids[k]));
  }

  async growth(actor: Actor, subjectId: string) {
    const subject = await this.subjects.summaryInScope(this.ds.manager, subjectId, regencyScope(actor));
    if (!subject) throw new NotFound('subject');
    const t = whoTables();
    const rows = await this.measurements.growthSeries(subjectId, subject.birthDate);
    return {
      subject: { id: subject.id, sex: subject.sex, birthDate: subject.birthDate, targetGroup: subject.targetGroup },
      items: rows.map((m) => {
        const lms = m.ageDays <= 1826 ? t.lhfa[subject.sex][m.ageDays] : null;
        const at = (z: number) => (lms ? Math.round(lms.M * (1 + lms.S * z) * 10) / 10 : null);
        return {
          ...toView(m),
          // WHO length/height-for-age lines at this age, in cm, for drawing the chart.
          reference: { lengthHeightCm: { '-3': at(-3), '-2': at(-2), '0': at(0), '2': at(2) } },
        };
      }),
      nextCursor: null,
    };
  }

  /** Readings by id, with their regency (the FHIR exporter's read). */
  async byIds(ids: string[]): Promise<(MeasurementView & { regencyCode: string })[]> {
    return (await this.measurements.byIds(ids)).map((m) => ({ ...toView(m), regencyCode: m.regencyCode }));
  }

  /** Every reading of a subject, oldest first, with how it arrived (the child's timeline). */
  async ofSubject(subjectId: string): Promise<(MeasurementView & { source: 'manual' | 'eppgbm' })[]> {
    return (await this.measurements.series(subjectId)).map((m) => ({ ...toView(m), source: m.source }));
  }

  /** Every reading of a subject, for the subject's data export. */
  async exportFor(subjectId: string): Promise<MeasurementView[]> {
    return (await this.measurements.series(subjectId)).map(toView);
  }

  /**
   * Sends RECORD_REMEASUREMENT to a case waiting in `intervened`, for a reading taken on or after
   * the day the intervention started (calendar days in the regency); else says why not.
   */
  private async remeasure(em: EntityManager, actor: Actor, m: MeasurementEntity, open: OpenCase): Promise<{ moved: OpenCase | null; reason: string | null }> {
    const started = open.context.interventionStartedAt;
    if (open.state !== 'intervened' || !started) {
      return { moved: null, reason: `the child's case is ${open.state}: a reading re-measures it only while an intervention runs (intervened)` };
    }
    const startedDay = localDay(new Date(started), m.regencyCode);
    if (m.measuredOn < startedDay) return { moved: null, reason: `the reading is dated before the intervention started (${startedDay})` };
    // The reading's day, after the start if that was the same day, never later than now.
    const measuredAt = instantOf(m.measuredOn, m.regencyCode, { now: this.clock.now(), notBefore: new Date(started) }).toISOString();
    const view = await this.cases.apply(
      actor,
      open.id,
      open.version,
      {
        type: 'RECORD_REMEASUREMENT',
        payload: { measuredAt, heightCm: m.heightCm, ...(m.weightKg !== null ? { weightKg: m.weightKg } : {}), method: m.method, measurementId: m.id, haz: m.haz },
      },
      em,
      { cause: { aggregate: 'measurement', id: m.id, event: 'RECORDED' } },
    );
    return { moved: { id: open.id, state: view.state, version: view.version, context: view.context }, reason: null };
  }

  /** RESOLVE's evidence: the HAZ at identification (else the first after it) and the latest, plausible only. */
  async outcome(em: EntityManager, subjectId: string, identifiedAt: string) {
    const series = await this.measurements.plausibleHaz(em, subjectId);
    if (!series.length) return null;
    const day = identifiedAt.slice(0, 10);
    const atIdentification = [...series].reverse().find((s) => s.measuredOn <= day) ?? series[0];
    return { baselineHaz: atIdentification.haz, latestHaz: series[series.length - 1].haz };
  }

  private check(subject: SubjectSummary, dto: RecordMeasurementDto, measuredOn: string): void {
    const problems: FieldProblem[] = [];
    if (measuredOn < subject.birthDate) problems.push({ field: 'measuredAt', reason: 'is before the subject was born' });
    if (isFutureDay(measuredOn, subject.regencyCode, this.clock.now())) problems.push({ field: 'measuredAt', reason: 'is in the future' });
    if (dto.weightKg === undefined && dto.heightCm === undefined && dto.muacCm === undefined && dto.headCm === undefined) {
      problems.push({ field: 'weightKg', reason: 'give at least one of weightKg, heightCm, muacCm, headCm' });
    }
    if (problems.length) throw new ValidationFailed(problems);
  }
}

/**
 * Flags a drop of more than 1 cm from the child's tallest plausible length of the 60 days
 * before, and marks a reading with any implausibility flag as needing re-measurement. In reading
 * order: each plausible reading counts for the ones after it.
 */
function flagImplausible(rows: MeasurementEntity[], stored: { subjectId: string; measuredOn: string; lengthHeightCm: number }[]): void {
  const lengths = new Map<string, { on: string; cm: number }[]>();
  const lengthsOf = (id: string) => lengths.get(id) ?? lengths.set(id, []).get(id)!;
  const starts = new Map<string, string>(); // a batch has few distinct days
  const windowStart = (day: string) => starts.get(day) ?? starts.set(day, daysBefore(day, 60)).get(day)!;
  for (const l of stored) lengthsOf(l.subjectId).push({ on: l.measuredOn, cm: l.lengthHeightCm });
  for (const row of rows) {
    const earlier = lengths.get(row.subjectId);
    if (row.lengthHeightCm !== null && earlier?.length) {
      const from = windowStart(row.measuredOn);
      const window = earlier.filter((l) => l.on < row.measuredOn && l.on >= from);
      const before = window.length ? Math.max(...window.map((l) => l.cm)) : null;
      if (before !== null && before - row.lengthHeightCm > MAX_HEIGHT_DROP_CM) row.flags.push('height_drop');
    }
    row.needsRemeasurement = row.flags.some((f) => f.endsWith('_implausible') || f === 'height_drop');
    if (row.lengthHeightCm !== null && !row.needsRemeasurement) lengthsOf(row.subjectId).push({ on: row.measuredOn, cm: row.lengthHeightCm });
  }
}

/**
 * Readings of children registered in this transaction (`fresh`: they cannot be stored already,
 * so they lose only their repeats, the first staying as the unique index would have it, and skip
 * the conflict check) and the others.
 */
function splitReadings(rows: ScoredRow[]): { fresh: ScoredRow[]; others: ScoredRow[] } {
  const seen = new Set<string>();
  const fresh: ScoredRow[] = [];
  const others: ScoredRow[] = [];
  for (const r of rows) {
    if (!r.registered) {
      others.push(r);
      continue;
    }
    const key = readingKey(r.row);
    if (!seen.has(key)) {
      seen.add(key);
      fresh.push(r);
    }
  }
  return { fresh, others };
}

/** A plausible reading of a child with HAZ below −2: it opens a case if the child has none. */
const stuntedPlausible = ({ row, subject }: ScoredRow) =>
  CHILD_GROUPS.has(subject.targetGroup) && !row.needsRemeasurement && row.haz !== null && row.haz < STUNTED_BELOW;

/** What ux_measurements_reading makes unique (its NULLS NOT DISTINCT included). */
const readingKey = (m: MeasurementEntity) => `${m.subjectId}|${m.measuredOn}|${m.weightKg}|${m.heightCm}|${m.method}`;

function daysBefore(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

function toView(m: MeasurementEntity): MeasurementView {
  return {
    id: m.id,
    subjectId: m.subjectId,
    measuredAt: m.measuredOn,
    ageDays: m.ageDays,
    weightKg: m.weightKg,
    heightCm: m.heightCm,
    method: m.method,
    lengthHeightCm: m.lengthHeightCm,
    muacCm: m.muacCm,
    headCm: m.headCm,
    oedema: m.oedema,
    haz: m.haz,
    waz: m.waz,
    whz: m.whz,
    status: classify(m),
    flags: m.flags,
    needsRemeasurement: m.needsRemeasurement,
    trend: m.trend,
    warnings: m.warnings,
    caseId: m.caseId,
  };
}
