import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CASE_EVIDENCE } from '../cases/case-evidence.js';
import { CasesModule } from '../cases/cases.module.js';
import { SubjectsModule } from '../subjects/subjects.module.js';
import { KmsStandardsController } from './kms/kms-standards.controller.js';
import { KmsStandardsRepository } from './kms/kms-standards.repository.js';
import { KmsStandardsService } from './kms/kms-standards.service.js';
import { MeasurementEntity } from './measurement.entity.js';
import { MeasurementsController } from './measurements.controller.js';
import { MeasurementsRepository } from './measurements.repository.js';
import { MeasurementsService } from './measurements.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([MeasurementEntity]), SubjectsModule, CasesModule],
  controllers: [MeasurementsController, KmsStandardsController],
  // Cases read the outcome of RESOLVE and store a re-measurement's reading through this token.
  providers: [MeasurementsService, MeasurementsRepository, KmsStandardsService, KmsStandardsRepository, { provide: CASE_EVIDENCE, useExisting: MeasurementsService }],
  exports: [MeasurementsService, KmsStandardsService, CASE_EVIDENCE],
})
export class GrowthModule {}
