import { Module } from '@nestjs/common';
import { ImportMatching } from './import-matching.service.js';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { ConsentsRepository } from './consents.repository.js';
import { ConsentsService } from './consents.service.js';
import { SubjectEntity } from './subject.entity.js';
import { SubjectsController } from './subjects.controller.js';
import { SubjectsRepository } from './subjects.repository.js';
import { SubjectProjection } from './subject-projection.js';
import { SubjectsService } from './subjects.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([SubjectEntity]), OrganisationsModule],
  controllers: [SubjectsController],
  providers: [
    ImportMatching,
    SubjectsService,
    SubjectsRepository,
    ConsentsService,
    ConsentsRepository,
    SubjectProjection,
    { provide: PiiCipher, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new PiiCipher(c.nikEncryptionKey, c.nikHmacKey) },
  ],
  exports: [SubjectsService, ImportMatching, ConsentsService, SubjectProjection],
})
export class SubjectsModule {}
