import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { localDay } from '../../common/clock/calendar-day.js';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { maskIdentifier, PiiCipher } from '../../common/crypto/pii-cipher.js';
import { DomainError, Forbidden, NotFound, ValidationFailed, VersionConflict } from '../../common/errors/domain-error.js';
import { pgCode, pgConstraint, UNIQUE_VIOLATION } from '../../common/errors/pg-errors.js';
import { decodeCursor, type Page, pageSize, toPage } from '../../common/http/pagination.js';
import { type Actor, inScope, regencyScope } from '../identity/actor.js';
import { RegionsService } from '../regions/regions.service.js';
import type { CreateSubjectDto, ListSubjectsQueryDto, SubjectResponseDto, UpdateSubjectDto } from './dto/subject.dto.js';
import { nikProblem } from './nik.js';
import type { SubjectEntity, TargetGroup } from './subject.entity.js';
import { SubjectsRepository, type SubjectSummaryRow } from './subjects.repository.js';

import { KK, MOTHER_NIK, NIK, personProblems } from './subject-rules.js';

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
      if (dto.birthDate !== undefined && dto.birthDate > s.birthDate) {
        const first = await this.subjects.firstReadingDay(em, s.id);
        if (first !== null && first < dto.birthDate) throw ValidationFailed.field('birthDate', `is after the subject's first reading (${first})`);
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

  /** Subjects whose own record is past `cutoff` (fifth birthday and last change), a keyset page at a time; their cases are the caller's to weigh. */
  retentionCandidates(em: EntityManager, regencyCode: string, cutoff: Date, limit: number, after: [string, string] | null) {
    return this.subjects.retentionCandidates(em, regencyCode, cutoff, limit, after);
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

  checkNik(nik: string, field = 'nik'): void {
    const problem = nikProblem(nik, (c) => this.regions.isDistrict(c));
    if (problem) throw ValidationFailed.field(field, problem);
  }

  private checkPerson(targetGroup: TargetGroup, sex: string, birthDate: string, regencyCode: string): void {
    const problems = personProblems(targetGroup, sex, birthDate, localDay(this.clock.now(), regencyCode));
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

  sealFamilyCard(kk: string | null): Pick<SubjectEntity, 'familyCardEnc' | 'familyCardHash'> {
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
