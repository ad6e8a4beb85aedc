import { instantOf, isFutureDay } from '../../common/clock/calendar-day.js';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { NotFound, ValidationFailed } from '../../common/errors/domain-error.js';
import type { Page } from '../../common/http/pagination.js';
import { type Actor, regencyScope } from '../identity/actor.js';
import { SponsorsService } from '../organisations/sponsors.service.js';
import { type ConsentRow, ConsentsRepository } from './consents.repository.js';
import type { CreateConsentDto } from './dto/consent.dto.js';
import { SubjectsService } from './subjects.service.js';

export interface ConsentView {
  id: string;
  subjectId: string;
  guardianName: string;
  guardianRelation: string;
  purpose: string;
  sponsorId: string | null;
  evidenceRef: string;
  givenAt: string;
  withdrawnAt: string | null;
  active: boolean;
  recordedAt: string;
}

/**
 * Guardians' consent to share a child's identity with a sponsor. Without an active one a sponsor
 * sees only a pseudonymous beneficiary code (UU PDP Pasal 25: children's data needs the parent's
 * or guardian's consent). Withdrawing keeps the record: it is the proof of what was allowed when.
 */
@Injectable()
export class ConsentsService {
  constructor(
    private readonly ds: DataSource,
    private readonly consents: ConsentsRepository,
    private readonly subjects: SubjectsService,
    private readonly sponsors: SponsorsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async record(actor: Actor, subjectId: string, dto: CreateConsentDto): Promise<ConsentView> {
    const subject = await this.subjects.summaryInScope(this.ds.manager, subjectId, regencyScope(actor));
    if (!subject) throw new NotFound('subject');
    const now = this.clock.now();
    if (isFutureDay(dto.givenAt, subject.regencyCode, now)) throw ValidationFailed.field('givenAt', 'is in the future');
    const givenAt = instantOf(dto.givenAt, subject.regencyCode, { now });
    if (!(await this.sponsors.covers(this.ds.manager, dto.sponsorId, subject.regencyCode))) {
      throw ValidationFailed.field('sponsorId', `is not a sponsor funding regency ${subject.regencyCode}`);
    }
    const row: ConsentRow = {
      id: randomUUID(),
      regencyCode: subject.regencyCode,
      subjectId,
      guardianName: dto.guardianName,
      guardianRelation: dto.guardianRelation,
      purpose: dto.purpose,
      sponsorId: dto.sponsorId,
      evidenceRef: dto.evidenceRef,
      givenAt,
      withdrawnAt: null,
      recordedBy: actor.userId,
      recordedAt: now,
    };
    await this.consents.insert(row);
    return this.view(row);
  }

  async list(actor: Actor, subjectId: string): Promise<Page<ConsentView>> {
    await this.requireSubject(actor, subjectId);
    return { items: (await this.consents.ofSubject(subjectId)).map((c) => this.view(c)), nextCursor: null };
  }

  /** All consent records of a subject, without a scope check: the caller has done it. */
  async listFor(subjectId: string): Promise<Page<ConsentView>> {
    return { items: (await this.consents.ofSubject(subjectId)).map((c) => this.view(c)), nextCursor: null };
  }

  async withdraw(actor: Actor, subjectId: string, consentId: string): Promise<ConsentView> {
    await this.requireSubject(actor, subjectId);
    const row = await this.consents.withdraw(consentId, subjectId, this.clock.now());
    if (!row) throw new NotFound('active consent');
    return this.view(row);
  }

  anonymise(em: EntityManager, subjectIds: string[]): Promise<void> {
    return this.consents.anonymise(em, subjectIds);
  }

  /** Subjects whose guardian consents, now, to sharing with the sponsor. */
  sharingWith(em: EntityManager, sponsorId: string, subjectIds: string[]): Promise<Set<string>> {
    return this.consents.sharingWith(em, sponsorId, [...new Set(subjectIds)], this.clock.now());
  }

  private async requireSubject(actor: Actor, subjectId: string): Promise<void> {
    const subject = await this.subjects.summaryInScope(this.ds.manager, subjectId, regencyScope(actor));
    if (!subject) throw new NotFound('subject');
  }

  private view(c: ConsentRow): ConsentView {
    const now = this.clock.now();
    return {
      id: c.id,
      subjectId: c.subjectId,
      guardianName: c.guardianName,
      guardianRelation: c.guardianRelation,
      purpose: c.purpose,
      sponsorId: c.sponsorId,
      evidenceRef: c.evidenceRef,
      givenAt: c.givenAt.toISOString(),
      withdrawnAt: c.withdrawnAt ? c.withdrawnAt.toISOString() : null,
      active: c.givenAt <= now && (c.withdrawnAt === null || c.withdrawnAt > now),
      recordedAt: c.recordedAt.toISOString(),
    };
  }
}
