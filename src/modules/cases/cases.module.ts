import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '../identity/identity.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { SubjectsModule } from '../subjects/subjects.module.js';
import { CaseCauseEntity, CaseEntity, CaseHistoryEntity, SlaPolicyEntity } from './case.entity.js';
import { CasesController, CataloguesController, SlaPoliciesController } from './cases.controller.js';
import { CasesRepository } from './cases.repository.js';
import { CasesService } from './cases.service.js';
import { SlaPoliciesService } from './sla-policies.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([CaseEntity, CaseHistoryEntity, CaseCauseEntity, SlaPolicyEntity]),
    IdentityModule,
    OrganisationsModule,
    SubjectsModule,
  ],
  controllers: [CasesController, SlaPoliciesController, CataloguesController],
  providers: [CasesService, CasesRepository, SlaPoliciesService],
  exports: [CasesService],
})
export class CasesModule {}
