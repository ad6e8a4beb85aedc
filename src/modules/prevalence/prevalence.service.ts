import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { Conflict, NotFound, ValidationFailed } from '../../common/errors/domain-error.js';
import { uuidv7 } from '../../common/ids/uuid-v7.js';
import { type Actor, aggregateInScope, aggregatePrefix } from '../identity/actor.js';
import { RegionsService } from '../regions/regions.service.js';
import type { HotspotsQueryDto, PrevalenceQueryDto, SurveyFigureDto, SurveyFiguresQueryDto } from './dto/prevalence.dto.js';
import {
  add,
  childMonths,
  countByVillage,
  type Counts,
  type CountRow,
  type Figures,
  figuresOf,
  freezeInstant,
  frozenView,
  isSnapshotPeriod,
  monthsBetween,
  type PrevalenceRules,
  previousSnapshotPeriod,
  rollUp,
  ZERO,
} from './prevalence.js';
import { PrevalenceRepository, type SnapshotRow, type SurveyFigureRow, type TargetRow } from './prevalence.repository.js';

export type Level = 'desa' | 'kecamatan' | 'kabupaten' | 'provinsi';
export const LEVEL_DIGITS: Record<Level, number> = { desa: 10, kecamatan: 6, kabupaten: 4, provinsi: 2 };
const MAX_MONTHS = 36;

export interface PrevalenceRow extends Figures {
  regionCode: string;
  regionName: string | null;
  level: Level;
  period: string;
  /** Always the routine register (e-PPGBM readings counted by Tuntas), never a survey prevalence. */
  source: 'register';
  targetPopulation: number | null;
  /** For a frozen bulan timbang month: the figures above are the frozen ones. */
  snapshot: null | {
    frozenAt: string;
    revised: boolean;
    latestRevision: number;
    /** The figures with every reading stored now, when they differ from the frozen ones. */
    current: Figures | null;
  };
}

/** A target and whether a register rate of that region may be set against it (see docs/prevalence.md). */
export interface TargetView extends TargetRow {
  comparable: boolean;
  comparableReason: string;
}

/**
 * Register prevalence per region and month from the counts the trigger on measurements keeps,
 * bulan timbang snapshots frozen as of a fixed instant and revised (never changed) by late data,
 * targets, target populations and survey figures as separate, labelled series.
 */
@Injectable()
export class PrevalenceService {
  /** Months known frozen: the freeze row is never removed. */
  private readonly frozenKnown = new Set<string>();

  constructor(
    private readonly ds: DataSource,
    private readonly repo: PrevalenceRepository,
    private readonly regions: RegionsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async report(actor: Actor, q: PrevalenceQueryDto) {
    const level = q.level as Level;
    const code = this.scopeCode(actor, q.code);
    const digits = LEVEL_DIGITS[level];
    if (code.length > digits) throw ValidationFailed.field('code', `must be a region at or above the ${level} level`);
    if (level === 'desa' && code.length < 4) throw ValidationFailed.field('code', 'must be a regency or kecamatan code for the desa level');
    if (q.from > q.to) throw ValidationFailed.field('from', 'must not be after to');
    const periods = monthsBetween(q.from, q.to);
    if (periods.length > MAX_MONTHS) throw ValidationFailed.field('to', `must be at most ${MAX_MONTHS} months after from`);

    const rules = await this.repo.rules();
    const { rows, regionCodes } = await this.figures(level, code, q.from, q.to, rules);
    const years = [...new Set(periods.map((p) => Number(p.slice(0, 4))))];
    const targetCodes = [...new Set([code, ...regionCodes])];
    const [populations, targets, surveys] = await Promise.all([
      this.repo.targetPopulations(regionCodes, years),
      this.repo.targets(targetCodes, years),
      this.repo.surveyFigures({ codes: targetCodes }),
    ]);
    const population = new Map(populations.map((p) => [`${p.regionCode}|${p.year}`, p.children0to59]));
    const items = rows.map((r) => {
      const eligible = population.get(`${r.regionCode}|${r.period.slice(0, 4)}`) ?? null;
      const shown = r.snapshot ? r.snapshot.frozen : r.live;
      return {
        regionCode: r.regionCode,
        regionName: this.regions.find(r.regionCode)?.name ?? null,
        level,
        period: r.period,
        source: 'register' as const,
        ...figuresOf(shown, rules, eligible),
        targetPopulation: eligible,
        snapshot: r.snapshot && {
          frozenAt: r.snapshot.frozenAt,
          revised: r.snapshot.revised,
          latestRevision: r.snapshot.latestRevision,
          current: r.snapshot.revised ? figuresOf(r.live, rules, eligible) : null,
        },
      } satisfies PrevalenceRow;
    });
    return {
      level,
      code,
      from: q.from,
      to: q.to,
      source: 'register' as const,
      label: 'Register rate from e-PPGBM and Tuntas readings (children measured), not a survey prevalence (SSGI/SKI)',
      ruleVersion: rules.ruleVersion,
      minMeasured: rules.minMeasured,
      items,
      targets: targets.map((t) => this.targetView(t)),
      surveys: surveys.map((s) => ({ ...s, series: 'survey' as const })),
    };
  }

  async hotspots(actor: Actor, q: HotspotsQueryDto) {
    const level = q.level as Level;
    const code = this.scopeCode(actor, q.code);
    if (code.length > LEVEL_DIGITS[level]) throw ValidationFailed.field('code', `must be a region at or above the ${level} level`);
    if (level === 'desa' && code.length < 4) throw ValidationFailed.field('code', 'must be a regency or kecamatan code for the desa level');
    const rules = await this.repo.rules();
    const previous = isSnapshotPeriod(q.period, rules) ? previousSnapshotPeriod(q.period, rules) : monthBefore(q.period);
    // One after the other: each may freeze and revise its month in a transaction of its own.
    const now = await this.figures(level, code, q.period, q.period, rules, false);
    const before = await this.figures(level, code, previous, previous, rules, false);
    const prior = new Map(before.rows.map((r) => [r.regionCode, figuresOf(r.snapshot?.frozen ?? r.live, rules)]));
    const items = now.rows
      .map((r) => {
        const f = figuresOf(r.snapshot?.frozen ?? r.live, rules);
        const p = prior.get(r.regionCode) ?? figuresOf(ZERO, rules);
        return {
          regionCode: r.regionCode,
          regionName: this.regions.find(r.regionCode)?.name ?? null,
          level,
          period: q.period,
          source: 'register' as const,
          ...f,
          frozen: r.snapshot !== null,
          change: {
            period: previous,
            stunted: f.stunted - p.stunted,
            prevalence: f.prevalence === null || p.prevalence === null ? null : Math.round((f.prevalence - p.prevalence) * 100) / 100,
          },
        };
      })
      .filter((r) => r.measured + r.excludedImplausible > 0)
      .sort((a, b) => {
        if (a.suppressed !== b.suppressed) return a.suppressed ? 1 : -1;
        if (a.stunted !== b.stunted) return b.stunted - a.stunted;
        if ((a.prevalence ?? 0) !== (b.prevalence ?? 0)) return (b.prevalence ?? 0) - (a.prevalence ?? 0);
        return a.regionCode < b.regionCode ? -1 : 1;
      })
      .map((r, i) => ({ rank: i + 1, ...r }));
    return { level, code, period: q.period, comparedWith: previous, source: 'register' as const, minMeasured: rules.minMeasured, items };
  }

  /**
   * Live and frozen counts of every region at the level under `code`, per month: from village
   * counts for desa and kecamatan, from regency counts above. A frozen month's snapshots are
   * made first (and revised when late data changed the live counts).
   */
  private async figures(level: Level, code: string, from: string, to: string, rules: PrevalenceRules, withEmpty = true) {
    const digits = LEVEL_DIGITS[level];
    const source: 4 | 10 = digits > 4 ? 10 : 4;
    const periods = monthsBetween(from, to);
    const now = this.clock.now();
    const frozenPeriods = periods.filter((p) => isSnapshotPeriod(p, rules) && now >= freezeInstant(p, rules));
    for (const p of frozenPeriods) {
      await this.freeze(p, rules);
      await this.repo.revise(source, code, p, now, rules.ruleVersion);
    }
    const [live, snaps] = await Promise.all([this.repo.counts(source, code, from, to), this.repo.snapshots(source, code, frozenPeriods)]);
    const liveBy = new Map(rollUp(live, digits).map((r) => [`${r.regionCode}|${r.period}`, r as Counts]));
    const snapBy = rollUpSnapshots(snaps, digits);
    const codes = new Set<string>([...liveBy.keys(), ...snapBy.keys()].map((k) => k.split('|')[0]));
    if (withEmpty) for (const r of this.regionsAt(code, digits)) codes.add(r);
    const sorted = [...codes].sort();
    const rows = sorted.flatMap((regionCode) =>
      periods.map((period) => {
        const key = `${regionCode}|${period}`;
        const counts = liveBy.get(key) ?? ZERO;
        const s = frozenPeriods.includes(period) ? (snapBy.get(key) ?? { frozenAt: freezeInstant(period, rules).toISOString(), frozen: ZERO, latest: ZERO, latestRevision: 0 }) : null;
        const view = s && frozenView(s, counts);
        return {
          regionCode,
          period,
          live: counts,
          snapshot: s && view && { frozenAt: s.frozenAt, frozen: view.shown, revised: view.revised, latestRevision: s.latestRevision },
        };
      }),
    );
    return { rows, regionCodes: sorted };
  }

  /**
   * Freezes a bulan timbang month once, as of its freeze instant whatever the time it runs: the
   * child-months written by then as they are, and the children whose counted reading came later
   * re-counted from their readings written by then. Replica-safe: the first to claim the month writes it.
   */
  async freeze(period: string, rules: PrevalenceRules): Promise<boolean> {
    if (this.frozenKnown.has(period)) return false;
    const frozenAt = freezeInstant(period, rules);
    const now = this.clock.now();
    if (now < frozenAt) return false;
    const done = await this.ds.transaction(async (em) => {
      if (!(await this.repo.claimFreeze(em, period, frozenAt, now, rules.ruleVersion))) return false;
      const written = await this.repo.countsWrittenBy(em, period, frozenAt);
      const late = countByVillage(childMonths(await this.repo.lateChildrenReadings(em, period, frozenAt), rules));
      const byVillage = new Map<string, Counts>(written.map((r) => [r.regionCode, r]));
      for (const [key, c] of late) {
        const village = key.split('|')[0];
        byVillage.set(village, add(byVillage.get(village) ?? ZERO, c));
      }
      const villages = [...byVillage].map(([regionCode, c]) => ({ regionCode, period, ...c }));
      const rows = [
        ...villages.map((v) => ({ digits: 10 as const, regionCode: v.regionCode, counts: v as Counts })),
        ...rollUp(villages, 4).map((r) => ({ digits: 4 as const, regionCode: r.regionCode, counts: r as Counts })),
      ];
      await this.repo.insertFrozen(em, period, rows, frozenAt, now, rules.ruleVersion);
      return true;
    });
    this.frozenKnown.add(period);
    return done;
  }

  /** The scheduled pass: freezes every due bulan timbang month with data and revises it everywhere. */
  async freezeDue(): Promise<{ frozen: string[]; revisions: number }> {
    const rules = await this.repo.rules();
    const now = this.clock.now();
    const due = (await this.repo.periodsWithData()).filter((p) => isSnapshotPeriod(p, rules) && now >= freezeInstant(p, rules));
    const frozen: string[] = [];
    let revisions = 0;
    for (const p of due) {
      if (await this.freeze(p, rules)) frozen.push(p);
      revisions += await this.repo.revise(10, '', p, now, rules.ruleVersion);
      revisions += await this.repo.revise(4, '', p, now, rules.ruleVersion);
    }
    return { frozen, revisions };
  }

  // ---- targets, target populations, survey figures ----

  async putTarget(actor: Actor, code: string, year: number, dto: { value: number; basis: TargetRow['basis'] }) {
    this.writable(actor, code);
    return this.targetView(await this.repo.putTarget(code, year, dto.value, dto.basis, actor.userId, this.clock.now()));
  }

  async targets(actor: Actor, code: string, year?: number) {
    this.readable(actor, code);
    return { items: (await this.repo.targets([code], year === undefined ? undefined : [year])).map((t) => this.targetView(t)) };
  }

  async putTargetPopulation(actor: Actor, code: string, year: number, children: number) {
    this.writable(actor, code);
    return this.repo.putTargetPopulation(code, year, children, actor.userId, this.clock.now());
  }

  async targetPopulations(actor: Actor, code: string, year?: number) {
    this.readable(actor, code);
    const years = year === undefined ? Array.from({ length: 20 }, (_, i) => 2015 + i) : [year];
    return { items: await this.repo.targetPopulations([code], years) };
  }

  async addSurveyFigure(actor: Actor, dto: SurveyFigureDto): Promise<SurveyFigureRow & { series: 'survey' }> {
    this.writable(actor, dto.regionCode);
    if (dto.ci && dto.ci.low > dto.ci.high) throw ValidationFailed.field('ci', 'low must not be above high');
    const row = await this.repo.insertSurveyFigure(
      { id: uuidv7(this.clock.now().getTime()), source: dto.source, year: dto.year, regionCode: dto.regionCode, value: dto.value, ci: dto.ci ?? null, note: dto.note ?? null },
      actor.userId,
      this.clock.now(),
    );
    if (!row) throw new Conflict(`a ${dto.source} figure for ${dto.regionCode || 'the nation'} in ${dto.year} is recorded already`);
    return { ...row, series: 'survey' };
  }

  async surveyFigures(actor: Actor, q: SurveyFiguresQueryDto) {
    if (q.regionCode !== undefined) this.readable(actor, q.regionCode);
    const prefix = aggregatePrefix(actor);
    // A regency's reader also sees the figures of its province and the nation, which contain it.
    const above = prefix ? ['', prefix.slice(0, 2)].filter((c) => c.length < prefix.length) : [];
    const [inside, outside] = await Promise.all([
      this.repo.surveyFigures({ prefix: q.regionCode ?? prefix, year: q.year, source: q.source }),
      q.regionCode === undefined ? this.repo.surveyFigures({ codes: above, year: q.year, source: q.source }) : Promise.resolve([]),
    ]);
    return { items: [...outside, ...inside].map((s) => ({ ...s, series: 'survey' as const })) };
  }

  /** The code asked for, in the actor's aggregate scope (404 outside it), or the whole scope. */
  private scopeCode(actor: Actor, code: string | undefined): string {
    const c = code ?? aggregatePrefix(actor);
    if (!aggregateInScope(actor, c)) throw new NotFound('region');
    return c;
  }

  private readable(actor: Actor, code: string): void {
    // The figures of a region containing the actor's are public-sector context, readable too.
    if (!aggregateInScope(actor, code) && !aggregatePrefix(actor).startsWith(code)) throw new NotFound('region');
  }

  private writable(actor: Actor, code: string): void {
    if (!aggregateInScope(actor, code)) throw new NotFound('region');
  }

  private targetView(t: TargetRow): TargetView {
    const national = t.basis === 'perpres' || t.basis === 'rpjmn';
    const comparable = national ? t.regionCode === '' : t.regionCode.length === 2 || t.regionCode.length === 4;
    const comparableReason = comparable
      ? `a ${t.basis.toUpperCase()} target of this region's own level; it is set against survey prevalence (SSGI/SKI), so read the register rate beside it, not as its measure`
      : national
        ? `${t.basis.toUpperCase()} targets are national: compare them with the national figure only`
        : `${t.basis.toUpperCase()} targets are set by a province or regency: a kecamatan or village figure is not compared with them`;
    return { ...t, comparable, comparableReason };
  }

  /** Region codes at `digits` under `code`, from the regions data (for rows with nobody measured yet). */
  private regionsAt(code: string, digits: number): string[] {
    const out: string[] = [];
    const walk = (c: string) => {
      if (c.length === digits) return void out.push(c);
      for (const r of this.regions.childrenOf(c || undefined) ?? []) if (r.code.length <= digits) walk(r.code);
    };
    if (code === '' && digits > 2) return out; // the nation's villages or kecamatan: only those with data
    walk(code);
    return out;
  }
}

function monthBefore(period: string): string {
  const [y, m] = period.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

function rollUpSnapshots(rows: SnapshotRow[], digits: number) {
  const out = new Map<string, { frozenAt: string; frozen: Counts; latest: Counts; latestRevision: number }>();
  for (const r of rows) {
    const key = `${r.regionCode.slice(0, digits)}|${r.period}`;
    const held = out.get(key);
    out.set(key, {
      frozenAt: r.frozenAt,
      frozen: add(held?.frozen ?? ZERO, r),
      latest: add(held?.latest ?? ZERO, r.latest),
      latestRevision: Math.max(held?.latestRevision ?? 0, r.latestRevision),
    });
  }
  return out;
}

export type { CountRow };
