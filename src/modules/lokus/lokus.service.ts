import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isCalendarDay, localDay } from '../../common/clock/calendar-day.js';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { type FieldProblem, Forbidden, NotFound, ValidationFailed } from '../../common/errors/domain-error.js';
import { uuidv7 } from '../../common/ids/uuid-v7.js';
import { isRealDay } from '../families/dates.js';
import { CASE_STATES } from '../cases/machine/case.types.js';
import { type Actor, aggregateInScope, aggregatePrefix } from '../identity/actor.js';
import { RegionsService } from '../regions/regions.service.js';
import type { LokusQueryDto, LokusWatchQueryDto, SetLokusDto } from './dto/lokus.dto.js';
import { LokusWatchRepository, type WatchCount } from './lokus-watch.repository.js';
import { LokusRepository, type LokusSetRow } from './lokus.repository.js';
import { watchWindow } from './watch-window.js';

const OPEN_STATES = CASE_STATES.filter((s) => s !== 'resolved' && s !== 'closed');
const STEP_KINDS = ['case', 'task', 'intervention'] as const;

type ByKey<K extends string> = { total: number } & Record<K, number>;
export interface WatchCounts {
  openCases: ByKey<(typeof OPEN_STATES)[number]>;
  overdueSteps: ByKey<(typeof STEP_KINDS)[number]>;
  stepsDueToday: ByKey<(typeof STEP_KINDS)[number]>;
  pregnantDueWithin30Days: number;
  catinAtRisk: number;
  visitsDueThisWeek: number;
  visitsOverdue: number;
}

const byKey = <K extends string>(keys: readonly K[]): ByKey<K> => ({ total: 0, ...(Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>) });
const zero = (): WatchCounts => ({
  openCases: byKey(OPEN_STATES),
  overdueSteps: byKey(STEP_KINDS),
  stepsDueToday: byKey(STEP_KINDS),
  pregnantDueWithin30Days: 0,
  catinAtRisk: 0,
  visitsDueThisWeek: 0,
  visitsOverdue: 0,
});

function add(c: WatchCounts, r: WatchCount): void {
  const bump = (b: { total: number }, key: string | null) => {
    b.total += r.n;
    const byKey = b as unknown as Record<string, number>;
    if (key !== null && key in byKey) byKey[key] += r.n;
  };
  switch (r.kind) {
    case 'open_case': return bump(c.openCases, r.key);
    case 'overdue_step': return bump(c.overdueSteps, r.key);
    case 'step_due_today': return bump(c.stepsDueToday, r.key);
    case 'pregnant_due': c.pregnantDueWithin30Days += r.n; return;
    case 'catin_at_risk': c.catinAtRisk += r.n; return;
    case 'visit_due_this_week': c.visitsDueThisWeek += r.n; return;
    case 'visit_overdue': c.visitsOverdue += r.n; return;
  }
}

/**
 * Lokus villages by decree and the daily lokus watch (domain-wave2 §4 and §6): a regency's
 * priority villages of a year, and per village the counts the bupati's team looks at each day.
 * Counts only: no names leave this module.
 */
@Injectable()
export class LokusService {
  constructor(
    private readonly ds: DataSource,
    private readonly sets: LokusRepository,
    private readonly watchRows: LokusWatchRepository,
    private readonly regions: RegionsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Puts a decree's villages in force for the regency's year, replacing any earlier set (kept as history). */
  async set(actor: Actor, dto: SetLokusDto) {
    // A decree of another regency is a write into it, refused as every such write is (403); a list
    // that strays into another regency is a bad list (400 on the codes that stray).
    if (actor.regencyCode !== null && !dto.villageCodes.some((c) => c.slice(0, 4) === actor.regencyCode)) {
      throw new Forbidden('villageCodes name villages outside your regency');
    }
    const regency = actor.regencyCode ?? dto.villageCodes[0].slice(0, 4);
    const problems: FieldProblem[] = [];
    const lastYear = Number(localDay(this.clock.now(), regency).slice(0, 4)) + 1;
    if (dto.year > lastYear) problems.push({ field: 'year', reason: `must be at most ${lastYear}` });
    dto.villageCodes.forEach((code, i) => {
      if (!this.regions.isVillage(code)) problems.push({ field: `villageCodes.${i}`, reason: 'is not a Kemendagri village code' });
      else if (code.slice(0, 4) !== regency || !aggregateInScope(actor, code)) problems.push({ field: `villageCodes.${i}`, reason: `is not in regency ${regency}` });
    });
    if (problems.length) throw new ValidationFailed(problems);
    const id = uuidv7(this.clock.now().getTime());
    await this.ds.transaction((em) =>
      this.sets.replace(em, {
        id,
        regencyCode: regency,
        year: dto.year,
        decreeRef: dto.decreeRef,
        reasons: dto.reasons ?? [],
        villageCodes: [...dto.villageCodes].sort(),
        setBy: actor.userId,
        at: this.clock.now(),
      }),
    );
    return this.view(actor, regency, dto.year);
  }

  /** A regency's lokus of a year: the set in force with names, and the sets it replaced. */
  list(actor: Actor, q: LokusQueryDto) {
    const regency = this.regencyOf(actor, q.regencyCode);
    return this.view(actor, regency, q.year ?? Number(localDay(this.clock.now(), regency).slice(0, 4)));
  }

  /** The daily lokus watch of a regency on a day: counts per lokus village of that day's year, and their totals. */
  async watch(actor: Actor, q: LokusWatchQueryDto) {
    const regency = this.regencyOf(actor, q.regencyCode);
    const today = localDay(this.clock.now(), regency);
    const day = q.date ?? today;
    if (!isCalendarDay(day) || !isRealDay(day)) throw ValidationFailed.field('date', 'is not a calendar date');
    if (day > today) throw ValidationFailed.field('date', 'is in the future');
    const year = Number(day.slice(0, 4));
    const window = watchWindow(day, regency);
    const lokus = await this.sets.villages(regency, year, actor.villageCodes);
    const counts = lokus ? await this.watchRows.counts(regency, lokus.villageCodes, window) : [];
    const perVillage = new Map((lokus?.villageCodes ?? []).map((v) => [v, zero()]));
    const totals = zero();
    for (const r of counts) {
      add(perVillage.get(r.villageCode)!, r);
      add(totals, r);
    }
    return {
      regencyCode: regency,
      date: day,
      year,
      weekEnd: window.weekEnd,
      lokusSetId: lokus?.setId ?? null,
      villages: [...perVillage].map(([villageCode, c]) => ({ ...this.place(villageCode), ...c })).sort(byPlace),
      totals,
    };
  }

  private async view(actor: Actor, regency: string, year: number) {
    const sets = await this.sets.history(regency, year);
    const visible = (codes: string[]) => (actor.villageCodes === null ? codes : codes.filter((c) => actor.villageCodes!.includes(c)));
    const current = sets.find((s) => s.replacedAt === null);
    const summary = (s: LokusSetRow) => ({ id: s.id, decreeRef: s.decreeRef, reasons: s.reasons, setBy: s.setBy, setAt: new Date(s.setAt).toISOString() });
    return {
      regencyCode: regency,
      year,
      current: current ? { ...summary(current), villages: visible(current.villageCodes).map((v) => this.place(v)).sort(byPlace) } : null,
      replaced: sets
        .filter((s) => s.replacedAt !== null)
        .map((s) => ({ ...summary(s), villageCodes: visible(s.villageCodes), replacedAt: new Date(s.replacedAt!).toISOString() })),
    };
  }

  private place(villageCode: string) {
    const p = this.regions.place(villageCode);
    return { villageCode, villageName: p.villageName, districtCode: p.districtCode, districtName: p.districtName };
  }

  /** The regency an aggregate read is about: the one named (inside the caller's scope, else 404), or the caller's own. */
  private regencyOf(actor: Actor, requested: string | undefined): string {
    const prefix = aggregatePrefix(actor);
    if (requested !== undefined) {
      if (!aggregateInScope(actor, requested) || !this.regions.isRegency(requested)) throw new NotFound('regency');
      return requested;
    }
    if (prefix.length === 4) return prefix;
    throw ValidationFailed.field('regencyCode', 'is required for a user not bound to one regency');
  }
}

const byPlace = (a: { districtCode: string | null; villageCode: string }, b: { districtCode: string | null; villageCode: string }) =>
  (a.districtCode ?? '').localeCompare(b.districtCode ?? '') || a.villageCode.localeCompare(b.villageCode);
