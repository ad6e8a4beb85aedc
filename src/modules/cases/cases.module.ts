import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '../identity/identity.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { SubjectsModule } from '../subjects/subjects.module.js';
import { EscalationModule } from '../escalation/escalation.module.js';
import { CaseLifecycle } from './case.lifecycle.js';
import { CaseCauseEntity, CaseEntity, CaseHistoryEntity } from './case.entity.js';
import { CasesController, CataloguesController } from './cases.controller.js';
import { CasesRepository } from './cases.repository.js';
import { CasesService } from './cases.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([CaseEntity, CaseHistoryEntity, CaseCauseEntity]),
    EscalationModule,
    IdentityModule,
    OrganisationsModule,
    SubjectsModule,
  ],
  controllers: [CasesController, CataloguesController],
  providers: [CasesService, CasesRepository, CaseLifecycle],
  exports: [CasesService],
})
export class CasesModule {}
