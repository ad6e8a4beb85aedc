import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { DataSource } from 'typeorm';
import { NotFound } from '../../common/errors/domain-error.js';
import { CasesService } from '../cases/cases.service.js';
import { MeasurementsService } from '../growth/measurements.service.js';
import type { Actor } from '../identity/actor.js';
import { InterventionsService } from '../interventions/interventions.service.js';
import { ConsentsService } from '../subjects/consents.service.js';
import { SubjectsService } from '../subjects/subjects.service.js';
import { TasksService } from '../tasks/tasks.service.js';

/** Data-subject rights (UU PDP): access to everything held about a person, and restriction of processing. */
@Injectable()
export class PrivacyService {
  constructor(
    private readonly ds: DataSource,
    private readonly subjects: SubjectsService,
    private readonly consents: ConsentsService,
    private readonly measurements: MeasurementsService,
    private readonly cases: CasesService,
    private readonly tasks: TasksService,
    private readonly interventions: InterventionsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Everything Tuntas holds about one person, as one JSON document. */
  async export(actor: Actor, subjectId: string): Promise<Record<string, unknown>> {
    const subject = await this.subjects.exportRecord(actor, subjectId);
    if (!subject) throw new NotFound('subject');
    const cases = (await this.cases.exportFor(this.ds.manager, subjectId)) as { id: string }[];
    const caseIds = cases.map((c) => c.id);
    return {
      exportedAt: this.clock.now().toISOString(),
      subject,
      consents: (await this.consents.listFor(subjectId)).items,
      measurements: await this.measurements.exportFor(subjectId),
      cases,
      tasks: await this.tasks.exportFor(caseIds, subjectId),
      interventions: await this.interventions.exportFor(caseIds),
    };
  }

  restrict(actor: Actor, subjectId: string, reason: string) {
    return this.subjects.restrict(actor, subjectId, reason);
  }

  lift(actor: Actor, subjectId: string) {
    return this.subjects.restrict(actor, subjectId, null);
  }
}
