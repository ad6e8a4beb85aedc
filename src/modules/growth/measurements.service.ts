import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { uuidv7 } from '../../common/ids/uuid-v7.js';
import { Conflict, type FieldProblem, NotFound, ValidationFailed } from '../../common/errors/domain-error.js';
import { CasesService, type OpenCase } from '../cases/cases.service.js';
import { type Actor, regencyScope } from '../identity/actor.js';
import { SubjectsService, type SubjectSummary } from '../subjects/subjects.service.js';
import type { RecordMeasurementDto } from './dto/measurement.dto.js';
import type { MeasurementEntity } from './measurement.entity.js';
import { MeasurementsRepository } from './measurements.repository.js';
import { ageInDays, classify, whoTables, zscores } from './who/who-growth.js';

const CHILD_GROUPS = new Set(['BALITA', 'BADUTA']);
/** Stunted: HAZ below −2 SD (Permenkes 2/2020). */
const STUNTED_BELOW = -2;
/** Domain brief §4.6: a drop of more than 1 cm within 60 days is a measuring error until proven otherwise. */
const MAX_HEIGHT_DROP_CM = 1.0;

/** Told, in the writing transaction, of the readings it stored (the FHIR export queues them there). */
export type StoredReadingsListener = (em: EntityManager, stored: { id: string; regencyCode: string }[]) => Promise<void>;

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
  caseId: string | null;
}

/**
 * Measurements scored against the WHO standards. A plausible stunted reading opens a case; a
 * plausible reading of a child whose case waits in `intervened` re-measures it; both in the
 * measurement's transaction. An implausible reading only asks for a re-measurement.
 */
@Injectable()
export class MeasurementsService implements OnModuleInit {
  private storedListener: StoredReadingsListener | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly measurements: MeasurementsRepository,
    private readonly subjects: SubjectsService,
    private readonly cases: CasesService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.cases.useOutcomeEvidence((em, subjectId, identifiedAt) => this.outcome(em, subjectId, identifiedAt));
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
      const measuredOn = reading.measuredAt.slice(0, 10);
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
    const { fresh, others } = splitReadings(rows);
    // A child registered in this batch has no case yet: its first plausible stunted reading opens
    // one before the readings are stored, so that it goes in with its case id (no UPDATE after).
    const opening = new Set<string>();
    const openedFirst = new Set<ScoredRow>();
    for (const r of fresh) {
      if (!stuntedPlausible(r) || opening.has(r.subject.id)) continue;
      opening.add(r.subject.id);
      openedFirst.add(r);
    }
    await this.openCases(em, actor, source, [...openedFirst]);
    await this.measurements.insertNew(em, fresh.map((r) => r.row));
    const inserted = await this.measurements.insertMany(em, others.map((r) => r.row));
    for (const r of fresh) inserted.add(r.row.id);
    if (this.storedListener && inserted.size) {
      await this.storedListener(em, rows.filter((r) => inserted.has(r.row.id)).map((r) => ({ id: r.row.id, regencyCode: r.row.regencyCode })));
    }
    const open = await this.cases.openCasesFor(em, storedIds);
    const linked: { id: string; caseId: string }[] = [];
    const toOpen: ScoredRow[] = [];
    for (const r of rows) {
      const { i, row, subject } = r;
      if (!inserted.has(row.id)) {
        out[i] = { view: toView(row), duplicate: true, effect: null };
        continue;
      }
      out[i] = { view: toView(row), duplicate: false, effect: openedFirst.has(r) ? 'opened' : null };
      if (r.registered || !CHILD_GROUPS.has(subject.targetGroup) || row.needsRemeasurement || row.haz === null) continue;
      const current = open.get(subject.id);
      if (!current) {
        if (row.haz >= STUNTED_BELOW || opening.has(subject.id)) continue;
        opening.add(subject.id);
        toOpen.push(r);
        continue;
      }
      const moved = await this.remeasure(em, actor, row, current);
      if (moved) {
        open.set(subject.id, moved);
        row.caseId = moved.id;
        linked.push({ id: row.id, caseId: moved.id });
        out[i] = { view: toView(row), duplicate: false, effect: 'remeasured' };
      }
    }
    await this.openCases(em, actor, source, toOpen);
    for (const { i, row } of toOpen) {
      linked.push({ id: row.id, caseId: row.caseId! });
      out[i] = { view: toView(row), duplicate: false, effect: 'opened' };
    }
    await this.measurements.linkCases(em, linked);
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
        identifiedAt: new Date(`${row.measuredOn}T00:00:00Z`),
        evidence: { id: row.id, measuredOn: row.measuredOn, heightCm: row.heightCm, lengthHeightCm: row.lengthHeightCm, haz: row.haz },
      })),
    );
    readings.forEach(({ row }, k) => (row.caseId = ids[k]));
  }

  async growth(actor: Actor, subjectId: string) {
    const subject = await this.subjects.summaryInScope(this.ds.manager, subjectId, regencyScope(actor));
    if (!subject) throw new NotFound('subject');
    const t = whoTables();
    const rows = await this.measurements.series(subjectId);
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

  /** Every reading of a subject, for the subject's data export. */
  async exportFor(subjectId: string): Promise<MeasurementView[]> {
    return (await this.measurements.series(subjectId)).map(toView);
  }

  /** Sends RECORD_REMEASUREMENT to a case waiting in `intervened`, for a reading taken after the intervention started. */
  private async remeasure(em: EntityManager, actor: Actor, m: MeasurementEntity, open: OpenCase): Promise<OpenCase | null> {
    const started = open.context.interventionStartedAt;
    // The reading's day, but never later than now (a WIT "today" may still be tomorrow in UTC).
    const measuredAt = new Date(Math.min(Date.parse(`${m.measuredOn}T00:00:00Z`), this.clock.now().getTime())).toISOString();
    if (open.state !== 'intervened' || !started || measuredAt <= started) return null;
    const view = await this.cases.apply(
      actor,
      open.id,
      open.version,
      {
        type: 'RECORD_REMEASUREMENT',
        payload: { measuredAt, heightCm: m.heightCm, ...(m.weightKg !== null ? { weightKg: m.weightKg } : {}), method: m.method, measurementId: m.id, haz: m.haz },
      },
      em,
      { asEffect: true },
    );
    return { id: open.id, state: view.state, version: view.version, context: view.context };
  }

  /** RESOLVE's evidence: the HAZ at identification (else the first after it) and the latest, plausible only. */
  private async outcome(em: EntityManager, subjectId: string, identifiedAt: string) {
    const series = await this.measurements.plausibleHaz(em, subjectId);
    if (!series.length) return null;
    const day = identifiedAt.slice(0, 10);
    const atIdentification = [...series].reverse().find((s) => s.measuredOn <= day) ?? series[0];
    return { baselineHaz: atIdentification.haz, latestHaz: series[series.length - 1].haz };
  }

  private check(subject: SubjectSummary, dto: RecordMeasurementDto, measuredOn: string): void {
    const problems: FieldProblem[] = [];
    // "Today" in WIT (UTC+9), the easternmost time zone, so no reading of today is refused.
    const today = new Date(this.clock.now().getTime() + 9 * 3600_000).toISOString().slice(0, 10);
    if (measuredOn < subject.birthDate) problems.push({ field: 'measuredAt', reason: 'is before the subject was born' });
    if (measuredOn > today) problems.push({ field: 'measuredAt', reason: 'is in the future' });
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
    caseId: m.caseId,
  };
}
