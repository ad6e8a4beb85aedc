import { Module } from '@nestjs/common';
import { EscalationModule } from '../escalation/escalation.module.js';
import { FamiliesModule } from '../families/families.module.js';
import { GrowthModule } from '../growth/growth.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { SubjectsModule } from '../subjects/subjects.module.js';
import { AccompanimentLifecycle } from './accompaniment.lifecycle.js';
import { AccompanimentsRepository } from './accompaniments.repository.js';
import { AccompanimentsService } from './accompaniments.service.js';
import { TpkTeamsRepository } from './tpk-teams.repository.js';
import { TpkTeamsService } from './tpk-teams.service.js';
import { VisitsController } from './visits.controller.js';
import { VisitsRepository } from './visits.repository.js';
import { VisitsService } from './visits.service.js';

@Module({
  imports: [IdentityModule, EscalationModule, FamiliesModule, SubjectsModule, GrowthModule],
  controllers: [VisitsController],
  providers: [VisitsService, VisitsRepository, AccompanimentsService, AccompanimentLifecycle, AccompanimentsRepository, TpkTeamsService, TpkTeamsRepository],
  exports: [VisitsService],
})
export class VisitsModule {}
