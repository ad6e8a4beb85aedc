import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { DomainError, NotFound, ValidationFailed } from '../../common/errors/domain-error.js';
import { decodeCursor, type Page, pageSize, toPage } from '../../common/http/pagination.js';
import { SlaPoliciesService } from '../escalation/sla-policies.service.js';
import { addDaysIso, completedMonths, endOfLocalDay, isRealDay, localDay } from '../families/dates.js';
import type { MemberRow } from '../families/families.service.js';
import { FamiliesService } from '../families/families.service.js';
import type { FamilyRow } from '../families/families.service.js';
import { gestationalWeeksOn, lastMenstrualPeriod } from '../families/krs.js';
import { MeasurementsService } from '../growth/measurements.service.js';
import { type Actor, villageInScope } from '../identity/actor.js';
import { RegionsService } from '../regions/regions.service.js';
import { SubjectsService, type SubjectSummary } from '../subjects/subjects.service.js';
import { type AccompanimentRow } from './accompaniments.repository.js';
import { AccompanimentsRepository } from './accompaniments.repository.js';
import { AccompanimentsService, scheduleTarget } from './accompaniments.service.js';
import type { CreateScreeningDto, CreateVisitDto, DueVisitsQueryDto, ListVisitsQueryDto, ScreeningTableDto, TpkReportQueryDto } from './dto/visit.dto.js';
import type { AccompanimentFacts } from './machine/accompaniment.machine.js';
import { nextDue } from './schedule.js';
import { DEFAULT_SCREENING, screen, type ScreeningThresholds } from './screening.js';
import { TpkTeamsRepository } from './tpk-teams.repository.js';
import { type ScreeningRow, type VisitRow, VisitsRepository } from './visits.repository.js';

export interface VisitView {
  id: string;
  regencyCode: string;
  villageCode: string;
  memberUserId: string;
  teamId: string | null;
  familyId: string | null;
  subjectId: string | null;
  targetGroup: VisitRow['targetGroup'];
  kind: string;
  actions: string[];
  visitedOn: string;
  recordedAt: string;
  reportMonth: string;
  late: boolean;
  crossVillage: boolean;
  referral: VisitRow['referral'];
  notes: string | null;
  measurementId: string | null;
  accompanimentId: string | null;
}

export interface DueView {
  accompanimentId: string;
  subject: { id: string; firstName: string };
  familyId: string | null;
  villageCode: string;
  villageName: string | null;
  targetGroup: string;
  visit: string;
  fromOn: string;
  dueOn: string;
  overdue: boolean;
  escalationLevel: number;
}

/** Stable JSON of a request body: the same visit sent twice hashes the same, whatever the key order. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

const SCHEDULED = new Set(['CATIN', 'BUMIL', 'NIFAS', 'BADUTA', 'BALITA']);
const firstName = (name: string) => name.split(' ')[0];
const monthOf = (day: string) => day.slice(0, 7);
const nextMonth = (m: string) => {
  const [y, mo] = m.split('-').map(Number);
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};

class Replayed extends Error {}

/**
 * TPK accompaniment: visits (offline-idempotent by their client id), what falls due from the
 * schedule (accompaniments), bride-to-be screenings and the monthly TPK report. A TPK member
 * sees and writes only in their villages; a visit's reading is a measurement like any other,
 * so a stunted one opens a case.
 */
@Injectable()
export class VisitsService implements OnModuleInit {
  constructor(
    private readonly ds: DataSource,
    private readonly visits: VisitsRepository,
    private readonly accompaniments: AccompanimentsService,
    private readonly accompanimentRows: AccompanimentsRepository,
    private readonly teams: TpkTeamsRepository,
    private readonly families: FamiliesService,
    private readonly subjects: SubjectsService,
    private readonly measurements: MeasurementsService,
    private readonly policies: SlaPoliciesService,
    private readonly regions: RegionsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.families.onMembersChanged((em, actor, family, members) => this.scheduleMembers(em, actor, family, members));
  }

  async record(actor: Actor, dto: CreateVisitDto): Promise<VisitView> {
    const bodyHash = createHash('sha256').update(stable(dto)).digest('hex');
    const replay = await this.replay(actor, dto.id, bodyHash);
    if (replay) return replay;
    if (!dto.familyId && !dto.subjectId) throw ValidationFailed.field('subjectId', 'a visit needs a familyId, a subjectId or both');
    if (!isRealDay(dto.visitedOn)) throw ValidationFailed.field('visitedOn', 'is not a calendar date');
    if (dto.actions.includes('NONE') && dto.actions.length > 1) throw ValidationFailed.field('actions', 'NONE cannot be combined with other actions');
    if (dto.measurement && !dto.subjectId) throw ValidationFailed.field('measurement', 'needs the subjectId of the child measured');
    try {
      return await this.ds.transaction(async (em) => {
        const subject = dto.subjectId ? await this.subjectInScope(em, actor, dto.subjectId) : null;
        const family = dto.familyId ? await this.families.findInScope(em, actor, dto.familyId) : null;
        if (dto.familyId && !family) throw new NotFound('family');
        if (subject && family) {
          const members = await this.families.membersOf(em, [family.id]);
          if (!members.some((m) => m.subjectId === subject.id)) throw ValidationFailed.field('subjectId', 'is not a member of that family');
        }
        const regencyCode = (subject?.regencyCode ?? family?.regencyCode)!;
        const villageCode = (subject?.villageCode ?? family?.villageCode)!;
        const now = this.clock.now();
        const today = localDay(regencyCode, now);
        if (dto.visitedOn > today) throw ValidationFailed.field('visitedOn', 'is in the future');
        if (dto.visitedOn < addDaysIso(today, -366)) throw ValidationFailed.field('visitedOn', 'is more than a year ago');
        const policy = await this.policies.of(regencyCode, em);
        const freezesAt = this.freezeInstant(regencyCode, monthOf(dto.visitedOn), policy.visits.reportFreezeDay);
        // A visit recorded after its month froze counts in the month it is recorded in, flagged.
        const late = now >= freezesAt;
        const team = (await this.teams.teamsOfMember(em, actor.userId)).find((t) => t.villageCodes.includes(villageCode)) ?? null;
        const row: VisitRow = {
          id: dto.id,
          regencyCode,
          villageCode,
          memberUserId: actor.userId,
          teamId: team?.teamId ?? null,
          familyId: family?.id ?? null,
          subjectId: subject?.id ?? null,
          accompanimentId: null,
          targetGroup: dto.targetGroup,
          kind: dto.kind,
          actions: [...dto.actions],
          visitedOn: dto.visitedOn,
          recordedAt: now,
          reportMonth: late ? monthOf(today) : monthOf(dto.visitedOn),
          late,
          // A visit belongs to the subject's village team; one made by another village's team is allowed, and flagged.
          crossVillage: team !== null && team.villageCode !== villageCode,
          referral: dto.referral ? { to: dto.referral.to, reason: dto.referral.reason } : null,
          notes: dto.notes ?? null,
          measurementId: null,
          bodyHash,
        };
        if (!(await this.visits.insert(em, row))) throw new Replayed();
        if (dto.measurement) {
          if (subject!.targetGroup !== 'BADUTA' && subject!.targetGroup !== 'BALITA') {
            throw ValidationFailed.field('measurement', 'is taken of a child (BADUTA or BALITA subject)');
          }
          const { view } = await this.measurements.recordIn(em, actor, subject!, { ...dto.measurement, measuredAt: dto.visitedOn }, 'manual');
          row.measurementId = view.id;
        }
        if (subject && SCHEDULED.has(dto.targetGroup)) {
          row.accompanimentId = (await this.accompaniments.visited(em, actor, subject.id, dto.targetGroup, dto.visitedOn, dto.id))?.id ?? null;
        }
        await this.visits.setLinks(em, row.id, row.accompanimentId, row.measurementId);
        return view(row);
      });
    } catch (e) {
      // The same id arrived concurrently: answer as for a replay.
      if (e instanceof Replayed) return (await this.replay(actor, dto.id, bodyHash))!;
      throw e;
    }
  }

  /** The first answer to a visit sent again with the same id and body; another body under that id is refused. */
  private async replay(actor: Actor, id: string, bodyHash: string): Promise<VisitView | null> {
    const stored = await this.visits.find(undefined, id);
    if (!stored) return null;
    if (stored.memberUserId !== actor.userId || stored.bodyHash !== bodyHash) {
      throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'a different visit was already sent with this id: make a new id for a new visit');
    }
    return view(stored);
  }

  async list(actor: Actor, q: ListVisitsQueryDto): Promise<Page<VisitView>> {
    if (q.villageCode && !villageInScope(actor, q.villageCode)) return { items: [], nextCursor: null };
    const limit = pageSize(q.limit);
    const after = decodeCursor(q.cursor, ['string', 'string']) as [string, string] | undefined;
    const rows = await this.visits.list({
      regencyCode: actor.regencyCode,
      villageCodes: actor.villageCodes,
      villageCode: q.villageCode,
      subjectId: q.subjectId,
      familyId: q.familyId,
      from: q.from,
      to: q.to,
      after,
      limit,
    });
    return toPage(rows, limit, view, (v) => [v.visitedOn, v.id]);
  }

  /**
   * A child's TPK visits (only those of `villageCodes` when given, for a TPK member), oldest
   * first, each with its team's name (the child's timeline).
   */
  async ofSubject(subjectId: string, regencyCode: string | null, villageCodes: readonly string[] | null): Promise<(VisitView & { teamName: string | null })[]> {
    const rows = (await this.visits.list({ regencyCode, villageCodes, subjectId, limit: 10_000 })).reverse();
    const teams = new Map<string, string | null>();
    for (const id of new Set(rows.map((r) => r.teamId).filter((x): x is string => !!x))) {
      teams.set(id, (await this.teams.find(undefined, id, null))?.name ?? null);
    }
    return rows.map((r) => ({ ...view(r), teamName: r.teamId ? (teams.get(r.teamId) ?? null) : null }));
  }

  /** The TPK member's day: what is due (and overdue) by `until` in their villages, most urgent first. */
  async due(actor: Actor, q: DueVisitsQueryDto): Promise<{ today: string; until: string; items: DueView[] }> {
    // A national user naming no village counts days in WIB (Jakarta, 3171).
    const regency = actor.regencyCode ?? q.villageCode?.slice(0, 4) ?? '3171';
    const today = localDay(regency, this.clock.now());
    const until = q.until ?? addDaysIso(today, 7);
    if (!isRealDay(until)) throw ValidationFailed.field('until', 'is not a calendar date');
    if (q.villageCode && !villageInScope(actor, q.villageCode)) return { today, until, items: [] };
    const rows = await this.accompanimentRows.due({ regencyCode: actor.regencyCode, villageCodes: actor.villageCodes, villageCode: q.villageCode, until, limit: 500 });
    const policies = await this.policies.ofMany([...new Set(rows.map((r) => r.regencyCode))]);
    return {
      today,
      until,
      items: rows.map((r) => {
        const target = scheduleTarget(r.snapshot.context);
        const due = target ? nextDue(target, r.snapshot.context.visits, policies.get(r.regencyCode)!.visits.schedule) : null;
        return {
          accompanimentId: r.id,
          subject: { id: r.subjectId, firstName: firstName(r.subjectName) },
          familyId: r.familyId,
          villageCode: r.villageCode,
          villageName: this.regions.place(r.villageCode).villageName,
          targetGroup: r.targetGroup,
          visit: due?.label ?? 'VISIT',
          fromOn: due?.fromOn ?? r.dueOn!,
          dueOn: r.dueOn!,
          overdue: r.dueOn! < localDay(r.regencyCode, this.clock.now()),
          escalationLevel: r.escalationLevel ?? 0,
        };
      }),
    };
  }

  /** A bride-to-be screening, scored by the regency's threshold table in force; BERISIKO schedules accompaniment to three months after the marriage. */
  async screen(actor: Actor, subjectId: string, dto: CreateScreeningDto) {
    return this.ds.transaction(async (em) => {
      const subject = await this.subjectInScope(em, actor, subjectId);
      if (subject.targetGroup !== 'CATIN') throw ValidationFailed.field('subjectId', 'screening is for a bride- or groom-to-be (CATIN subject)');
      const today = localDay(subject.regencyCode, this.clock.now());
      const screenedOn = dto.screenedOn ?? today;
      for (const [field, day] of [['screenedOn', screenedOn], ['plannedMarriageDate', dto.plannedMarriageDate]] as const) {
        if (!isRealDay(day)) throw ValidationFailed.field(field, 'is not a calendar date');
      }
      if (screenedOn > today) throw ValidationFailed.field('screenedOn', 'is in the future');
      if (dto.plannedMarriageDate < screenedOn) throw ValidationFailed.field('plannedMarriageDate', 'is before the screening');
      const thresholds = await this.thresholds(em, subject.regencyCode);
      const r = screen(
        {
          birthDate: subject.birthDate,
          screenedOn,
          weightKg: dto.weightKg,
          heightCm: dto.heightCm,
          muacCm: dto.muacCm,
          waistCm: dto.waistCm ?? null,
          hbGdl: dto.hbGdl ?? null,
          smoker: dto.smoker,
        },
        thresholds,
      );
      const row: ScreeningRow = {
        id: randomUUID(),
        regencyCode: subject.regencyCode,
        subjectId,
        plannedMarriageDate: dto.plannedMarriageDate,
        screenedOn,
        weightKg: dto.weightKg,
        heightCm: dto.heightCm,
        bmi: r.bmi,
        muacCm: dto.muacCm,
        waistCm: dto.waistCm ?? null,
        hbGdl: dto.hbGdl ?? null,
        smoker: dto.smoker,
        ageYears: r.ageYears,
        ruleVersion: r.ruleVersion,
        result: r.result,
        reasons: r.reasons,
        createdBy: actor.userId,
        createdAt: this.clock.now(),
      };
      await this.visits.insertScreening(em, row);
      const [member] = await this.families.membersOfSubjects(em, [subjectId]);
      const acc = await this.accompaniments.openOrUpdate(em, actor, {
        subjectId,
        familyId: member?.familyId ?? null,
        regencyCode: subject.regencyCode,
        villageCode: subject.villageCode,
        group: 'CATIN',
        facts: { marriageOn: dto.plannedMarriageDate, atRisk: r.result === 'BERISIKO' },
      });
      return { ...screeningView(row), accompaniment: { id: acc.id, state: acc.state, dueOn: acc.dueOn } };
    });
  }

  async screenings(actor: Actor, subjectId: string) {
    await this.ds.transaction((em) => this.subjectInScope(em, actor, subjectId));
    // Every screening on one page: a list answers {items, nextCursor} like every other.
    return { items: (await this.visits.screenings(subjectId)).map(screeningView), nextCursor: null };
  }

  /** The regency's threshold table in force: version 1 is the built-in default. */
  async thresholds(em: EntityManager | undefined, regencyCode: string): Promise<ScreeningThresholds> {
    const [latest] = await this.families.ruleVersions(em, regencyCode, 'screening');
    return latest ? { ...DEFAULT_SCREENING, ...(latest.body as Partial<ScreeningThresholds>), version: latest.version } : DEFAULT_SCREENING;
  }

  async screeningTables(actor: Actor, regencyCode: string) {
    this.families.checkRegencyOf(actor, regencyCode);
    const rows = await this.families.ruleVersions(undefined, regencyCode, 'screening');
    const versions = rows.map((r) => ({ ...DEFAULT_SCREENING, ...(r.body as object), version: r.version, createdAt: r.createdAt.toISOString() }));
    return { current: await this.thresholds(undefined, regencyCode), versions: [...versions, { ...DEFAULT_SCREENING, createdAt: null }] };
  }

  async addScreeningTable(actor: Actor, regencyCode: string, dto: ScreeningTableDto): Promise<ScreeningThresholds> {
    const body = { muacBelowCm: dto.muacBelowCm, hbBelowGdl: dto.hbBelowGdl, bmiBelow: dto.bmiBelow, ageBelowYears: dto.ageBelowYears, smokingIsRisk: dto.smokingIsRisk };
    const version = await this.families.addRuleVersion(actor, regencyCode, 'screening', body);
    return { ...body, version };
  }

  /**
   * The monthly TPK report: visits per target group and action, KRS families accompanied against
   * KRS families at risk (target 90%), overdue visits. It freezes on the policy's day of the next
   * month: the first read after that stores it, and every later read returns what was stored.
   */
  async report(actor: Actor, q: TpkReportQueryDto) {
    const regencyCode = actor.regencyCode ?? q.regencyCode ?? q.villageCode?.slice(0, 4);
    if (!regencyCode) throw ValidationFailed.field('regencyCode', 'is required for a national user');
    if (q.regencyCode && q.regencyCode !== regencyCode) throw new NotFound('report');
    if (q.villageCode && (q.villageCode.slice(0, 4) !== regencyCode || !villageInScope(actor, q.villageCode))) throw new NotFound('report');
    if (!q.villageCode && actor.villageCodes !== null) throw ValidationFailed.field('villageCode', 'is required for a TPK member: one of your villages');
    const villageCode = q.villageCode ?? null;
    return this.ds.transaction(async (em) => {
      const policy = await this.policies.of(regencyCode, em);
      const freezesAt = this.freezeInstant(regencyCode, q.month, policy.visits.reportFreezeDay);
      const stored = await this.visits.frozen(em, regencyCode, villageCode ?? '', q.month);
      if (stored) return { ...stored.body, frozen: true, frozenAt: stored.frozenAt.toISOString() };
      const now = this.clock.now();
      const monthEnd = endOfLocalDay(regencyCode, addDaysIso(`${nextMonth(q.month)}-01`, -1));
      const krs = await this.families.krsFamilies(em, regencyCode, villageCode, Number(q.month.slice(0, 4)));
      const counts = await this.visits.monthCounts(em, regencyCode, villageCode, q.month, krs.map((k) => k.familyId));
      const overdue = await this.accompanimentRows.overdueCount(em, regencyCode, villageCode, now < monthEnd ? now : monthEnd);
      const byTargetGroupAndAction: Record<string, Record<string, number>> = {};
      for (const r of counts.byGroupAction) (byTargetGroupAndAction[r.targetGroup] ??= {})[r.action] = Number(r.n);
      const accompanied = Number(counts.totals.krsAccompanied);
      const body = {
        regencyCode,
        villageCode,
        month: q.month,
        visits: Number(counts.totals.visits),
        lateVisits: Number(counts.totals.late),
        crossVillageVisits: Number(counts.totals.crossVillage),
        familiesVisited: Number(counts.totals.families),
        byTargetGroup: Object.fromEntries(counts.byGroup.map((r) => [r.targetGroup, Number(r.n)])),
        byTargetGroupAndAction,
        krs: {
          atRisk: krs.length,
          accompanied,
          percent: krs.length ? Math.round((accompanied / krs.length) * 1000) / 10 : null,
          targetPercent: 90,
        },
        overdueVisits: overdue,
        freezesAt: freezesAt.toISOString(),
        computedAt: now.toISOString(),
      };
      if (now < freezesAt) return { ...body, frozen: false, frozenAt: null };
      await this.visits.freeze(em, regencyCode, villageCode ?? '', q.month, body, now);
      const frozen = (await this.visits.frozen(em, regencyCode, villageCode ?? '', q.month))!;
      return { ...frozen.body, frozen: true, frozenAt: frozen.frozenAt.toISOString() };
    });
  }

  /**
   * One follow-up TPK visit each, due within the schedule's BALITA days (7 by default), for
   * children an early warning flagged (issue 23): only where an active TPK team member covers the
   * child's village, and never a second while one is open. In the caller's transaction, two reads
   * for the whole list; returns the accompaniments opened, by subject.
   */
  async scheduleFollowUps(
    em: EntityManager,
    actor: Actor,
    children: { subjectId: string; regencyCode: string; villageCode: string }[],
  ): Promise<Map<string, { accompanimentId: string; dueOn: string | null }>> {
    const out = new Map<string, { accompanimentId: string; dueOn: string | null }>();
    if (!children.length) return out;
    const members = await this.teams.membersOfVillages(em, [...new Set(children.map((c) => c.villageCode))]);
    const covered = new Set(members.flatMap((m) => m.villageCodes));
    const here = children.filter((c) => covered.has(c.villageCode));
    if (!here.length) return out;
    const open = new Set((await this.accompanimentRows.openOfSubjects(em, here.map((c) => c.subjectId))).filter((r) => r.targetGroup === 'BALITA').map((r) => r.subjectId));
    for (const c of here) {
      if (open.has(c.subjectId)) continue;
      const row = await this.accompaniments.openOrUpdate(em, actor, { ...c, familyId: null, group: 'BALITA', facts: {} });
      out.set(c.subjectId, { accompanimentId: row.id, dueOn: row.dueOn });
    }
    return out;
  }

  /** Pregnancies, deliveries and children under two among a family's members become accompaniments. */
  private async scheduleMembers(em: EntityManager, actor: Actor, family: FamilyRow, members: MemberRow[]): Promise<void> {
    const today = localDay(family.regencyCode, this.clock.now());
    const linked = members.filter((m) => m.subjectId);
    if (!linked.length) return;
    const open = new Map<string, AccompanimentRow>();
    for (const r of await this.accompanimentRows.openOfSubjects(em, linked.map((m) => m.subjectId!))) open.set(`${r.subjectId}|${r.targetGroup}`, r);
    const target = (m: MemberRow, group: 'BUMIL' | 'NIFAS' | 'BADUTA', facts: AccompanimentFacts) => {
      const current = open.get(`${m.subjectId}|${group}`);
      // Unchanged facts: nothing to write.
      if (current && Object.entries(facts).every(([k, v]) => current.snapshot.context[k as keyof AccompanimentFacts] === v)) return;
      return this.accompaniments.openOrUpdate(em, actor, { subjectId: m.subjectId!, familyId: family.id, regencyCode: family.regencyCode, villageCode: family.villageCode, group, facts });
    };
    for (const m of linked) {
      if (m.relation === 'ISTRI' || m.relation === 'KK') {
        if (m.gestWeeks !== null && gestationalWeeksOn(m, today) !== null) {
          await target(m, 'BUMIL', { lmp: lastMenstrualPeriod({ gestWeeks: m.gestWeeks, gestRecordedOn: m.gestRecordedOn! }) });
        } else if (open.has(`${m.subjectId}|BUMIL`)) {
          await this.accompaniments.end(em, actor, m.subjectId!, 'BUMIL', 'ENDED');
        }
        if (m.deliveredOn !== null && today <= addDaysIso(m.deliveredOn, 42)) await target(m, 'NIFAS', { deliveredOn: m.deliveredOn });
      }
      if ((m.relation === 'ANAK' || m.relation === 'LAIN') && m.birthDate && completedMonths(m.birthDate, today) < 24) {
        await target(m, 'BADUTA', { birthDate: m.birthDate });
      }
    }
  }

  private async subjectInScope(em: EntityManager, actor: Actor, id: string): Promise<SubjectSummary> {
    const s = await this.subjects.summaryInScope(em, id, actor.regencyCode);
    if (!s || !villageInScope(actor, s.villageCode)) throw new NotFound('subject');
    return s;
  }

  /** When a month's report freezes: the start of the policy's day of the next month, local time. */
  private freezeInstant(regencyCode: string, month: string, day: number): Date {
    return endOfLocalDay(regencyCode, addDaysIso(`${nextMonth(month)}-${String(day).padStart(2, '0')}`, -1));
  }
}

function view(v: VisitRow): VisitView {
  return {
    id: v.id,
    regencyCode: v.regencyCode,
    villageCode: v.villageCode,
    memberUserId: v.memberUserId,
    teamId: v.teamId,
    familyId: v.familyId,
    subjectId: v.subjectId,
    targetGroup: v.targetGroup,
    kind: v.kind,
    actions: v.actions,
    visitedOn: v.visitedOn,
    recordedAt: new Date(v.recordedAt).toISOString(),
    reportMonth: v.reportMonth,
    late: v.late,
    crossVillage: v.crossVillage,
    referral: v.referral,
    notes: v.notes,
    measurementId: v.measurementId,
    accompanimentId: v.accompanimentId,
  };
}

function screeningView(s: ScreeningRow) {
  return {
    id: s.id,
    subjectId: s.subjectId,
    plannedMarriageDate: s.plannedMarriageDate,
    screenedOn: s.screenedOn,
    weightKg: Number(s.weightKg),
    heightCm: Number(s.heightCm),
    bmi: Number(s.bmi),
    muacCm: Number(s.muacCm),
    waistCm: s.waistCm === null ? null : Number(s.waistCm),
    hbGdl: s.hbGdl === null ? null : Number(s.hbGdl),
    smoker: s.smoker,
    ageYears: s.ageYears,
    ruleVersion: s.ruleVersion,
    result: s.result,
    reasons: s.reasons,
    createdAt: new Date(s.createdAt).toISOString(),
  };
}
