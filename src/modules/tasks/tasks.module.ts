import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CasesModule } from '../cases/cases.module.js';
import { EscalationModule } from '../escalation/escalation.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { SubjectsModule } from '../subjects/subjects.module.js';
import { TaskEntity, TaskHistoryEntity } from './task.entity.js';
import { TasksController } from './tasks.controller.js';
import { TasksRepository } from './tasks.repository.js';
import { TaskLifecycle } from './task.lifecycle.js';
import { TasksService } from './tasks.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([TaskEntity, TaskHistoryEntity]), CasesModule, EscalationModule, IdentityModule, OrganisationsModule, SubjectsModule],
  controllers: [TasksController],
  providers: [TasksService, TasksRepository, TaskLifecycle],
  exports: [TasksService],
})
export class TasksModule {}
