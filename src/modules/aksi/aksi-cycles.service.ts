import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { utcOffsetLabel } from '../../common/clock/calendar-day.js';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { NotFound, ValidationFailed } from '../../common/errors/domain-error.js';
import { StepDeadlinesService } from '../../workflow/step-deadlines.service.js';
import { SlaPoliciesService } from '../escalation/sla-policies.service.js';
import { type Actor, aggregateInScope } from '../identity/actor.js';
import { preparationDue } from './aksi-document.lifecycle.js';
import { AksiCyclesRepository, type CycleRow, type CycleWeights } from './aksi-cycles.repository.js';
import { AksiDocumentsRepository } from './aksi-documents.repository.js';
import type { CycleDto } from './dto/aksi.dto.js';

/** Domain brief wave 2 §3 (Bengkulu 2023, as Rejang Lebong reported it): documents 60, presentation 20, field 20. */
export const DEFAULT_WEIGHTS: CycleWeights = { documents: 60, presentation: 20, field: 20 };
export const ALL_ACTIONS = [1, 2, 3, 4, 5, 6, 7, 8];

export interface CycleView {
  year: number;
  /** The region asked about. */
  regionCode: string;
  /** Whose cycle applies: the region's own, its province's, or none yet (null). */
  source: 'regency' | 'province' | null;
  uploadDeadline: string | null;
  verificationDate: string | null;
  assessmentDate: string | null;
  /** The instant the upload day ends in the region's zone. */
  uploadClosesAt: string | null;
  utcOffset: string;
  weights: CycleWeights;
  scoredActions: number[];
  updatedAt: string | null;
}

const realDay = (d: string) => new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;

/**
 * The assessment cycle of a year. A province admin sets the province's; each regency follows it
 * unless a cycle of its own is set (by its admin, or by the province's admin for it), which then
 * wins whole (no field-by-field merge).
 */
@Injectable()
export class AksiCyclesService {
  constructor(
    private readonly ds: DataSource,
    private readonly cycles: AksiCyclesRepository,
    private readonly documents: AksiDocumentsRepository,
    private readonly steps: StepDeadlinesService,
    private readonly policies: SlaPoliciesService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async get(actor: Actor, year: number, requested: string | undefined): Promise<CycleView> {
    const regionCode = this.regionOf(actor, requested);
    return this.view(year, regionCode, await this.cycles.effective(this.ds.manager, year, regionCode));
  }

  async put(actor: Actor, year: number, requested: string | undefined, dto: CycleDto): Promise<CycleView> {
    const regionCode = this.regionOf(actor, requested);
    for (const f of ['uploadDeadline', 'verificationDate', 'assessmentDate'] as const) {
      if (!realDay(dto[f])) throw ValidationFailed.field(f, 'is not a real calendar day');
    }
    if (dto.verificationDate < dto.uploadDeadline) throw ValidationFailed.field('verificationDate', 'must not be before uploadDeadline');
    if (dto.assessmentDate < dto.verificationDate) throw ValidationFailed.field('assessmentDate', 'must not be before verificationDate');
    const weights = dto.weights ? { documents: dto.weights.documents, presentation: dto.weights.presentation, field: dto.weights.field } : DEFAULT_WEIGHTS;
    const sum = weights.documents + weights.presentation + weights.field;
    if (sum !== 100) throw ValidationFailed.field('weights', `must add up to 100, not ${sum}`);
    const scored = dto.scoredActions ?? ALL_ACTIONS;
    if (new Set(scored).size !== scored.length) throw ValidationFailed.field('scoredActions', 'must not list an action twice');
    const row: CycleRow = {
      year,
      regionCode,
      uploadDeadline: dto.uploadDeadline,
      verificationDate: dto.verificationDate,
      assessmentDate: dto.assessmentDate,
      weights,
      scoredActions: [...scored].sort((a, b) => a - b),
      updatedBy: actor.userId,
      updatedAt: this.clock.now(),
    };
    await this.ds.transaction(async (em) => {
      await this.cycles.upsert(em, row);
      await this.retime(em, row);
    });
    return this.view(year, regionCode, await this.cycles.effective(this.ds.manager, year, regionCode));
  }

  /**
   * The documents being prepared under this cycle follow its new upload deadline. Their step goes
   * on (the same step): a rung already fired is not fired again, whatever the new dates.
   */
  private async retime(em: EntityManager, cycle: CycleRow): Promise<void> {
    const docs =
      cycle.regionCode.length === 4
        ? await this.documents.openSteps(em, cycle.year, [cycle.regionCode])
        : await this.documents.openSteps(em, cycle.year, { provinceCode: cycle.regionCode, except: await this.cycles.ownRegencies(em, cycle.year, cycle.regionCode) });
    if (!docs.length) return;
    const open = await this.steps.rows(em, 'aksi_document', docs.map((d) => d.id));
    const policies = await this.policies.ofMany([...new Set(docs.map((d) => d.regencyCode))], em);
    const moved = open.map(({ aggregateType, aggregateId, regencyCode, villageCode, opdId, step, stepSeq, enteredAt }) => ({
      aggregateType, aggregateId, regencyCode, villageCode, opdId, step, stepSeq, enteredAt, dueAt: preparationDue(cycle, regencyCode),
    }));
    await this.steps.enter(em, moved, policies);
    for (const s of moved) await this.documents.setStepDue(em, [s.aggregateId], s.dueAt);
  }

  /** The region a request is about: one's own by default; another inside one's scope when named; else 404. */
  private regionOf(actor: Actor, requested: string | undefined): string {
    const own = actor.regencyCode ?? actor.provinceCode;
    const regionCode = requested ?? own;
    if (!regionCode) throw ValidationFailed.field('regionCode', 'is required for a national user');
    if (!aggregateInScope(actor, regionCode)) throw new NotFound('assessment cycle');
    return regionCode;
  }

  private view(year: number, regionCode: string, c: CycleRow | null): CycleView {
    return {
      year,
      regionCode,
      source: c ? (c.regionCode.length === 4 ? 'regency' : 'province') : null,
      uploadDeadline: c?.uploadDeadline ?? null,
      verificationDate: c?.verificationDate ?? null,
      assessmentDate: c?.assessmentDate ?? null,
      uploadClosesAt: c ? preparationDue(c, regionCode).toISOString() : null,
      utcOffset: utcOffsetLabel(regionCode),
      weights: c?.weights ?? DEFAULT_WEIGHTS,
      scoredActions: c?.scoredActions ?? ALL_ACTIONS,
      updatedAt: c ? new Date(c.updatedAt).toISOString() : null,
    };
  }
}
