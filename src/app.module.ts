import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthController } from './health/health.controller.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { CasesModule } from './modules/cases/cases.module.js';
import { EscalationModule } from './modules/escalation/escalation.module.js';
import { GrowthModule } from './modules/growth/growth.module.js';
import { ImportsModule } from './modules/imports/imports.module.js';
import { IdentityModule } from './modules/identity/identity.module.js';
import { InteropModule } from './modules/interop/interop.module.js';
import { InterventionsModule } from './modules/interventions/interventions.module.js';
import { OrganisationsModule } from './modules/organisations/organisations.module.js';
import { PrivacyModule } from './modules/privacy/privacy.module.js';
import { RegionsModule } from './modules/regions/regions.module.js';
import { SubjectsModule } from './modules/subjects/subjects.module.js';
import { TasksModule } from './modules/tasks/tasks.module.js';
import { UsersModule } from './modules/users/users.module.js';
import { FamiliesModule } from './modules/families/families.module.js';
import { VisitsModule } from './modules/visits/visits.module.js';
import { WorkflowModule } from './workflow/workflow.module.js';
import { EarlyWarningModule } from './modules/early-warning/early-warning.module.js';
import { ReportsModule } from './modules/reports/reports.module.js';
import { LokusModule } from './modules/lokus/lokus.module.js';
import { ConvergenceModule } from './modules/convergence/convergence.module.js';
import { PrevalenceModule } from './modules/prevalence/prevalence.module.js';
import { AnsitModule } from './modules/ansit/ansit.module.js';
import { AksiModule } from './modules/aksi/aksi.module.js';

@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    ScheduleModule.forRoot(),
    WorkflowModule,
    AuditModule,
    RegionsModule,
    IdentityModule,
    OrganisationsModule,
    UsersModule,
    SubjectsModule,
    EscalationModule,
    CasesModule,
    TasksModule,
    InterventionsModule,
    PrivacyModule,
    GrowthModule,
    ImportsModule,
    FamiliesModule,
    VisitsModule,
    EarlyWarningModule,
    InteropModule,
    ReportsModule,
    LokusModule,
    ConvergenceModule,
    PrevalenceModule,
    AnsitModule,
    AksiModule,
  ],
  controllers: [HealthController],
})
export class AppModule {}
