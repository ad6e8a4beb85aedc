import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module.js';
import { GrowthModule } from '../growth/growth.module.js';
import { TasksModule } from '../tasks/tasks.module.js';
import { VisitsModule } from '../visits/visits.module.js';
import { EarlyWarningController } from './early-warning.controller.js';
import { EarlyWarningService } from './early-warning.service.js';
import { FlagsRepository } from './flags.repository.js';
import { WatchRepository } from './watch.repository.js';

@Module({
  imports: [GrowthModule, VisitsModule, CasesModule, TasksModule],
  controllers: [EarlyWarningController],
  providers: [EarlyWarningService, FlagsRepository, WatchRepository],
  exports: [EarlyWarningService],
})
export class EarlyWarningModule {}
