import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GrowthModule } from '../growth/growth.module.js';
import { SubjectsModule } from '../subjects/subjects.module.js';
import { ImportEntity } from './import.entity.js';
import { ImportsController } from './imports.controller.js';
import { ImportsRepository } from './imports.repository.js';
import { ImportsService } from './imports.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([ImportEntity]), SubjectsModule, GrowthModule],
  controllers: [ImportsController],
  providers: [ImportsService, ImportsRepository],
  exports: [ImportsService, ImportsRepository],
})
export class ImportsModule {}
