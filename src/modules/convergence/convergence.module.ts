import { Module } from '@nestjs/common';
import { RegionsModule } from '../regions/regions.module.js';
import { ConvergenceController } from './convergence.controller.js';
import { ConvergenceRepository } from './convergence.repository.js';
import { ConvergenceService } from './convergence.service.js';

/** Convergence scorecards (issue 18 part 2): the package per target group, a subject's scorecard, the report per village or kecamatan. */
@Module({
  imports: [RegionsModule],
  controllers: [ConvergenceController],
  providers: [ConvergenceService, ConvergenceRepository],
})
export class ConvergenceModule {}
