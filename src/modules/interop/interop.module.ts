import { Module } from '@nestjs/common';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { GrowthModule } from '../growth/growth.module.js';
import { SubjectsModule } from '../subjects/subjects.module.js';
import { FhirClient } from './fhir-client.js';
import { FhirExportDelivery } from './fhir-export.delivery.js';
import { FhirExportService } from './fhir-export.service.js';
import { FhirExportsRepository } from './fhir-exports.repository.js';
import { FhirController } from './fhir.controller.js';

/** FHIR R4 interoperability: the mapping (pure), its validation, the export outbox and its sender, the $everything pull. */
@Module({
  imports: [GrowthModule, SubjectsModule],
  controllers: [FhirController],
  providers: [
    { provide: PiiCipher, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new PiiCipher(c.nikEncryptionKey, c.nikHmacKey) },
    FhirExportService, FhirExportDelivery, FhirExportsRepository, FhirClient],
  exports: [FhirExportService, FhirExportDelivery],
})
export class InteropModule {}
