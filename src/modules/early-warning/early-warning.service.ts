import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { NotFound, ValidationFailed } from '../../common/errors/domain-error.js';
import { uuidv7 } from '../../common/ids/uuid-v7.js';
import { addDaysIso, completedMonths, localDay } from '../families/dates.js';
import type { ChildTrends } from '../growth/measurements.service.js';
import { MeasurementsService } from '../growth/measurements.service.js';
import { KmsStandardsService } from '../growth/kms/kms-standards.service.js';
import type { Warning } from '../growth/kms/trends.js';
import { type Actor, aggregateInScope, villageInScope } from '../identity/actor.js';
import { CasesService } from '../cases/cases.service.js';
import { RegionsService } from '../regions/regions.service.js';
import { TasksService } from '../tasks/tasks.service.js';
import { VisitsService } from '../visits/visits.service.js';
import type { EarlyWarningQueryDto, SkdnQueryDto } from './dto/early-warning.dto.js';
import { type FlagRow, FlagsRepository } from './flags.repository.js';
import { replayFlags } from './flags.js';
import { type VillageFilter, WatchRepository } from './watch.repository.js';

/** The flags that ask for a follow-up (issue 23 part 3): a referral task and, where a TPK team covers the village, a visit. */
export const REFERRING: readonly Warning[] = ['2T', 'BGM', 'faltering'];

/** A flag a batch of readings raised and that is still open after it. */
export interface RaisedFlag {
  id: string;
  regencyCode: string;
  villageCode: string;
  subjectId: string;
  kind: Warning;
  /** The reading that raised it: the referral's evidence. */
  measurementId: string;
  raisedOn: string;
}

const nextMonth = (m: string) => {
  const [y, mo] = m.split('-').map(Number);
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};
const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => `${w[0].toUpperCase()}.`)
    .join(' ');

/**
 * Early warning: a child's weighings raise flags (2T, BGM, above_orange, faltering) and the
 * weighing that ends one clears it, in the readings' transaction; lost children (no reading for
 * the standard's days while under five) are computed when asked, against the Clock. The watch
 * lists both by village; SKDN counts a month as a posyandu does.
 */
@Injectable()
export class EarlyWarningService implements OnModuleInit {
  constructor(
    private readonly flags: FlagsRepository,
    private readonly watch: WatchRepository,
    private readonly measurements: MeasurementsService,
    private readonly kms: KmsStandardsService,
    private readonly regions: RegionsService,
    private readonly visits: VisitsService,
    private readonly cases: CasesService,
    private readonly tasks: TasksService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.measurements.onTrends((em, actor, trends) => this.flagsFrom(em, actor, trends).then(() => undefined));
  }

  /**
   * The follow-up of children newly flagged 2T, BGM or faltering: a referral task for the
   * regency's referral OPD (DINKES unless its KMS standard says otherwise) and, where a TPK team
   * covers the village, one TPK visit due within 7 days; never a second of either while one is
   * open. A child with an open case gets neither: the case owns its follow-up.
   */
  private async followUp(em: EntityManager, actor: Actor, raised: RaisedFlag[]): Promise<void> {
    const children = new Map(raised.map((f) => [f.subjectId, f]));
    const open = await this.cases.openCasesFor(em, [...children.keys()]);
    const due = [...children.values()].filter((f) => !open.has(f.subjectId));
    if (!due.length) return;
    const standards = await this.kms.current(em, [...new Set(due.map((f) => f.regencyCode))]);
    await this.tasks.refer(em, actor, due.map((f) => ({ ...f, opdCode: standards.get(f.regencyCode)?.referralOpdCode ?? 'DINKES' })));
    await this.visits.scheduleFollowUps(em, actor, due.map((f) => ({ subjectId: f.subjectId, regencyCode: f.regencyCode, villageCode: f.villageCode })));
  }

  /**
   * Raises and clears the flags of the children a batch re-scored, replaying each child's readings
   * from the batch's first day: one read and at most four writes for the whole batch. Returns the
   * flags raised that are still open.
   */
  async flagsFrom(em: EntityManager, actor: Actor, trends: ChildTrends[]): Promise<RaisedFlag[]> {
    // A child registered in this batch has no flags yet: an import of new children reads none.
    const existing = await this.flags.from(em, trends.filter((c) => !c.fresh).map((c) => ({ subjectId: c.subjectId, day: c.from })));
    const bySubject = new Map<string, FlagRow[]>();
    for (const f of existing) (bySubject.get(f.subjectId) ?? bySubject.set(f.subjectId, []).get(f.subjectId)!).push(f);
    const now = this.clock.now();
    const inserted: FlagRow[] = [];
    const cleared: FlagRow[] = [];
    const reopened: FlagRow[] = [];
    const deleted: string[] = [];
    for (const child of trends) {
      const changes = replayFlags(child, bySubject.get(child.subjectId) ?? [], () => uuidv7(now.getTime()));
      inserted.push(...changes.inserted);
      cleared.push(...changes.cleared);
      reopened.push(...changes.reopened);
      deleted.push(...changes.deleted);
    }
    await this.flags.delete(em, deleted);
    await this.flags.setCleared(em, cleared, now);
    await this.flags.setCleared(em, reopened, now);
    await this.flags.insert(em, inserted, now);
    const raised = inserted
      .filter((f) => f.clearedBy === null && REFERRING.includes(f.kind))
      .map((f) => ({ id: f.id, regencyCode: f.regencyCode, villageCode: f.villageCode, subjectId: f.subjectId, kind: f.kind, measurementId: f.raisedBy, raisedOn: f.raisedOn }));
    if (raised.length) await this.followUp(em, actor, raised);
    return raised;
  }

  /** The watch: flagged and lost children by village, newest flag first, with counts per flag. */
  async earlyWarning(actor: Actor, q: EarlyWarningQueryDto) {
    const filter = this.filter(actor, q.regencyCode, q.villageCode, q.kecamatanCode);
    const today = localDay(filter.regencyCode, this.clock.now());
    const month = q.month ?? today.slice(0, 7);
    const monthEnd = addDaysIso(`${nextMonth(month)}-01`, -1);
    const asOf = monthEnd < today ? monthEnd : today;
    if (`${month}-01` > today) throw ValidationFailed.field('month', 'is in the future');
    const [standard] = [...(await this.kms.current(undefined, [filter.regencyCode])).values()];
    const [flagged, lost] = await Promise.all([this.watch.flagged(filter, asOf), this.watch.lost(filter, asOf, standard.lostAfterDays)]);
    const byName = actor.role !== 'viewer';
    type Child = {
      subjectId: string;
      name: string;
      sex: 'M' | 'F';
      ageMonths: number;
      flags: { kind: string; raisedOn: string; measurementId: string }[];
      lost: boolean;
      lastReadingOn: string | null;
      newest: string;
    };
    const villages = new Map<string, Map<string, Child>>();
    const childOf = (r: { subjectId: string; name: string; sex: 'M' | 'F'; birthDate: string; villageCode: string }, newest: string) => {
      const v = villages.get(r.villageCode) ?? villages.set(r.villageCode, new Map()).get(r.villageCode)!;
      return (
        v.get(r.subjectId) ??
        v
          .set(r.subjectId, {
            subjectId: r.subjectId,
            name: byName ? r.name : initials(r.name),
            sex: r.sex,
            ageMonths: completedMonths(r.birthDate, asOf),
            flags: [],
            lost: false,
            lastReadingOn: null,
            newest,
          })
          .get(r.subjectId)!
      );
    };
    const counts: Record<string, number> = { '2T': 0, BGM: 0, above_orange: 0, faltering: 0, lost: 0 };
    for (const f of flagged) {
      childOf(f, f.raisedOn).flags.push({ kind: f.kind, raisedOn: f.raisedOn, measurementId: f.raisedBy });
      counts[f.kind] += 1;
    }
    for (const l of lost) {
      const c = childOf(l, addDaysIso(l.lastReadingOn, standard.lostAfterDays));
      c.lost = true;
      c.lastReadingOn = l.lastReadingOn;
      counts.lost += 1;
    }
    const newestFirst = <T extends { newest: string }>(a: T, b: T) => (a.newest < b.newest ? 1 : a.newest > b.newest ? -1 : 0);
    const items = [...villages].map(([villageCode, children]) => {
      const list = [...children.values()].sort(newestFirst);
      const villageCounts: Record<string, number> = { '2T': 0, BGM: 0, above_orange: 0, faltering: 0, lost: 0 };
      for (const c of list) {
        for (const f of c.flags) villageCounts[f.kind] += 1;
        if (c.lost) villageCounts.lost += 1;
      }
      const { villageName, districtName } = this.regions.place(villageCode);
      return { villageCode, villageName, districtName, counts: villageCounts, newest: list[0].newest, children: list.map(({ newest: _n, ...c }) => c) };
    });
    items.sort(newestFirst);
    return {
      regencyCode: filter.regencyCode,
      month,
      asOf,
      kmsVersion: standard.version,
      counts,
      villages: items.map(({ newest: _n, ...v }) => v),
    };
  }

  /** SKDN of a month per village, as a posyandu counts it, with the early-warning figures. */
  async skdn(actor: Actor, q: SkdnQueryDto) {
    const filter = this.filter(actor, q.regencyCode, q.villageCode, undefined);
    const today = localDay(filter.regencyCode, this.clock.now());
    if (`${q.month}-01` > today) throw ValidationFailed.field('month', 'is in the future');
    const monthEnd = addDaysIso(`${nextMonth(q.month)}-01`, -1);
    const [standard] = [...(await this.kms.current(undefined, [filter.regencyCode])).values()];
    const rows = await this.watch.skdn(filter, `${q.month}-01`, monthEnd < today ? monthEnd : today, standard.lostAfterDays);
    const total = { s: 0, k: 0, d: 0, n: 0, t: 0, twoT: 0, o: 0, b: 0, bgm: 0, lost: 0 };
    for (const r of rows) for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += r[k];
    const pct = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 10 : null);
    return {
      regencyCode: filter.regencyCode,
      month: q.month,
      kmsVersion: standard.version,
      total: { ...total, dPerS: pct(total.d, total.s), nPerD: pct(total.n, total.d) },
      villages: rows.map((r) => ({ ...r, villageName: this.regions.place(r.villageCode).villageName, dPerS: pct(r.d, r.s), nPerD: pct(r.n, r.d) })),
    };
  }

  /** The villages a report may read: a TPK member's own, one village or kecamatan of the caller's regency, or all of it. */
  private filter(actor: Actor, regency: string | undefined, villageCode: string | undefined, kecamatanCode: string | undefined): VillageFilter {
    const regencyCode = actor.regencyCode ?? regency ?? villageCode?.slice(0, 4) ?? kecamatanCode?.slice(0, 4);
    if (!regencyCode) throw ValidationFailed.field('regencyCode', 'is required for a national or province user');
    // A province user picks a regency of their province; any other region answers as if it did not exist.
    if (!aggregateInScope(actor, regencyCode) || (regency && regency !== regencyCode)) throw new NotFound('report');
    if (villageCode && (villageCode.slice(0, 4) !== regencyCode || (actor.villageCodes !== null && !villageInScope(actor, villageCode)))) throw new NotFound('report');
    if (kecamatanCode && kecamatanCode.slice(0, 4) !== regencyCode) throw new NotFound('report');
    return { regencyCode, villageCode: villageCode ?? null, kecamatanCode: kecamatanCode ?? null, villageCodes: actor.villageCodes };
  }
}
