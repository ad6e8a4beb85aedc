import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module.js';
import { EscalationModule } from '../escalation/escalation.module.js';
import { GrowthModule } from '../growth/growth.module.js';
import { InterventionsModule } from '../interventions/interventions.module.js';
import { SubjectsModule } from '../subjects/subjects.module.js';
import { TasksModule } from '../tasks/tasks.module.js';
import { PrivacyController } from './privacy.controller.js';
import { PrivacyService } from './privacy.service.js';
import { RetentionService } from './retention.service.js';
import { TimePartitionsService } from './time-partitions.service.js';

/** Data-subject rights and retention: they reach into every module that holds personal data. */
@Module({
  imports: [SubjectsModule, GrowthModule, CasesModule, TasksModule, InterventionsModule, EscalationModule],
  controllers: [PrivacyController],
  providers: [PrivacyService, RetentionService, TimePartitionsService],
  exports: [TimePartitionsService],
})
export class PrivacyModule {}
