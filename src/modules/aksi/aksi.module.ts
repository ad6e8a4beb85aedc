import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { diskStorage } from 'multer';
import { tmpdir } from 'node:os';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { EscalationModule } from '../escalation/escalation.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { AksiDocumentLifecycle } from './aksi-document.lifecycle.js';
import { AksiCyclesRepository } from './aksi-cycles.repository.js';
import { AksiCyclesService } from './aksi-cycles.service.js';
import { AksiDocumentsRepository } from './aksi-documents.repository.js';
import { AksiDocumentsService } from './aksi-documents.service.js';
import { AksiController } from './aksi.controller.js';
import { AksiReadinessService } from './aksi-readiness.service.js';
import { AksiScoresRepository } from './aksi-scores.repository.js';
import { AnsitModule } from '../ansit/ansit.module.js';
import { DirectoryEvidenceFiles, EvidenceFiles } from './evidence-files.js';
import { S3EvidenceFiles } from './s3-evidence-files.js';

@Module({
  imports: [
    // An evidence file streams to a temp file and stops at AKSI_MAX_FILE_BYTES (413); then it is hashed and moved into the store.
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ storage: diskStorage({ destination: tmpdir() }), limits: { fileSize: config.aksiMaxFileBytes, files: 1, fields: 5 } }),
    }),
    AnsitModule,
    EscalationModule,
    IdentityModule,
    OrganisationsModule,
  ],
  controllers: [AksiController],
  providers: [
    AksiDocumentLifecycle,
    AksiCyclesRepository,
    AksiCyclesService,
    AksiDocumentsRepository,
    AksiDocumentsService,
    AksiReadinessService,
    AksiScoresRepository,
    // Evidence bodies go to AKSI_FILES_URL's bucket when it is set, else to AKSI_FILES_DIR: chosen once, at start.
    {
      provide: EvidenceFiles,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): EvidenceFiles =>
        config.aksiFilesStore ? new S3EvidenceFiles(config.aksiFilesStore) : new DirectoryEvidenceFiles(config.aksiFilesDir),
    },
  ],
})
export class AksiModule {}
