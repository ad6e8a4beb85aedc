import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CASE_EVIDENCE } from '../cases/case-evidence.js';
import { CasesModule } from '../cases/cases.module.js';
import { SubjectsModule } from '../subjects/subjects.module.js';
import { MeasurementEntity } from './measurement.entity.js';
import { MeasurementsController } from './measurements.controller.js';
import { MeasurementsRepository } from './measurements.repository.js';
import { MeasurementsService } from './measurements.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([MeasurementEntity]), SubjectsModule, CasesModule],
  controllers: [MeasurementsController],
  // Cases read the outcome of RESOLVE and store a re-measurement's reading through this token.
  providers: [MeasurementsService, MeasurementsRepository, { provide: CASE_EVIDENCE, useExisting: MeasurementsService }],
  exports: [MeasurementsService, CASE_EVIDENCE],
})
export class GrowthModule {}
