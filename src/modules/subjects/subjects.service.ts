import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { localDay } from '../../common/clock/calendar-day.js';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { maskIdentifier, PiiCipher } from '../../common/crypto/pii-cipher.js';
import { uuidv7 } from '../../common/ids/uuid-v7.js';
import { DomainError, type FieldProblem, Forbidden, NotFound, ValidationFailed, VersionConflict } from '../../common/errors/domain-error.js';
import { pgCode, pgConstraint, UNIQUE_VIOLATION } from '../../common/errors/pg-errors.js';
import { decodeCursor, type Page, pageSize, toPage } from '../../common/http/pagination.js';
import { type Actor, inScope, regencyScope } from '../identity/actor.js';
import { RegionsService } from '../regions/regions.service.js';
import type { CreateSubjectDto, ListSubjectsQueryDto, SubjectResponseDto, UpdateSubjectDto } from './dto/subject.dto.js';
import { nikProblem } from './nik.js';
import type { SubjectEntity, TargetGroup } from './subject.entity.js';
import { SubjectsRepository, type SubjectSummaryRow } from './subjects.repository.js';

const NIK = 'nik';
const KK = 'family_card';
const MOTHER_NIK = 'mother_nik';

/** Children's upper age and the lower age of the adult target groups, in completed months. */
const AGE_LIMITS: Record<TargetGroup, { minMonths?: number; maxMonths?: number; sex?: 'F' }> = {
  BADUTA: { maxMonths: 24 },
  BALITA: { maxMonths: 60 },
  IBU_HAMIL: { minMonths: 10 * 12, sex: 'F' },
  IBU_NIFAS: { minMonths: 10 * 12, sex: 'F' },
  CATIN: { minMonths: 10 * 12 },
};

export type { SubjectSummaryRow } from './subjects.repository.js';

@Injectable()
export class SubjectsService {
  constructor(
    private readonly ds: DataSource,
    private readonly subjects: SubjectsRepository,
    private readonly regions: RegionsService,
    private readonly cipher: PiiCipher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(actor: Actor, dto: CreateSubjectDto): Promise<SubjectResponseDto> {
    const regencyCode = this.checkVillage(actor, dto.villageCode);
    this.checkPerson(dto.targetGroup, dto.sex, dto.birthDate, regencyCode);
    if (dto.nik !== undefined) this.checkNik(dto.nik);
    if (dto.motherNik !== undefined) this.checkNik(dto.motherNik, 'motherNik');
    const now = this.clock.now();
    const subject: SubjectEntity = {
      id: randomUUID(),
      regencyCode,
      villageCode: dto.villageCode,
      targetGroup: dto.targetGroup,
      name: dto.name,
      nameKey: dto.name.toLowerCase(),
      sex: dto.sex,
      birthDate: dto.birthDate,
      ...this.sealNik(dto.nik ?? null),
      ...this.sealFamilyCard(dto.familyCardNumber ?? null),
      ...this.sealMotherNik(dto.motherNik ?? null),
      motherName: dto.motherName ?? null,
      posyandu: dto.posyandu ?? null,
      address: dto.address ?? null,
      createdBy: actor.userId,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    await this.writeGuardingNik(subject, (em) => this.subjects.insert(em, subject));
    return this.toResponse(subject);
  }

  async update(actor: Actor, id: string, dto: UpdateSubjectDto, ifMatch: number | undefined): Promise<SubjectResponseDto> {
    return this.writeGuardingNik(undefined, async (em) => {
      const s = await this.subjects.lockInScope(em, id, regencyScope(actor));
      if (!s || s.restrictedAt) throw new NotFound('subject');
      if (ifMatch !== undefined && ifMatch !== s.version) {
        throw new VersionConflict('subject', ifMatch, s.version);
      }
      if (dto.villageCode !== undefined) {
        s.regencyCode = this.checkVillage(actor, dto.villageCode);
        s.villageCode = dto.villageCode;
      }
      if (dto.targetGroup !== undefined || dto.sex !== undefined || dto.birthDate !== undefined) {
        this.checkPerson(dto.targetGroup ?? s.targetGroup, dto.sex ?? s.sex, dto.birthDate ?? s.birthDate, s.regencyCode);
      }
      if (dto.nik) this.checkNik(dto.nik);
      if (dto.nik !== undefined) Object.assign(s, this.sealNik(dto.nik));
      if (dto.familyCardNumber !== undefined) Object.assign(s, this.sealFamilyCard(dto.familyCardNumber));
      if (dto.motherNik) this.checkNik(dto.motherNik, 'motherNik');
      if (dto.motherNik !== undefined) Object.assign(s, this.sealMotherNik(dto.motherNik));
      for (const k of ['targetGroup', 'name', 'sex', 'birthDate'] as const) {
        if (dto[k] !== undefined) (s as unknown as Record<string, unknown>)[k] = dto[k];
      }
      for (const k of ['motherName', 'posyandu', 'address'] as const) {
        if (dto[k] !== undefined) s[k] = dto[k];
      }
      s.version += 1;
      s.updatedAt = this.clock.now();
      if (s.nikHash) await this.refuseDuplicate(em, s);
      await this.subjects.save(em, s);
      return this.toResponse(s);
    });
  }

  async get(actor: Actor, id: string): Promise<SubjectResponseDto> {
    const s = await this.subjects.findInScope(id, regencyScope(actor));
    if (!s || !this.visible(actor, s)) throw new NotFound('subject');
    return this.toResponse(s);
  }

  /**
   * The checks of an imported row's child that need no database: its village in `regencyCode`,
   * its NIK, the reading's day; and the key it is matched by (its NIK's keyed hash, or its name,
   * birth date and village). An import runs them for a batch while the last one is written.
   */
  checkImported(regencyCode: string, rows: ImportedChild[]): (CheckedChild | FieldProblem[])[] {
    const today = localDay(this.clock.now(), regencyCode);
    // A child's rows usually come together: hash each NIK once.
    const hashes = new Map<string, Buffer>();
    const hashOf = (nik: string) => hashes.get(nik) ?? hashes.set(nik, this.cipher.hash(NIK, nik)).get(nik)!;
    return rows.map((r) => {
      try {
        if (!this.regions.isVillage(r.villageCode)) throw ValidationFailed.field('villageCode', 'is not a Kemendagri village code');
        if (r.villageCode.slice(0, 4) !== regencyCode) throw ValidationFailed.field('villageCode', `is not in regency ${regencyCode}`);
        if (r.nik !== null) this.checkNik(r.nik);
        if (r.measuredOn > today) throw ValidationFailed.field('measuredAt', 'is in the future');
        if (r.measuredOn < r.birthDate) throw ValidationFailed.field('measuredAt', 'is before the child was born');
        return r.nik
          ? { r, hash: hashOf(r.nik), key: `n:${r.nik}` }
          : { r, hash: null, key: nameKeyOf(r.name.toLowerCase(), r.birthDate, r.villageCode) };
      } catch (e) {
        if (!(e instanceof ValidationFailed)) throw e;
        return e.details.fields as FieldProblem[];
      }
    });
  }

  /**
   * The subjects of checked imported rows (checkImported), in one pass: found by NIK (keyed hash)
   * or, without one, by name, birth date and village; registered when new (once, however many
   * rows name the same child). A row that cannot be a subject of `regencyCode` gets its problems.
   * `registered` tells the caller the child is new in this transaction (no readings, no case yet).
   * The new children's insert is sent, not awaited, so the caller can work meanwhile; `written`
   * settles when it has run, and the caller awaits it before its next statement.
   */
  async matchOrRegisterMany(
    em: EntityManager,
    actor: Actor,
    regencyCode: string,
    rows: (CheckedChild | FieldProblem[])[],
  ): Promise<{ children: (MatchedChild | FieldProblem[])[]; written: Promise<void> }> {
    const out: (MatchedChild | FieldProblem[])[] = new Array(rows.length);
    const valid: (CheckedChild & { i: number })[] = [];
    rows.forEach((c, i) => {
      if (Array.isArray(c)) out[i] = c;
      else valid.push({ ...c, i });
    });
    const known = await this.findKnown(em, regencyCode, valid);
    const fresh: SubjectEntity[] = [];
    const now = this.clock.now();
    for (const v of valid) {
      const existing = known.get(v.key);
      if (existing === RESTRICTED) {
        out[v.i] = [{ field: v.hash ? 'nik' : 'name', reason: "the child's processing is restricted at the guardian's request: ask the DPO" }];
        continue;
      }
      if (existing) {
        out[v.i] = existing;
        continue;
      }
      const { r } = v;
      const targetGroup: TargetGroup = completedMonths(r.birthDate, r.measuredOn) < 24 ? 'BADUTA' : 'BALITA';
      try {
        // Ages are judged on the day of the reading: an export may reach us after a child turned five.
        this.checkPerson(targetGroup, r.sex, r.birthDate, regencyCode, r.measuredOn);
      } catch (e) {
        if (!(e instanceof ValidationFailed)) throw e;
        out[v.i] = e.details.fields as FieldProblem[];
        continue;
      }
      const subject: SubjectEntity = {
        id: uuidv7(now.getTime()),
        regencyCode,
        villageCode: r.villageCode,
        targetGroup,
        name: r.name,
        nameKey: r.name.toLowerCase(),
        sex: r.sex,
        birthDate: r.birthDate,
        ...(r.nik ? { nikEnc: this.cipher.encrypt(NIK, r.nik), nikHash: v.hash } : { nikEnc: null, nikHash: null }),
        ...this.sealFamilyCard(r.familyCardNumber),
        motherName: r.motherName,
        posyandu: r.posyandu,
        address: r.address,
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      const matched = { subject: this.summaryOf(subject), registered: true };
      known.set(v.key, matched);
      fresh.push(subject);
      out[v.i] = matched;
    }
    const written = this.subjects.insertMany(em, fresh);
    written.catch(() => undefined); // the caller awaits it; until then, keep it from counting as unhandled
    return { children: out, written };
  }

  /** The stored subjects among `valid`, by match key (`n:` + NIK, or name|birth date|village). */
  private async findKnown(em: EntityManager, regencyCode: string, valid: CheckedChild[]): Promise<Map<string, MatchedChild | typeof RESTRICTED>> {
    const known = new Map<string, MatchedChild | typeof RESTRICTED>();
    const hashByKey = new Map(valid.filter((v) => v.hash).map((v) => [v.key, v.hash!]));
    const keyOfHash = new Map([...hashByKey].map(([key, hash]) => [hash.toString('hex'), key]));
    for (const s of await this.subjects.findByNikHashes(em, regencyCode, [...hashByKey.values()])) {
      known.set(keyOfHash.get(s.nikHash!.toString('hex'))!, s.restrictedAt ? RESTRICTED : { subject: this.summaryOf(s), registered: false });
    }
    const unnamed = valid.filter((v) => !v.hash).map((v) => v.r);
    for (const s of await this.subjects.findByNameBirthVillages(em, regencyCode, unnamed)) {
      const key = nameKeyOf(s.nameKey, s.birthDate, s.villageCode);
      if (!known.has(key)) known.set(key, s.restrictedAt ? RESTRICTED : { subject: this.summaryOf(s), registered: false });
    }
    return known;
  }

  /** What a case shows of its subject; no identifiers. A restricted subject is not processed: null. */
  /** A summary row with its place names. */
  summaryOf(s: SubjectSummaryRow): SubjectSummary {
    const { villageName, districtName } = this.regions.place(s.villageCode);
    return { id: s.id, name: s.name, targetGroup: s.targetGroup, sex: s.sex, birthDate: s.birthDate, villageCode: s.villageCode, villageName, districtName, regencyCode: s.regencyCode };
  }

  async summaryInScope(em: EntityManager, id: string, regencyCode: string | null): Promise<SubjectSummary | null> {
    const s = await this.subjects.findInScope(id, regencyCode, em);
    return s && !s.restrictedAt ? this.summaryOf(s) : null;
  }

  /** Restricts processing (UU PDP Pasal 41): the subject vanishes from every view but a DPO's or an admin's. */
  async restrict(actor: Actor, id: string, reason: string | null): Promise<SubjectResponseDto> {
    return this.ds.transaction(async (em) => {
      const s = await this.subjects.lockInScope(em, id, regencyScope(actor));
      if (!s) throw new NotFound('subject');
      s.restrictedAt = reason === null ? null : (s.restrictedAt ?? this.clock.now());
      s.restrictionReason = reason;
      s.version += 1;
      s.updatedAt = this.clock.now();
      await this.subjects.save(em, s);
      return this.toResponse(s);
    });
  }

  /** Everything held in the subject's own record, identifiers in clear: for the subject's right of access. */
  async exportRecord(actor: Actor, id: string): Promise<Record<string, unknown> | null> {
    const s = await this.subjects.findInScope(id, regencyScope(actor));
    if (!s) return null;
    return {
      id: s.id,
      regencyCode: s.regencyCode,
      villageCode: s.villageCode,
      targetGroup: s.targetGroup,
      name: s.name,
      sex: s.sex,
      birthDate: s.birthDate,
      nik: s.nikEnc ? this.cipher.decrypt(NIK, s.nikEnc) : null,
      familyCardNumber: s.familyCardEnc ? this.cipher.decrypt(KK, s.familyCardEnc) : null,
      motherNik: s.motherNikEnc ? this.cipher.decrypt(MOTHER_NIK, s.motherNikEnc) : null,
      motherName: s.motherName,
      posyandu: s.posyandu,
      address: s.address,
      restrictedAt: s.restrictedAt ? s.restrictedAt.toISOString() : null,
      restrictionReason: s.restrictionReason ?? null,
      anonymisedAt: s.anonymisedAt ? s.anonymisedAt.toISOString() : null,
      createdAt: s.createdAt.toISOString(),
      updatedAt: s.updatedAt.toISOString(),
    };
  }

  /**
   * What a FHIR export needs of each child, identifiers in clear, in memory only: the exporter
   * sends them to the platform that identifies people by them. `restricted`: processing is
   * restricted (UU PDP Pasal 41), so the subject must not be sent.
   */
  async forFhirExport(ids: string[]): Promise<Map<string, FhirSubject>> {
    const rows = await this.subjects.byIds([...new Set(ids)]);
    return new Map(
      rows.map((s) => [
        s.id,
        {
          id: s.id,
          regencyCode: s.regencyCode,
          sex: s.sex,
          birthDate: s.birthDate,
          villageCode: s.villageCode,
          posyandu: s.posyandu,
          nik: s.nikEnc ? this.cipher.decrypt(NIK, s.nikEnc) : null,
          motherNik: s.motherNikEnc ? this.cipher.decrypt(MOTHER_NIK, s.motherNikEnc) : null,
          restricted: !!s.restrictedAt,
        },
      ]),
    );
  }

  anonymise(em: EntityManager, ids: string[]): Promise<void> {
    return this.subjects.anonymise(em, ids, this.clock.now());
  }

  pastRetention(em: EntityManager, regencyCode: string, years: number, limit: number): Promise<string[]> {
    return this.subjects.pastRetention(em, regencyCode, this.clock.now(), years, limit);
  }

  regencies(em: EntityManager): Promise<string[]> {
    return this.subjects.regencies(em);
  }

  private visible(actor: Actor, s: SubjectEntity): boolean {
    return !s.restrictedAt || actor.role === 'dpo' || actor.role === 'admin';
  }

  async summaries(ids: string[], em?: EntityManager): Promise<Map<string, SubjectSummary>> {
    const rows = await this.subjects.summaries([...new Set(ids)], em);
    return new Map(rows.map((s) => [s.id, this.summaryOf(s)]));
  }

  async search(actor: Actor, q: ListSubjectsQueryDto): Promise<Page<SubjectResponseDto>> {
    const limit = pageSize(q.limit);
    const after = decodeCursor(q.cursor, ['string', 'string']) as [string, string] | undefined;
    const rows = await this.subjects.search({
      regencyCode: regencyScope(actor),
      nikHash: q.nik !== undefined ? this.cipher.hash(NIK, q.nik) : undefined,
      namePrefix: q.q,
      villageCode: q.villageCode,
      after,
      limit,
      includeRestricted: actor.role === 'dpo' || actor.role === 'admin',
    });
    return toPage(rows, limit, (s) => this.toResponse(s), (s) => [s.nameKey, s.id]);
  }

  /**
   * Runs a write and turns a duplicate NIK into 409 naming the subject that holds it. The
   * unique index settles races between two registrations of the same person.
   */
  private async writeGuardingNik<T>(subject: SubjectEntity | undefined, write: (em: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.ds.transaction(async (em) => {
        if (subject?.nikHash) await this.refuseDuplicate(em, subject);
        return write(em);
      });
    } catch (e) {
      if (pgCode(e) === UNIQUE_VIOLATION && pgConstraint(e) === 'ux_subjects_regency_nik') {
        // Lost a race with a concurrent registration: name the winner.
        const existing = subject ? await this.subjects.idByNikHash(this.ds.manager, subject.regencyCode, subject.nikHash!) : null;
        throw new DomainError('DUPLICATE_SUBJECT', 'a subject with this NIK is already registered in this regency', {
          ...(existing ? { existingSubjectId: existing } : {}),
        });
      }
      throw e;
    }
  }

  private async refuseDuplicate(em: EntityManager, s: SubjectEntity): Promise<void> {
    const existing = await this.subjects.idByNikHash(em, s.regencyCode, s.nikHash!);
    if (existing && existing !== s.id) {
      throw new DomainError('DUPLICATE_SUBJECT', 'a subject with this NIK is already registered in this regency', {
        existingSubjectId: existing,
      });
    }
  }

  private checkVillage(actor: Actor, villageCode: string): string {
    if (!this.regions.isVillage(villageCode)) throw ValidationFailed.field('villageCode', 'is not a Kemendagri village code');
    const regencyCode = villageCode.slice(0, 4);
    if (!inScope(actor, regencyCode)) throw new Forbidden('villageCode is outside your regency');
    return regencyCode;
  }

  private checkNik(nik: string, field = 'nik'): void {
    const problem = nikProblem(nik, (c) => this.regions.isDistrict(c));
    if (problem) throw ValidationFailed.field(field, problem);
  }

  private checkPerson(targetGroup: TargetGroup, sex: string, birthDate: string, regencyCode: string, asOf?: string): void {
    const problems: FieldProblem[] = [];
    const today = asOf ?? localDay(this.clock.now(), regencyCode);
    if (birthDate > today) problems.push({ field: 'birthDate', reason: 'is in the future' });
    else if (birthDate < '1900-01-01') problems.push({ field: 'birthDate', reason: 'is before 1900' });
    const limits = AGE_LIMITS[targetGroup];
    const months = completedMonths(birthDate, today);
    if (limits.maxMonths !== undefined && months >= limits.maxMonths) {
      problems.push({ field: 'birthDate', reason: `a ${targetGroup} subject must be under ${limits.maxMonths} months old` });
    }
    if (limits.minMonths !== undefined && months < limits.minMonths) {
      problems.push({ field: 'birthDate', reason: `a ${targetGroup} subject must be at least ${limits.minMonths / 12} years old` });
    }
    if (limits.sex && sex !== limits.sex) problems.push({ field: 'sex', reason: `a ${targetGroup} subject must be F` });
    if (problems.length) throw new ValidationFailed(problems);
  }

  private sealNik(nik: string | null): Pick<SubjectEntity, 'nikEnc' | 'nikHash'> {
    return nik === null ? { nikEnc: null, nikHash: null } : { nikEnc: this.cipher.encrypt(NIK, nik), nikHash: this.cipher.hash(NIK, nik) };
  }

  private sealMotherNik(nik: string | null): Pick<SubjectEntity, 'motherNikEnc' | 'motherNikHash'> {
    return nik === null
      ? { motherNikEnc: null, motherNikHash: null }
      : { motherNikEnc: this.cipher.encrypt(MOTHER_NIK, nik), motherNikHash: this.cipher.hash(MOTHER_NIK, nik) };
  }

  private sealFamilyCard(kk: string | null): Pick<SubjectEntity, 'familyCardEnc' | 'familyCardHash'> {
    return kk === null
      ? { familyCardEnc: null, familyCardHash: null }
      : { familyCardEnc: this.cipher.encrypt(KK, kk), familyCardHash: this.cipher.hash(KK, kk) };
  }

  private toResponse(s: SubjectEntity): SubjectResponseDto {
    return {
      id: s.id,
      targetGroup: s.targetGroup,
      name: s.name,
      sex: s.sex,
      birthDate: s.birthDate,
      nik: s.nikEnc ? maskIdentifier(this.cipher.decrypt(NIK, s.nikEnc)) : null,
      familyCardNumber: s.familyCardEnc ? maskIdentifier(this.cipher.decrypt(KK, s.familyCardEnc)) : null,
      motherNik: s.motherNikEnc ? maskIdentifier(this.cipher.decrypt(MOTHER_NIK, s.motherNikEnc)) : null,
      motherName: s.motherName,
      villageCode: s.villageCode,
      ...pick(this.regions.place(s.villageCode)),
      regencyCode: s.regencyCode,
      posyandu: s.posyandu,
      address: s.address,
      restricted: !!s.restrictedAt,
      version: s.version,
      createdAt: s.createdAt.toISOString(),
      updatedAt: s.updatedAt.toISOString(),
    };
  }
}

const pick = ({ villageName, districtName }: { villageName: string | null; districtName: string | null }) => ({ villageName, districtName });

/** A stored child whose processing is restricted: imports leave it alone. */
const RESTRICTED = Symbol('restricted');

export interface ImportedChild {
  nik: string | null;
  familyCardNumber: string | null;
  name: string;
  birthDate: string;
  sex: 'M' | 'F';
  motherName: string | null;
  address: string | null;
  villageCode: string;
  posyandu: string | null;
  measuredOn: string;
}

/** An imported row's child, checked, with the key it is matched by. */
export interface CheckedChild {
  r: ImportedChild;
  key: string;
  hash: Buffer | null;
}

/** An imported row's child: stored already, or `registered` by this import in the same transaction. */
export interface MatchedChild {
  subject: SubjectSummary;
  registered: boolean;
}

export interface FhirSubject {
  id: string;
  regencyCode: string;
  sex: 'M' | 'F';
  birthDate: string;
  villageCode: string;
  posyandu: string | null;
  nik: string | null;
  motherNik: string | null;
  restricted: boolean;
}

export interface SubjectSummary {
  id: string;
  name: string;
  targetGroup: TargetGroup;
  sex: 'M' | 'F';
  birthDate: string;
  villageCode: string;
  /** The village's and its kecamatan's names (idn-area-data), so screens need not show codes. */
  villageName: string | null;
  districtName: string | null;
  regencyCode: string;
}

const nameKeyOf = (nameKey: string, birthDate: string, villageCode: string) => `k:${nameKey}|${birthDate}|${villageCode}`;


function completedMonths(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number);
  const [ty, tm, td] = to.split('-').map(Number);
  return (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
}

