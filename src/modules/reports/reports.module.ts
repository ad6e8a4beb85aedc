import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module.js';
import { GrowthModule } from '../growth/growth.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { InterventionsModule } from '../interventions/interventions.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { SubjectsModule } from '../subjects/subjects.module.js';
import { TasksModule } from '../tasks/tasks.module.js';
import { VisitsModule } from '../visits/visits.module.js';
import { TimelineController } from './timeline.controller.js';
import { TimelineService } from './timeline.service.js';

/** Read models over the other modules' services: the child's cross-agency timeline (issue 18). */
@Module({
  imports: [IdentityModule, SubjectsModule, CasesModule, TasksModule, InterventionsModule, GrowthModule, VisitsModule, OrganisationsModule],
  controllers: [TimelineController],
  providers: [TimelineService],
  exports: [TimelineService],
})
export class ReportsModule {}
