import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { localDay } from '../../common/clock/calendar-day.js';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { type FieldProblem, ValidationFailed } from '../../common/errors/domain-error.js';
import { uuidv7 } from '../../common/ids/uuid-v7.js';
import type { Actor } from '../identity/actor.js';
import { RegionsService } from '../regions/regions.service.js';
import type { SubjectEntity, TargetGroup } from './subject.entity.js';
import { completedMonths, NIK, personProblems } from './subject-rules.js';
import { SubjectsRepository } from './subjects.repository.js';
import { SubjectsService, type SubjectSummary } from './subjects.service.js';

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

const nameKeyOf = (nameKey: string, birthDate: string, villageCode: string) => `k:${nameKey}|${birthDate}|${villageCode}`;

/**
 * Which subject an imported row is about: checked without the database while the last batch is
 * written, then found by NIK (keyed hash) or by name, birth date and village, or registered.
 */
@Injectable()
export class ImportMatching {
  constructor(
    private readonly subjects: SubjectsRepository,
    private readonly people: SubjectsService,
    private readonly regions: RegionsService,
    private readonly cipher: PiiCipher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

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
        if (r.nik !== null) this.people.checkNik(r.nik);
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
        const problems = personProblems(targetGroup, r.sex, r.birthDate, r.measuredOn);
        if (problems.length) throw new ValidationFailed(problems);
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
        ...this.people.sealFamilyCard(r.familyCardNumber),
        motherName: r.motherName,
        posyandu: r.posyandu,
        address: r.address,
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      const matched = { subject: this.people.summaryOf(subject), registered: true };
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
      known.set(keyOfHash.get(s.nikHash!.toString('hex'))!, s.restrictedAt ? RESTRICTED : { subject: this.people.summaryOf(s), registered: false });
    }
    const unnamed = valid.filter((v) => !v.hash).map((v) => v.r);
    for (const s of await this.subjects.findByNameBirthVillages(em, regencyCode, unnamed)) {
      const key = nameKeyOf(s.nameKey, s.birthDate, s.villageCode);
      if (!known.has(key)) known.set(key, s.restrictedAt ? RESTRICTED : { subject: this.people.summaryOf(s), registered: false });
    }
    return known;
  }
}
