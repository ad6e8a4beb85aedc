import { Body, Controller, Get, Headers, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { parseIfMatch } from '../../common/http/if-match.js';
import { ApiAnswer, ApiErrors, ApiPage } from '../../common/http/openapi.js';
import { DUE_VISITS, RECORDED_SCREENING, SCREENING, SCREENING_TABLE, SCREENING_TABLES, TPK_REPORT, TPK_TEAM, VISIT } from '../../openapi/schemas.js';
import { UuidParamDto } from '../../common/http/uuid-param.dto.js';
import { Audit, fromResponse, type AuditContext } from '../audit/audit.decorator.js';
import type { Actor } from '../identity/actor.js';
import { CurrentActor, Roles } from '../identity/auth.decorators.js';
import { CreateTpkTeamDto, ListTpkTeamsQueryDto, UpdateTpkTeamDto } from './dto/tpk-team.dto.js';
import { CreateScreeningDto, CreateVisitDto, DueVisitsQueryDto, ListVisitsQueryDto, ScreeningTableDto, TpkReportQueryDto } from './dto/visit.dto.js';
import { TpkTeamsService } from './tpk-teams.service.js';
import { VisitsService } from './visits.service.js';

class RegencyParamDto {
  @ApiProperty({ example: '3216', description: 'Kemendagri regency code, 4 digits' })
  @Matches(/^[0-9]{4}$/, { message: 'regencyCode must be a 4-digit regency code' })
  regencyCode!: string;
}

const TEAM_READERS = ['admin', 'case_manager', 'auditor', 'viewer', 'tpk'] as const;
const TEAM_WRITERS = ['admin', 'case_manager'] as const;
/** Visits are recorded by the TPK member who made them. */
const VISIT_READERS = ['admin', 'case_manager', 'auditor', 'tpk'] as const;
const REPORT_READERS = ['admin', 'case_manager', 'auditor', 'viewer', 'tpk'] as const;
const SCREENERS = ['admin', 'case_manager', 'tpk'] as const;

const dueSubjects = (c: AuditContext) => ((c.response as { items?: { subject: { id: string } }[] } | null)?.items ?? []).map((i) => i.subject.id);

@ApiTags('tpk')
@ApiBearerAuth()
@Controller('api/v1')
export class VisitsController {
  constructor(
    private readonly teams: TpkTeamsService,
    private readonly visits: VisitsService,
  ) {}

  @Post('tpk-teams')
  @Roles(...TEAM_WRITERS)
  @ApiOperation({ summary: 'A TPK team for a village: tpk users as bidan, kader_pkk or kader_kb, each bound to the villages they cover' })
  @ApiAnswer(201, TPK_TEAM)
  createTeam(@CurrentActor() actor: Actor, @Body() dto: CreateTpkTeamDto) {
    return this.teams.create(actor, dto);
  }

  @Get('tpk-teams')
  @Roles(...TEAM_READERS)
  @ApiOperation({ summary: "The regency's TPK teams (a TPK member: their own)" })
  @ApiPage(TPK_TEAM)
  listTeams(@CurrentActor() actor: Actor, @Query() q: ListTpkTeamsQueryDto) {
    return this.teams.list(actor, q);
  }

  @Get('tpk-teams/:id')
  @Roles(...TEAM_READERS)
  @ApiOperation({ summary: 'One TPK team: its village, coordinator and members' })
  @ApiAnswer(200, TPK_TEAM)
  getTeam(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto) {
    return this.teams.get(actor, id);
  }

  @Patch('tpk-teams/:id')
  @Roles(...TEAM_WRITERS)
  @ApiHeader({ name: 'If-Match', required: false, description: 'the version you last read; 409 if it has changed since' })
  @ApiOperation({ summary: 'Rename, change the coordinator, or replace the members (their access follows at once)' })
  @ApiAnswer(200, TPK_TEAM, 'the team after the change')
  @ApiErrors(409)
  updateTeam(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto, @Body() dto: UpdateTpkTeamDto, @Headers('if-match') ifMatch?: string) {
    return this.teams.update(actor, id, dto, parseIfMatch(ifMatch));
  }

  @Post('visits')
  @Roles('tpk')
  @Audit({ action: 'visit.record', entityType: 'visit', subjects: fromResponse.subjectId, regency: fromResponse.regency })
  @ApiOperation({ summary: 'A TPK visit with a client-made UUID: sent twice, stored once (same id and body: the first answer; another body: 422)' })
  @ApiAnswer(201, VISIT, 'the visit; sent again with the same id and body, this same answer')
  @ApiErrors(422)
  record(@CurrentActor() actor: Actor, @Body() dto: CreateVisitDto) {
    return this.visits.record(actor, dto);
  }

  @Get('visits')
  @Roles(...VISIT_READERS)
  @Audit({ action: 'visit.search', entityType: 'visit', subjects: fromResponse.itemSubjects })
  @ApiOperation({ summary: "Visits in the caller's area by village, subject, family and day range (newest first)" })
  @ApiPage(VISIT)
  list(@CurrentActor() actor: Actor, @Query() q: ListVisitsQueryDto) {
    return this.visits.list(actor, q);
  }

  @Get('visits/due')
  @Roles(...VISIT_READERS)
  @Audit({ action: 'visit.due', entityType: 'visit', subjects: dueSubjects })
  @ApiOperation({ summary: "The visits due (and overdue) by `until` in the caller's villages, most urgent first: the TPK member's day" })
  @ApiAnswer(200, DUE_VISITS)
  due(@CurrentActor() actor: Actor, @Query() q: DueVisitsQueryDto) {
    return this.visits.due(actor, q);
  }

  @Post('subjects/:id/screenings')
  @Roles(...SCREENERS)
  @Audit({ action: 'screening.record', entityType: 'subject', subjects: (c) => c.params.id })
  @ApiOperation({ summary: "A bride-to-be screening (Elsimil-style): IDEAL or BERISIKO with reasons, by the regency's threshold table version" })
  @ApiAnswer(201, RECORDED_SCREENING, 'the screening, scored, and the accompaniment it opened or updated')
  screen(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto, @Body() dto: CreateScreeningDto) {
    return this.visits.screen(actor, id, dto);
  }

  @Get('subjects/:id/screenings')
  @Roles('admin', 'case_manager', 'auditor', 'tpk')
  @ApiOperation({ summary: "A bride-to-be's screenings, newest first, with their results and reasons" })
  @ApiPage(SCREENING, 'every screening, one page')
  @Audit({ action: 'screening.read', entityType: 'subject', subjects: (c) => c.params.id })
  screenings(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto) {
    return this.visits.screenings(actor, id);
  }

  @Get('screening-tables/:regencyCode')
  @Roles('admin', 'case_manager', 'auditor', 'viewer')
  @ApiOperation({ summary: "A regency's screening threshold versions and the one in force" })
  @ApiAnswer(200, SCREENING_TABLES)
  tables(@CurrentActor() actor: Actor, @Param() { regencyCode }: RegencyParamDto) {
    return this.visits.screeningTables(actor, regencyCode);
  }

  @Post('screening-tables/:regencyCode')
  @Roles('admin')
  @ApiOperation({ summary: 'Adds the next screening threshold version; earlier screenings keep the version that scored them' })
  @ApiAnswer(201, SCREENING_TABLE, 'the new version, now in force')
  @ApiErrors(409)
  addTable(@CurrentActor() actor: Actor, @Param() { regencyCode }: RegencyParamDto, @Body() dto: ScreeningTableDto) {
    return this.visits.addScreeningTable(actor, regencyCode, dto);
  }

  @Get('reports/tpk')
  @Roles(...REPORT_READERS)
  @ApiOperation({ summary: 'The monthly TPK report of a village or the regency; frozen from the policy day of the next month' })
  @ApiAnswer(200, TPK_REPORT)
  @ApiErrors(404)
  report(@CurrentActor() actor: Actor, @Query() q: TpkReportQueryDto) {
    return this.visits.report(actor, q);
  }
}
