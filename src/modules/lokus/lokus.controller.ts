import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiErrors } from '../../common/http/openapi.js';
import { LOKUS, LOKUS_WATCH } from '../../openapi/schemas.js';
import type { Actor } from '../identity/actor.js';
import { CurrentActor, Roles, WideScope } from '../identity/auth.decorators.js';
import { LokusQueryDto, LokusWatchQueryDto, SetLokusDto } from './dto/lokus.dto.js';
import { LokusService } from './lokus.service.js';

/** The readers of the early-warning reports; a TPK member sees their own villages only. */
const REPORT_READERS = ['admin', 'case_manager', 'auditor', 'viewer', 'tpk'] as const;

@ApiTags('lokus')
@ApiBearerAuth()
@Controller('api/v1/lokus')
export class LokusController {
  constructor(private readonly lokus: LokusService) {}

  @Post()
  @Roles('admin', 'case_manager')
  @ApiOperation({
    summary: "Sets a regency's lokus villages of a year by decree (SK Bupati/Wali Kota); a later decree for the same year replaces the set, which stays in `replaced`",
  })
  @ApiAnswer(201, LOKUS)
  @ApiErrors(400, 403)
  set(@CurrentActor() actor: Actor, @Body() dto: SetLokusDto) {
    return this.lokus.set(actor, dto);
  }

  @Get()
  @Roles(...REPORT_READERS)
  @WideScope()
  @ApiOperation({ summary: "A regency's lokus villages of a year with village and kecamatan names, and the decrees they replaced" })
  @ApiAnswer(200, LOKUS)
  @ApiErrors(400, 404)
  list(@CurrentActor() actor: Actor, @Query() q: LokusQueryDto) {
    return this.lokus.list(actor, q);
  }
}

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/reports')
export class LokusWatchController {
  constructor(private readonly lokus: LokusService) {}

  @Get('lokus-watch')
  @Roles(...REPORT_READERS)
  @WideScope()
  @ApiOperation({
    summary:
      'The daily lokus watch: per lokus village of the year, open cases by step, steps overdue and due today, pregnant women due within 30 days, brides-to-be screened at risk, TPK visits due this week; counts only',
  })
  @ApiAnswer(200, LOKUS_WATCH)
  @ApiErrors(400, 404)
  watch(@CurrentActor() actor: Actor, @Query() q: LokusWatchQueryDto) {
    return this.lokus.watch(actor, q);
  }
}
