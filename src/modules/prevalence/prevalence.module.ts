import { Module } from '@nestjs/common';
import { PrevalenceReportsController, PrevalenceSettingsController } from './prevalence.controller.js';
import { PrevalenceRepository } from './prevalence.repository.js';
import { PrevalenceService } from './prevalence.service.js';
import { PrevalenceSweeper } from './prevalence.sweeper.js';

@Module({
  controllers: [PrevalenceReportsController, PrevalenceSettingsController],
  providers: [PrevalenceService, PrevalenceRepository, PrevalenceSweeper],
  exports: [PrevalenceService],
})
export class PrevalenceModule {}
