import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { localDay } from '../../common/clock/calendar-day.js';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { NotFound, ValidationFailed } from '../../common/errors/domain-error.js';
import { AnsitService } from '../ansit/ansit.service.js';
import { type Actor, aggregateInScope, aggregatePrefix } from '../identity/actor.js';
import { OpdsService } from '../organisations/opds.service.js';
import { RegionsService } from '../regions/regions.service.js';
import { AksiCyclesService } from './aksi-cycles.service.js';
import { preparationDue } from './aksi-document.lifecycle.js';
import { AksiCyclesRepository } from './aksi-cycles.repository.js';
import { AksiDocumentsRepository } from './aksi-documents.repository.js';
import { weightedScore } from './aksi-score.js';
import { AksiScoresRepository } from './aksi-scores.repository.js';
import type { PutScoresDto } from './dto/aksi.dto.js';
import { AKSI_ACTIONS, AKSI_DOCUMENT_STATES, type AksiDocumentState } from './machine/aksi-document.types.js';

/** The eight actions as the Juknis names them (domain brief §6). */
export const AKSI_ACTION_NAMES: Record<number, string> = {
  1: 'Analisis situasi',
  2: 'Rencana kegiatan',
  3: 'Rembuk stunting',
  4: 'Peraturan bupati/wali kota',
  5: 'Pembinaan kader pembangunan manusia (KPM)',
  6: 'Sistem manajemen data',
  7: 'Pengukuran dan publikasi data stunting',
  8: 'Reviu kinerja tahunan',
};

/** Master Ansit is the data of the situation analysis (Aksi 1): its completeness shows on that action. */
const ANSIT_ACTION = 1;
const DAY_MS = 86_400_000;

/**
 * Where a regency's 8 Aksi year stands: per action, its documents by state, the ones still being
 * prepared past the upload deadline and whose they are; Master Ansit completeness; the days left;
 * and the panel's points weighed by the cycle. Counts only: no person's data.
 */
@Injectable()
export class AksiReadinessService {
  constructor(
    private readonly ds: DataSource,
    private readonly cycles: AksiCyclesService,
    private readonly cycleRows: AksiCyclesRepository,
    private readonly documents: AksiDocumentsRepository,
    private readonly scores: AksiScoresRepository,
    private readonly ansit: AnsitService,
    private readonly opds: OpdsService,
    private readonly regions: RegionsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async readiness(actor: Actor, year: number, requested: string | undefined) {
    const regencyCode = this.regencyOf(actor, requested);
    const em = this.ds.manager;
    const now = this.clock.now();
    const [cycle, row, counts, preparing, panel, ansit] = await Promise.all([
      this.cycles.get(actor, year, regencyCode),
      this.cycleRows.effective(em, year, regencyCode),
      this.documents.countsByAction(em, regencyCode, year),
      this.documents.preparing(em, regencyCode, year),
      this.scores.of(em, regencyCode, year),
      this.ansit.completeness(actor, year, regencyCode),
    ]);
    const today = localDay(now, regencyCode);
    const daysToDeadline = cycle.uploadDeadline === null ? null : Math.round((Date.parse(`${cycle.uploadDeadline}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
    // Still being prepared once the upload day has ended: late, whether or not a step is open (a late revision has none).
    const late = row && now.getTime() >= preparationDue(row, regencyCode).getTime() ? preparing : [];
    const owners = await this.opds.summaries(em, late.map((d) => d.ownerOpdId));
    const indicators = { villages: ansit.villages, indicators: ansit.indicators, cells: ansit.cells, filled: ansit.filled, ratio: ansit.ratio, indicatorsDone: ansit.indicatorsDone };

    const actions = AKSI_ACTIONS.map((action) => {
      const byState = Object.fromEntries(AKSI_DOCUMENT_STATES.map((s) => [s, 0])) as Record<AksiDocumentState, number>;
      for (const c of counts) if (c.action === action) byState[c.state] += c.n;
      const total = AKSI_DOCUMENT_STATES.reduce((s, st) => s + byState[st], 0);
      return {
        action,
        name: AKSI_ACTION_NAMES[action],
        scored: cycle.scoredActions.includes(action),
        documents: { total, ...byState },
        ready: total > 0 && byState.draft + byState.revision_requested === 0,
        overdue: late
          .filter((d) => d.action === action)
          .map((d) => {
            const o = owners.get(d.ownerOpdId);
            return { id: d.id, title: d.title, state: d.state, ownerOpd: { id: d.ownerOpdId, code: o?.code ?? null, name: o?.name ?? null }, dueAt: cycle.uploadClosesAt };
          }),
        indicators: action === ANSIT_ACTION ? indicators : null,
      };
    });

    const overdueOwners = [...owners.values()]
      .map((o) => ({ opdId: o.id, code: o.code, name: o.name, documents: late.filter((d) => d.ownerOpdId === o.id).length }))
      .sort((a, b) => b.documents - a.documents || a.code.localeCompare(b.code));

    return { year, regencyCode, today, cycle, daysToDeadline, actions, overdueOwners, indicators, score: weightedScore(cycle.weights, panel) };
  }

  /** One panelist's points for the components given (the TPPS secretariat records the province panel's). */
  async putScores(actor: Actor, year: number, dto: PutScoresDto) {
    const regencyCode = this.regencyOf(actor, dto.regionCode);
    const points = Object.fromEntries(Object.entries(dto.scores ?? {}).filter(([, v]) => v !== undefined));
    if (!Object.keys(points).length) throw ValidationFailed.field('scores', 'must give points for at least one of documents, presentation, field');
    await this.scores.put(this.ds.manager, { regencyCode, year, panelist: dto.panelist ?? 'panel', points, note: dto.note ?? null, by: actor.userId, at: this.clock.now() });
    return this.readiness(actor, year, regencyCode);
  }

  /** A regency: one's own by default; one inside one's province (or any, nationally) when named; else 404. */
  private regencyOf(actor: Actor, requested: string | undefined): string {
    if (requested !== undefined) {
      if (requested.length !== 4 || !aggregateInScope(actor, requested) || !this.regions.isRegency(requested)) throw new NotFound('regency');
      return requested;
    }
    const prefix = aggregatePrefix(actor);
    if (prefix.length === 4) return prefix;
    throw ValidationFailed.field('regionCode', 'is required for a user not bound to one regency: name the regency (4 digits)');
  }
}
