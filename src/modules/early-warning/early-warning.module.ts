import { Module } from '@nestjs/common';
import { GrowthModule } from '../growth/growth.module.js';
import { EarlyWarningController } from './early-warning.controller.js';
import { EarlyWarningService } from './early-warning.service.js';
import { FlagsRepository } from './flags.repository.js';
import { WatchRepository } from './watch.repository.js';

@Module({
  imports: [GrowthModule],
  controllers: [EarlyWarningController],
  providers: [EarlyWarningService, FlagsRepository, WatchRepository],
  exports: [EarlyWarningService],
})
export class EarlyWarningModule {}
