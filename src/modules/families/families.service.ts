import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { maskIdentifier, PiiCipher } from '../../common/crypto/pii-cipher.js';
import { Conflict, DomainError, Forbidden, NotFound, ValidationFailed, VersionConflict } from '../../common/errors/domain-error.js';
import { pgCode, pgConstraint, UNIQUE_VIOLATION } from '../../common/errors/pg-errors.js';
import { decodeCursor, type Page, pageSize, toPage } from '../../common/http/pagination.js';
import { type Actor, inScope, villageInScope } from '../identity/actor.js';
import { RegionsService } from '../regions/regions.service.js';
import { SubjectsService } from '../subjects/subjects.service.js';
import { isRealDay, localDay } from './dates.js';
import type { CreateAssessmentDto, CreateFamilyDto, FamilyMemberDto, KrsPolicyDto, ListFamiliesQueryDto, UpdateFamilyDto } from './dto/family.dto.js';
import { type AssessmentRow, FamiliesRepository, type FamilyRow, type FamilyScope, type MemberRow } from './families.repository.js';
import { DEFAULT_KRS_POLICY, deriveTarget, gestationalWeeksOn, isKrs, type KrsFactors, type KrsPolicy, KRS_RULES, type KrsRule, type KrsTarget, transitionFrom } from './krs.js';

export type { FamilyRow, MemberRow } from './families.repository.js';

export const KK = 'family_card';

export interface MemberView {
  id: string;
  subjectId: string | null;
  relation: MemberRow['relation'];
  name: string;
  sex: 'M' | 'F' | null;
  birthDate: string | null;
  gestWeeks: number | null;
  gestRecordedOn: string | null;
  deliveredOn: string | null;
  /** The pregnancy's projected week today, or null (none, delivered, or past 40 weeks). */
  gestWeeksToday: number | null;
}

export interface AssessmentView {
  id: string;
  familyId: string;
  year: number;
  round: number;
  referenceDate: string;
  source: AssessmentRow['source'];
  policyVersion: number;
  target: KrsTarget;
  factors: KrsFactors;
  importedFlag: boolean | null;
  isKrs: boolean;
  transition: AssessmentRow['transition'];
  createdAt: string;
}

export interface FamilyView {
  id: string;
  regencyCode: string;
  villageCode: string;
  /** The village's and its kecamatan's names, beside the code (null when the code is unknown). */
  villageName: string | null;
  districtName: string | null;
  rt: string | null;
  rw: string | null;
  familyCardNumber: string;
  headName: string;
  wifeName: string | null;
  welfarePriority: number;
  source: FamilyRow['source'];
  members: MemberView[];
  latestAssessment: AssessmentView | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** What another module learns when a family's members change, inside the same transaction. */
export type MembersChanged = (em: EntityManager, actor: Actor, family: FamilyRow, members: MemberRow[]) => Promise<void>;

export const scopeOf = (actor: Actor): FamilyScope => ({ regencyCode: actor.regencyCode, villageCodes: actor.villageCodes });

/**
 * Families (keluarga) and their KRS assessments. A family card is sealed and matched like a
 * NIK; members may link subjects (a subject belongs to at most one family); assessments are one
 * per family and period, judged by the regency's KRS policy version in force.
 */
@Injectable()
export class FamiliesService {
  private readonly listeners: MembersChanged[] = [];

  constructor(
    private readonly ds: DataSource,
    private readonly families: FamiliesRepository,
    private readonly subjects: SubjectsService,
    private readonly regions: RegionsService,
    private readonly cipher: PiiCipher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The visits module schedules accompaniments from members' pregnancies, deliveries and small children. */
  onMembersChanged(listener: MembersChanged): void {
    this.listeners.push(listener);
  }

  async create(actor: Actor, dto: CreateFamilyDto): Promise<FamilyView> {
    const regencyCode = this.checkVillage(actor, dto.villageCode);
    const now = this.clock.now();
    const family: FamilyRow = {
      id: randomUUID(),
      regencyCode,
      villageCode: dto.villageCode,
      rt: dto.rt ?? null,
      rw: dto.rw ?? null,
      kkEnc: this.cipher.encrypt(KK, dto.familyCardNumber),
      kkHash: this.cipher.hash(KK, dto.familyCardNumber),
      headName: dto.headName,
      wifeName: dto.wifeName ?? null,
      welfarePriority: dto.welfarePriority ?? 0,
      source: 'MANUAL',
      createdBy: actor.userId,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    return this.write(async (em) => {
      const existing = await this.families.idByHash(em, regencyCode, family.kkHash);
      if (existing) throw new DomainError('CONFLICT', 'a family with this family card number is already registered in this regency', { existingFamilyId: existing });
      await this.families.insert(em, family);
      const members = await this.membersFrom(em, actor, family, dto.members ?? []);
      await this.families.replaceMembers(em, family.id, members);
      for (const l of this.listeners) await l(em, actor, family, members);
      return this.view(family, members, []);
    });
  }

  async update(actor: Actor, id: string, dto: UpdateFamilyDto, ifMatch: number | undefined): Promise<FamilyView> {
    return this.write(async (em) => {
      const f = await this.families.find(em, id, scopeOf(actor), true);
      if (!f) throw new NotFound('family');
      if (ifMatch !== undefined && ifMatch !== f.version) throw new VersionConflict('family', ifMatch, f.version);
      if (dto.villageCode !== undefined) {
        if (this.checkVillage(actor, dto.villageCode) !== f.regencyCode) throw ValidationFailed.field('villageCode', "must stay in the family's regency");
        f.villageCode = dto.villageCode;
      }
      if (dto.headName !== undefined) f.headName = dto.headName;
      if (dto.wifeName !== undefined) f.wifeName = dto.wifeName;
      if (dto.rt !== undefined) f.rt = dto.rt;
      if (dto.rw !== undefined) f.rw = dto.rw;
      if (dto.welfarePriority !== undefined) f.welfarePriority = dto.welfarePriority;
      f.version += 1;
      f.updatedAt = this.clock.now();
      await this.families.update(em, f);
      let members = await this.families.members(em, [f.id]);
      if (dto.members !== undefined) {
        const kept = new Map(members.map((m) => [m.subjectId ?? `${m.relation}|${m.name}`, m]));
        members = await this.membersFrom(em, actor, f, dto.members, kept);
        await this.families.replaceMembers(em, f.id, members);
        for (const l of this.listeners) await l(em, actor, f, members);
      }
      return this.view(f, members, await this.families.assessments(em, [f.id]));
    });
  }

  async get(actor: Actor, id: string): Promise<FamilyView & { assessments: AssessmentView[] }> {
    const f = await this.families.find(undefined, id, scopeOf(actor));
    if (!f) throw new NotFound('family');
    const [members, assessments] = await Promise.all([this.families.members(undefined, [id]), this.families.assessments(undefined, [id])]);
    return { ...this.view(f, members, assessments), assessments: assessments.map(assessmentView) };
  }

  async list(actor: Actor, q: ListFamiliesQueryDto): Promise<Page<FamilyView>> {
    if (q.villageCode && !villageInScope(actor, q.villageCode)) return { items: [], nextCursor: null };
    const limit = pageSize(q.limit);
    const after = decodeCursor(q.cursor, ['string', 'string']) as [string, string] | undefined;
    const rows = await this.families.list({ ...scopeOf(actor), villageCode: q.villageCode, krs: q.krs, after, limit });
    const page = rows.slice(0, limit);
    const ids = page.map((r) => r.id);
    const [members, assessments] = await Promise.all([this.families.members(undefined, ids), this.families.assessments(undefined, ids)]);
    return toPage(
      rows,
      limit,
      (f) => this.view(f, members.filter((m) => m.familyId === f.id), assessments.filter((a) => a.familyId === f.id)),
      (f) => [f.villageCode, f.id],
    );
  }

  /** An assessment of one period: target flags derived from the members on the reference date, judged by the policy in force. */
  async assess(actor: Actor, id: string, dto: CreateAssessmentDto): Promise<AssessmentView> {
    if (!isRealDay(dto.referenceDate)) throw ValidationFailed.field('referenceDate', 'is not a calendar date');
    return this.ds.transaction(async (em) => {
      const f = await this.families.find(em, id, scopeOf(actor), true);
      if (!f) throw new NotFound('family');
      if (dto.referenceDate > localDay(f.regencyCode, this.clock.now())) throw ValidationFailed.field('referenceDate', 'is in the future');
      if (Number(dto.referenceDate.slice(0, 4)) !== dto.year) throw ValidationFailed.field('referenceDate', `is not in ${dto.year}`);
      const members = await this.families.members(em, [f.id]);
      const target = deriveTarget(members, dto.referenceDate);
      const policy = await this.krsPolicy(em, f.regencyCode);
      const verdict = isKrs(policy, target, dto.factors, null);
      const previous = (await this.families.previousKrs(em, [f.id], dto.year, dto.round)).get(f.id) ?? null;
      const row: AssessmentRow = {
        id: randomUUID(),
        regencyCode: f.regencyCode,
        familyId: f.id,
        villageCode: f.villageCode,
        year: dto.year,
        round: dto.round,
        referenceDate: dto.referenceDate,
        source: dto.source ?? 'ENGINE',
        policyVersion: policy.version,
        target,
        factors: { ...dto.factors },
        importedFlag: null,
        isKrs: verdict,
        transition: transitionFrom(previous, verdict),
        importId: null,
        createdBy: actor.userId,
        createdAt: this.clock.now(),
      };
      const inserted = await this.families.insertAssessments(em, [row]);
      if (!inserted.size) throw new Conflict(`the family is already assessed for ${dto.year} round ${dto.round}`);
      return assessmentView(row);
    });
  }

  /** The KRS policy version in force in a regency (version 1, ANY_FACTOR, until it sets one). */
  async krsPolicy(em: EntityManager | undefined, regencyCode: string): Promise<KrsPolicy> {
    const [latest] = await this.families.rules(em, regencyCode, 'krs');
    if (!latest) return DEFAULT_KRS_POLICY;
    const rule = latest.body.rule as KrsRule;
    return { version: latest.version, rule: KRS_RULES.includes(rule) ? rule : DEFAULT_KRS_POLICY.rule };
  }

  async policyVersions(actor: Actor, regencyCode: string): Promise<{ current: KrsPolicy; versions: (KrsPolicy & { createdAt: string | null })[] }> {
    this.checkRegency(actor, regencyCode);
    const rows = await this.families.rules(undefined, regencyCode, 'krs');
    const versions: (KrsPolicy & { createdAt: string | null })[] = rows.map((r) => ({ version: r.version, rule: r.body.rule as KrsRule, createdAt: r.createdAt.toISOString() }));
    if (!versions.some((v) => v.version === 1)) versions.push({ ...DEFAULT_KRS_POLICY, createdAt: null });
    return { current: await this.krsPolicy(undefined, regencyCode), versions };
  }

  /** A new version; assessments made before keep the version they were judged by. */
  async addPolicyVersion(actor: Actor, regencyCode: string, dto: KrsPolicyDto): Promise<KrsPolicy> {
    this.checkRegency(actor, regencyCode);
    try {
      return await this.ds.transaction(async (em) => {
        const [latest] = await this.families.rules(em, regencyCode, 'krs');
        // Version 1 is the built-in default: the first stored version is 2.
        const version = (latest?.version ?? 1) + 1;
        await this.families.addRule(em, regencyCode, 'krs', version, { rule: dto.rule }, actor.userId, this.clock.now());
        return { version, rule: dto.rule };
      });
    } catch (e) {
      if (pgCode(e) === UNIQUE_VIOLATION) throw new Conflict('another version was added at the same moment: read and retry');
      throw e;
    }
  }

  /** The stored versions of another versioned rule (the screening table), newest first. */
  ruleVersions(em: EntityManager | undefined, regencyCode: string, kind: 'screening') {
    return this.families.rules(em, regencyCode, kind);
  }

  /** Adds the next version of a versioned rule; version 1 is always the built-in default. */
  async addRuleVersion(actor: Actor, regencyCode: string, kind: 'screening', body: object): Promise<number> {
    this.checkRegency(actor, regencyCode);
    try {
      return await this.ds.transaction(async (em) => {
        const [latest] = await this.families.rules(em, regencyCode, kind);
        const version = (latest?.version ?? 1) + 1;
        await this.families.addRule(em, regencyCode, kind, version, body, actor.userId, this.clock.now());
        return version;
      });
    } catch (e) {
      if (pgCode(e) === UNIQUE_VIOLATION) throw new Conflict('another version was added at the same moment: read and retry');
      throw e;
    }
  }

  checkRegencyOf(actor: Actor, regencyCode: string): void {
    this.checkRegency(actor, regencyCode);
  }

  /** A family as the visits module needs it, in the caller's scope (null: not visible). */
  findInScope(em: EntityManager | undefined, actor: Actor, id: string): Promise<FamilyRow | null> {
    return this.families.find(em, id, scopeOf(actor));
  }

  membersOf(em: EntityManager | undefined, familyIds: string[]): Promise<MemberRow[]> {
    return this.families.members(em, familyIds);
  }

  membersOfSubjects(em: EntityManager, subjectIds: string[]): Promise<(MemberRow & { villageCode: string })[]> {
    return this.families.membersOfSubjects(em, subjectIds);
  }

  krsFamilies(em: EntityManager, regencyCode: string, villageCode: string | null, upToYear: number) {
    return this.families.krsFamilies(em, regencyCode, villageCode, upToYear);
  }

  private async membersFrom(em: EntityManager, actor: Actor, family: FamilyRow, dtos: FamilyMemberDto[], kept = new Map<string, MemberRow>()): Promise<MemberRow[]> {
    const now = this.clock.now();
    const today = localDay(family.regencyCode, now);
    const subjectIds = dtos.map((d) => d.subjectId).filter((x): x is string => !!x);
    if (new Set(subjectIds).size !== subjectIds.length) throw ValidationFailed.field('members', 'name each subject once');
    const taken = await this.families.familyOfSubjects(em, subjectIds, family.id);
    if (taken.length) throw new Conflict('a subject belongs to at most one family: it is a member of another family already', { subjectIds: taken });
    const out: MemberRow[] = [];
    for (const [i, d] of dtos.entries()) {
      const at = (field: string) => `members.${i}.${field}`;
      const subject = d.subjectId ? await this.subjects.summaryInScope(em, d.subjectId, family.regencyCode) : null;
      if (d.subjectId && !subject) throw ValidationFailed.field(at('subjectId'), 'is not a subject of this regency');
      const name = d.name ?? subject?.name;
      if (!name) throw ValidationFailed.field(at('name'), 'is required for a member who is not a subject');
      const birthDate = d.birthDate ?? subject?.birthDate ?? null;
      for (const [field, day] of [['birthDate', birthDate], ['gestRecordedOn', d.gestRecordedOn ?? null], ['deliveredOn', d.deliveredOn ?? null]] as const) {
        if (day === null) continue;
        if (!isRealDay(day)) throw ValidationFailed.field(at(field), 'is not a calendar date');
        if (day > today) throw ValidationFailed.field(at(field), 'is in the future');
      }
      if ((d.gestWeeks ?? null) === null !== ((d.gestRecordedOn ?? null) === null)) {
        throw ValidationFailed.field(at('gestWeeks'), 'gestWeeks and gestRecordedOn go together');
      }
      if (d.gestWeeks != null && d.relation !== 'ISTRI' && d.relation !== 'KK') throw ValidationFailed.field(at('gestWeeks'), 'a pregnancy is recorded on the wife');
      const previous = kept.get(d.subjectId ?? `${d.relation}|${name}`);
      out.push({
        id: previous?.id ?? randomUUID(),
        familyId: family.id,
        regencyCode: family.regencyCode,
        subjectId: d.subjectId ?? null,
        relation: d.relation,
        name,
        sex: d.sex ?? subject?.sex ?? null,
        birthDate,
        gestWeeks: d.gestWeeks ?? null,
        gestRecordedOn: d.gestRecordedOn ?? null,
        deliveredOn: d.deliveredOn ?? null,
        createdAt: previous?.createdAt ?? now,
        updatedAt: now,
      });
    }
    return out;
  }

  private async write<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.ds.transaction(work);
    } catch (e) {
      if (pgCode(e) === UNIQUE_VIOLATION && pgConstraint(e) === 'ux_families_regency_kk') {
        throw new Conflict('a family with this family card number is already registered in this regency');
      }
      if (pgCode(e) === UNIQUE_VIOLATION && pgConstraint(e) === 'ux_family_members_subject') {
        throw new Conflict('a subject belongs to at most one family: it is a member of another family already');
      }
      throw e;
    }
  }

  private checkVillage(actor: Actor, villageCode: string): string {
    if (!this.regions.isVillage(villageCode)) throw ValidationFailed.field('villageCode', 'is not a Kemendagri village code');
    if (!villageInScope(actor, villageCode)) throw new Forbidden('villageCode is outside your area');
    return villageCode.slice(0, 4);
  }

  private checkRegency(actor: Actor, regencyCode: string): void {
    if (!this.regions.isRegency(regencyCode)) throw ValidationFailed.field('regencyCode', 'is not a Kemendagri regency code');
    if (!inScope(actor, regencyCode)) throw new Forbidden('that regency is outside your scope');
  }

  private view(f: FamilyRow, members: MemberRow[], assessments: AssessmentRow[]): FamilyView {
    const today = localDay(f.regencyCode, this.clock.now());
    const latest = [...assessments].sort((a, b) => b.year - a.year || b.round - a.round)[0];
    const place = this.regions.place(f.villageCode);
    return {
      id: f.id,
      regencyCode: f.regencyCode,
      villageCode: f.villageCode,
      villageName: place.villageName,
      districtName: place.districtName,
      rt: f.rt,
      rw: f.rw,
      familyCardNumber: maskIdentifier(this.cipher.decrypt(KK, f.kkEnc)),
      headName: f.headName,
      wifeName: f.wifeName,
      welfarePriority: f.welfarePriority,
      source: f.source,
      members: members.map((m) => ({
        id: m.id,
        subjectId: m.subjectId,
        relation: m.relation,
        name: m.name,
        sex: m.sex,
        birthDate: m.birthDate,
        gestWeeks: m.gestWeeks,
        gestRecordedOn: m.gestRecordedOn,
        deliveredOn: m.deliveredOn,
        gestWeeksToday: gestationalWeeksOn(m, today),
      })),
      latestAssessment: latest ? assessmentView(latest) : null,
      version: f.version,
      createdAt: f.createdAt.toISOString(),
      updatedAt: f.updatedAt.toISOString(),
    };
  }
}

export function assessmentView(a: AssessmentRow): AssessmentView {
  return {
    id: a.id,
    familyId: a.familyId,
    year: a.year,
    round: a.round,
    referenceDate: a.referenceDate,
    source: a.source,
    policyVersion: a.policyVersion,
    target: a.target,
    factors: a.factors,
    importedFlag: a.importedFlag,
    isKrs: a.isKrs,
    transition: a.transition,
    createdAt: new Date(a.createdAt).toISOString(),
  };
}
