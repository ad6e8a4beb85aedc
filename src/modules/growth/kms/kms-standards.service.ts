import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../../../common/clock/clock.js';
import { Forbidden, ValidationFailed } from '../../../common/errors/domain-error.js';
import { type Actor, inScope } from '../../identity/actor.js';
import type { KmsStandardDto } from '../dto/kms-standard.dto.js';
import { DEFAULT_KMS_STANDARD, type KmsStandard } from './kms-standard.js';
import { type KmsStandardRow, KmsStandardsRepository } from './kms-standards.repository.js';

// Versions stored before the referral OPD was part of the standard refer to the default.
const standardOf = (r: KmsStandardRow): KmsStandard => ({ ...DEFAULT_KMS_STANDARD, ...(r.body as Partial<KmsStandard>), version: r.version });

/** The KMS standard per regency: versions are added, never changed; a weighing keeps the version that scored it. */
@Injectable()
export class KmsStandardsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: KmsStandardsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The standard in force in each regency, in the caller's transaction. */
  async current(em: EntityManager | undefined, regencyCodes: string[]): Promise<Map<string, KmsStandard>> {
    const rows = await this.repo.current(em, [...new Set(regencyCodes)]);
    return new Map([...rows].map(([code, r]) => [code, standardOf(r)]));
  }

  async read(actor: Actor, regencyCode: string) {
    if (!inScope(actor, regencyCode)) throw new Forbidden('that regency is outside your scope');
    const [current] = [...(await this.current(undefined, [regencyCode])).values()];
    const versions = await this.repo.versions(regencyCode);
    return {
      regencyCode,
      current,
      versions: versions.map((r) => ({ regencyCode: r.regencyCode, ...standardOf(r), source: r.source, createdAt: new Date(r.createdAt).toISOString() })),
    };
  }

  /** Puts the regency's next version in force: it scores the weighings stored from now on. */
  async put(actor: Actor, regencyCode: string, dto: KmsStandardDto): Promise<KmsStandard> {
    if (!inScope(actor, regencyCode)) throw new Forbidden('that regency is outside your scope');
    if (!dto.kbm.some((k) => k.fromMonths === 0)) throw ValidationFailed.field('kbm', 'needs a step from 0 months');
    if (new Set(dto.kbm.map((k) => k.fromMonths)).size !== dto.kbm.length) throw ValidationFailed.field('kbm', 'has two steps from the same month');
    const body: Omit<KmsStandard, 'version'> = {
      kbm: [...dto.kbm].sort((a, b) => a.fromMonths - b.fromMonths).map((k) => ({ fromMonths: k.fromMonths, grams: k.grams })),
      redLineWaz: dto.redLineWaz,
      orangeLineWaz: dto.orangeLineWaz,
      maxGapDays: dto.maxGapDays,
      falteringDropWaz: dto.falteringDropWaz,
      falteringWindowDays: dto.falteringWindowDays,
      lostAfterDays: dto.lostAfterDays,
      referralOpdCode: dto.referralOpdCode ?? DEFAULT_KMS_STANDARD.referralOpdCode,
    };
    const version = await this.ds.transaction((em) => this.repo.add(em, regencyCode, body, dto.source ?? null, actor.userId, this.clock.now()));
    return { ...body, version };
  }
}
