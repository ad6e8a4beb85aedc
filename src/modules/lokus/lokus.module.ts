import { Module } from '@nestjs/common';
import { LokusController, LokusWatchController } from './lokus.controller.js';
import { LokusWatchRepository } from './lokus-watch.repository.js';
import { LokusRepository } from './lokus.repository.js';
import { LokusService } from './lokus.service.js';

@Module({
  controllers: [LokusController, LokusWatchController],
  providers: [LokusService, LokusRepository, LokusWatchRepository],
})
export class LokusModule {}
