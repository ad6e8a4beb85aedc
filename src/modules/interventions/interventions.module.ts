import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { CasesModule } from '../cases/cases.module.js';
import { EscalationModule } from '../escalation/escalation.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { SubjectsModule } from '../subjects/subjects.module.js';
import { CatalogueService } from './catalogue.service.js';
import { InterventionEntity, InterventionHistoryEntity } from './intervention.entity.js';
import { InterventionsController } from './interventions.controller.js';
import { InterventionsRepository } from './interventions.repository.js';
import { DeliveriesService } from './deliveries.service.js';
import { InterventionLifecycle } from './intervention.lifecycle.js';
import { OffersService } from './offers.service.js';
import { InterventionsService } from './interventions.service.js';
import { SponsorReportsService } from './sponsor-reports.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([InterventionEntity, InterventionHistoryEntity]),
    CasesModule,
    EscalationModule,
    IdentityModule,
    OrganisationsModule,
    SubjectsModule,
  ],
  controllers: [InterventionsController],
  providers: [
    InterventionsService,
    InterventionsRepository,
    InterventionLifecycle,
    DeliveriesService,
    OffersService,
    CatalogueService,
    SponsorReportsService,
    { provide: PiiCipher, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new PiiCipher(c.nikEncryptionKey, c.nikHmacKey) },
  ],
  exports: [InterventionsService],
})
export class InterventionsModule {}
