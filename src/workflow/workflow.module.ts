import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { StepDeadlinesRepository } from './step-deadlines.repository.js';
import { StepDeadlinesService } from './step-deadlines.service.js';
import { WorkflowRepository } from './workflow.repository.js';
import { WorkflowService } from './workflow.service.js';

/** The kernel every lifecycle runs on, and the step deadlines it keeps; global, as the database is. */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [WorkflowService, WorkflowRepository, StepDeadlinesService, StepDeadlinesRepository],
  exports: [WorkflowService, StepDeadlinesService],
})
export class WorkflowModule {}
