import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiErrors } from '../../common/http/openapi.js';
import { EARLY_WARNING, SKDN } from '../../openapi/schemas.js';
import type { Actor } from '../identity/actor.js';
import { CurrentActor, Roles, WideScope } from '../identity/auth.decorators.js';
import { EarlyWarningQueryDto, SkdnQueryDto } from './dto/early-warning.dto.js';
import { EarlyWarningService } from './early-warning.service.js';

const REPORT_READERS = ['admin', 'case_manager', 'auditor', 'viewer', 'tpk'] as const;

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/reports')
export class EarlyWarningController {
  constructor(private readonly earlyWarning: EarlyWarningService) {}

  @Get('early-warning')
  @Roles(...REPORT_READERS)
  @ApiOperation({
    summary: 'Flagged (2T, BGM, above orange, faltering) and lost children by village, newest flag first, with counts per flag; a TPK member sees their villages, a viewer initials only',
  })
  @ApiAnswer(200, EARLY_WARNING)
  @ApiErrors(404)
  list(@CurrentActor() actor: Actor, @Query() q: EarlyWarningQueryDto) {
    return this.earlyWarning.earlyWarning(actor, q);
  }

  @Get('skdn')
  @WideScope()
  @Roles(...REPORT_READERS)
  @ApiOperation({ summary: "A month's SKDN per village (S children under five, K with a KMS, D weighed, N gained) with T, 2T, O, B, BGM and lost" })
  @ApiAnswer(200, SKDN)
  @ApiErrors(404)
  skdn(@CurrentActor() actor: Actor, @Query() q: SkdnQueryDto) {
    return this.earlyWarning.skdn(actor, q);
  }
}
