import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CasesModule } from '../cases/cases.module.js';
import { SubjectsModule } from '../subjects/subjects.module.js';
import { MeasurementEntity } from './measurement.entity.js';
import { MeasurementsController } from './measurements.controller.js';
import { MeasurementsRepository } from './measurements.repository.js';
import { MeasurementsService } from './measurements.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([MeasurementEntity]), SubjectsModule, CasesModule],
  controllers: [MeasurementsController],
  providers: [MeasurementsService, MeasurementsRepository],
  exports: [MeasurementsService],
})
export class GrowthModule {}
