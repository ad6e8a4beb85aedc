import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { diskStorage } from 'multer';
import { tmpdir } from 'node:os';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { GrowthModule } from '../growth/growth.module.js';
import { SubjectsModule } from '../subjects/subjects.module.js';
import { ImportEntity } from './import.entity.js';
import { ImportsController } from './imports.controller.js';
import { ImportsRepository } from './imports.repository.js';
import { ImportsService } from './imports.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([ImportEntity]),
    // Uploads stream to a temp file; busboy stops a file at IMPORT_MAX_BYTES while it streams (413).
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ storage: diskStorage({ destination: tmpdir() }), limits: { fileSize: config.importMaxBytes, files: 1, fields: 10 } }),
    }),
    SubjectsModule,
    GrowthModule,
  ],
  controllers: [ImportsController],
  providers: [ImportsService, ImportsRepository],
  // The upload settings go with the service: the family import's upload streams under the same limit.
  exports: [ImportsService, MulterModule],
})
export class ImportsModule {}
