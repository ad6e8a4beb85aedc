import { Module } from '@nestjs/common';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { ImportsModule } from '../imports/imports.module.js';
import { SubjectsModule } from '../subjects/subjects.module.js';
import { FamiliesController } from './families.controller.js';
import { FamiliesRepository } from './families.repository.js';
import { FamiliesService } from './families.service.js';
import { FamilyImportController } from './family-import.controller.js';
import { FamilyImportService } from './family-import.service.js';

@Module({
  imports: [SubjectsModule, ImportsModule],
  controllers: [FamiliesController, FamilyImportController],
  providers: [
    FamiliesService,
    FamiliesRepository,
    FamilyImportService,
    { provide: PiiCipher, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new PiiCipher(c.nikEncryptionKey, c.nikHmacKey) },
  ],
  exports: [FamiliesService, FamilyImportService],
})
export class FamiliesModule {}
