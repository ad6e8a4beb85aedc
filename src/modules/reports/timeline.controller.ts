import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer } from '../../common/http/openapi.js';
import { UuidParamDto } from '../../common/http/uuid-param.dto.js';
import { TIMELINE } from '../../openapi/schemas.js';
import { Audit } from '../audit/audit.decorator.js';
import type { Actor } from '../identity/actor.js';
import { CurrentActor, Roles } from '../identity/auth.decorators.js';
import { TimelineService } from './timeline.service.js';

/** Who may read a child's timeline; each sees it as TimelineService says. */
export const TIMELINE_READERS = ['admin', 'case_manager', 'auditor', 'viewer', 'opd_liaison', 'csr_partner', 'tpk'] as const;

@ApiTags('subjects')
@ApiBearerAuth()
@Controller('api/v1/subjects')
export class TimelineController {
  constructor(private readonly timeline: TimelineService) {}

  @Get(':id/timeline')
  @Roles(...TIMELINE_READERS)
  @Audit({ action: 'subject.timeline', entityType: 'subject', subjects: (c) => c.params.id, purposeRequired: (c) => c.role === 'opd_liaison' })
  @ApiOperation({
    summary:
      "A child's timeline across agencies (satu data): readings, cases and their steps, every OPD's tasks, CSR offers and deliveries, TPK visits, in date order, each with its agency. " +
      'An OPD liaison reads it only for a child with a task of their OPD, with X-Purpose; a CSR partner only as the beneficiary of its own sponsor, with its deliveries; a TPK member for children of their villages',
  })
  @ApiHeader({ name: 'X-Purpose', required: false, description: 'why you read it: required of an OPD liaison, kept in the audit trail' })
  @ApiAnswer(200, TIMELINE)
  get(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto) {
    return this.timeline.of(actor, id);
  }
}
