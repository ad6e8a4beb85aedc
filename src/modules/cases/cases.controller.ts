import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiErrors, ApiEventBody, ApiPage } from '../../common/http/openapi.js';
import { CASE, CAUSE, HISTORY_ENTRY } from '../../openapi/schemas.js';
import type { Response } from 'express';
import { parseIfMatch, requireIfMatch } from '../../common/http/if-match.js';
import { UuidParamDto } from '../../common/http/uuid-param.dto.js';
import { Audit, fromResponse } from '../audit/audit.decorator.js';
import type { Actor } from '../identity/actor.js';
import { CurrentActor, Roles, WideScope } from '../identity/auth.decorators.js';
import { ALL_ROLES } from '../identity/role.js';
import { CASE_ACTORS, CASE_OPENERS, CASE_READERS, EVENT_ROLES } from './case-permissions.js';
import { type CaseView, CasesService } from './cases.service.js';
import { CASE_EVENT_PAYLOADS, parseCaseCommand } from './dto/case-event.dto.js';
import { AssignCaseDto, ListCasesQueryDto, OpenCaseDto } from './dto/case.dto.js';

const withEtag = (res: Response, view: CaseView): CaseView => {
  res.setHeader('ETag', `"${view.version}"`);
  return view;
};

@ApiTags('cases')
@ApiBearerAuth()
@Controller('api/v1/cases')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Post()
  @Roles(...CASE_OPENERS)
  @Audit({ action: 'case.open', entityType: 'case', subjects: fromResponse.nestedSubject })
  @ApiOperation({ summary: 'Open a case for a subject (in identified); 409 names an open case the subject already has' })
  @ApiAnswer(201, CASE, 'the case, in identified; ETag = version')
  @ApiErrors(409)
  async open(@CurrentActor() actor: Actor, @Body() dto: OpenCaseDto, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.cases.open(actor, dto));
  }

  @Get()
  @Roles(...CASE_READERS)
  @Audit({ action: 'case.list', entityType: 'case', subjects: fromResponse.itemSubjects })
  @ApiOperation({ summary: 'The work queue: cases by step deadline, most urgent first' })
  @ApiPage(CASE)
  list(@CurrentActor() actor: Actor, @Query() query: ListCasesQueryDto) {
    return this.cases.list(actor, query);
  }

  @Get(':id')
  @Roles(...CASE_READERS)
  @Audit({ action: 'case.read', entityType: 'case', subjects: fromResponse.nestedSubject })
  @ApiOperation({ summary: 'A case: its step, deadline, what may happen next (for you), subject and assignee. ETag = version' })
  @ApiAnswer(200, CASE)
  async get(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.cases.get(actor, id));
  }

  @Get(':id/history')
  @Roles(...CASE_READERS)
  @Audit({ action: 'case.history', entityType: 'case' })
  @ApiOperation({ summary: 'Everything that happened to the case, in order (append-only)' })
  @ApiPage(HISTORY_ENTRY)
  history(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto) {
    return this.cases.history(actor, id);
  }

  @Post(':id/events')
  @HttpCode(200)
  @Roles(...CASE_ACTORS)
  @Audit({ action: 'case.transition', entityType: 'case', subjects: fromResponse.nestedSubject })
  @ApiOperation({
    summary: 'Move the case: {type, ...payload}. 428 without If-Match, 409 VERSION_CONFLICT / INVALID_TRANSITION, 422 GUARD_FAILED',
  })
  @ApiHeader({ name: 'If-Match', required: true, description: 'the version (ETag) you last read' })
  @ApiEventBody('CaseEvent', CASE_EVENT_PAYLOADS, EVENT_ROLES, { type: 'START_INTERVENTION', startedAt: '2026-11-20', description: 'PMT lokal 90 hari' })
  @ApiAnswer(200, CASE, 'the case after the event; ETag = its new version')
  @ApiErrors(409, 422, 428)
  async event(
    @CurrentActor() actor: Actor,
    @Param() { id }: UuidParamDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: Record<string, unknown>,
    @Res({ passthrough: true }) res: Response,
  ) {
    const version = requireIfMatch(ifMatch);
    return withEtag(res, await this.cases.apply(actor, id, version, parseCaseCommand(body)));
  }

  @Patch(':id/assignee')
  @Roles('admin', 'case_manager')
  @ApiOperation({ summary: 'Assign the case to a case manager of its regency' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'the version you last read; 409 if it has changed since' })
  @ApiAnswer(200, CASE)
  @ApiErrors(409)
  async assign(
    @CurrentActor() actor: Actor,
    @Param() { id }: UuidParamDto,
    @Body() dto: AssignCaseDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return withEtag(res, await this.cases.assign(actor, id, parseIfMatch(ifMatch), dto.userId));
  }
}

@ApiTags('cases')
@ApiBearerAuth()
@Controller('api/v1/catalogues')
export class CataloguesController {
  constructor(private readonly cases: CasesService) {}

  @Get('causes')
  @WideScope()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'The cause taxonomy an audit picks from' })
  @ApiPage(CAUSE)
  causes() {
    return this.cases.causes();
  }
}
