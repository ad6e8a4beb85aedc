import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiErrors } from '../../common/http/openapi.js';
import { UuidParamDto } from '../../common/http/uuid-param.dto.js';
import { CONVERGENCE_PACKAGE, CONVERGENCE_PACKAGES, CONVERGENCE_REPORT, CONVERGENCE_SCORECARD } from '../../openapi/schemas.js';
import { Audit } from '../audit/audit.decorator.js';
import { RegencyParamDto } from '../escalation/dto/regency-param.dto.js';
import type { Actor } from '../identity/actor.js';
import { CurrentActor, Roles, WideScope } from '../identity/auth.decorators.js';
import { ConvergenceService } from './convergence.service.js';
import { ConvergencePackageDto, ConvergenceReportQueryDto } from './dto/convergence.dto.js';

/** Who may read a subject's scorecard; an OPD liaison only for a child with a task of their OPD. CSR partners are refused (403). */
export const SCORECARD_READERS = ['admin', 'case_manager', 'auditor', 'viewer', 'opd_liaison', 'tpk'] as const;
/** Who may read the aggregate report: counts only, within their aggregate scope. */
export const CONVERGENCE_REPORT_READERS = ['admin', 'case_manager', 'auditor', 'viewer', 'opd_liaison'] as const;

@ApiTags('convergence')
@ApiBearerAuth()
@Controller('api/v1')
export class ConvergenceController {
  constructor(private readonly convergence: ConvergenceService) {}

  @Get('convergence-packages/:regencyCode')
  @Roles('admin', 'case_manager', 'auditor', 'viewer')
  @WideScope()
  @ApiOperation({ summary: "A regency's convergence package (essential services per target group and the evidence that meets each): the version in force and every version" })
  @ApiAnswer(200, CONVERGENCE_PACKAGES)
  @ApiErrors(404)
  readPackage(@CurrentActor() actor: Actor, @Param() { regencyCode }: RegencyParamDto) {
    return this.convergence.readPackage(actor, regencyCode);
  }

  @Put('convergence-packages/:regencyCode')
  @Roles('admin')
  @ApiOperation({ summary: "Puts a regency's next convergence package version in force (every target group it covers); scorecards and reports read it from then on" })
  @ApiAnswer(200, CONVERGENCE_PACKAGE, 'the new version, now in force')
  @ApiErrors(404, 409)
  putPackage(@CurrentActor() actor: Actor, @Param() { regencyCode }: RegencyParamDto, @Body() dto: ConvergencePackageDto) {
    return this.convergence.putPackage(actor, regencyCode, dto);
  }

  @Get('subjects/:id/convergence')
  @Roles(...SCORECARD_READERS)
  @Audit({ action: 'subject.convergence', entityType: 'subject', subjects: (c) => c.params.id, purposeRequired: (c) => c.role === 'opd_liaison' })
  @ApiOperation({
    summary:
      "A subject's convergence scorecard today: each item of its group's package met, missing, overdue or not applicable, with the evidence (id, kind, day, agency). " +
      'An OPD liaison reads it only for a child with a task of their OPD, with X-Purpose; a TPK member for subjects of their villages',
  })
  @ApiHeader({ name: 'X-Purpose', required: false, description: 'why you read it: required of an OPD liaison, kept in the audit trail' })
  @ApiAnswer(200, CONVERGENCE_SCORECARD)
  @ApiErrors(404)
  scorecard(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto) {
    return this.convergence.ofSubject(actor, id);
  }

  @Get('reports/convergence')
  @Roles(...CONVERGENCE_REPORT_READERS)
  @WideScope()
  @ApiOperation({
    summary: 'Convergence per village or kecamatan and target group at the end of a month: targets, the share receiving the full package, and per item the share met. Counts only',
  })
  @ApiAnswer(200, CONVERGENCE_REPORT)
  @ApiErrors(404)
  report(@CurrentActor() actor: Actor, @Query() q: ConvergenceReportQueryDto) {
    return this.convergence.report(actor, q);
  }
}
