import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiErrors } from '../../common/http/openapi.js';
import {
  HOTSPOTS,
  PREVALENCE_REPORT,
  PREVALENCE_TARGET_ONE,
  PREVALENCE_TARGETS,
  SURVEY_FIGURE,
  SURVEY_FIGURES,
  TARGET_POPULATION,
  TARGET_POPULATIONS,
} from '../../openapi/schemas.js';
import type { Actor } from '../identity/actor.js';
import { CurrentActor, Roles, WideScope } from '../identity/auth.decorators.js';
import {
  HotspotsQueryDto,
  PrevalenceQueryDto,
  PrevalenceTargetDto,
  RegionParamDto,
  RegionYearParamDto,
  SurveyFigureDto,
  SurveyFiguresQueryDto,
  TargetPopulationDto,
  YearQueryDto,
} from './dto/prevalence.dto.js';
import { PrevalenceService } from './prevalence.service.js';

const READERS = ['admin', 'case_manager', 'auditor', 'viewer'] as const;

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/reports')
export class PrevalenceReportsController {
  constructor(private readonly prevalence: PrevalenceService) {}

  @Get('prevalence')
  @Roles(...READERS)
  @WideScope()
  @ApiOperation({
    summary:
      'Register prevalence per region and month (children 0-59 months measured, stunted, severe, excluded, rate suppressed below the minimum, coverage), frozen bulan timbang figures with their revisions, targets and survey figures as separate series',
  })
  @ApiAnswer(200, PREVALENCE_REPORT)
  @ApiErrors(404)
  report(@CurrentActor() actor: Actor, @Query() q: PrevalenceQueryDto) {
    return this.prevalence.report(actor, q);
  }

  @Get('hotspots')
  @Roles(...READERS)
  @WideScope()
  @ApiOperation({ summary: 'Kecamatan or villages ranked by stunted children and rate, with the change against the previous bulan timbang month (or the month before)' })
  @ApiAnswer(200, HOTSPOTS)
  @ApiErrors(404)
  hotspots(@CurrentActor() actor: Actor, @Query() q: HotspotsQueryDto) {
    return this.prevalence.hotspots(actor, q);
  }
}

@ApiTags('prevalence')
@ApiBearerAuth()
@Controller('api/v1')
export class PrevalenceSettingsController {
  constructor(private readonly prevalence: PrevalenceService) {}

  @Put('prevalence-targets/:code/:year')
  @Roles('admin')
  @WideScope()
  @ApiOperation({ summary: "A region's prevalence target for a year, with the plan that sets it (ID for the nation)" })
  @ApiAnswer(200, PREVALENCE_TARGET_ONE, 'the target now in force')
  @ApiErrors(404)
  putTarget(@CurrentActor() actor: Actor, @Param() p: RegionYearParamDto, @Body() dto: PrevalenceTargetDto) {
    return this.prevalence.putTarget(actor, p.code, p.year, dto);
  }

  @Get('prevalence-targets/:code')
  @Roles(...READERS)
  @WideScope()
  @ApiOperation({ summary: "A region's prevalence targets by year" })
  @ApiAnswer(200, PREVALENCE_TARGETS)
  @ApiErrors(404)
  targets(@CurrentActor() actor: Actor, @Param() p: RegionParamDto, @Query() q: YearQueryDto) {
    return this.prevalence.targets(actor, p.code, q.year);
  }

  @Put('target-populations/:code/:year')
  @Roles('admin')
  @WideScope()
  @ApiOperation({ summary: "A region's target population (sasaran balita, children 0-59 months) for a year: the denominator of coverage" })
  @ApiAnswer(200, TARGET_POPULATION, 'the figure now in force')
  @ApiErrors(404)
  putTargetPopulation(@CurrentActor() actor: Actor, @Param() p: RegionYearParamDto, @Body() dto: TargetPopulationDto) {
    return this.prevalence.putTargetPopulation(actor, p.code, p.year, dto.children0to59);
  }

  @Get('target-populations/:code')
  @Roles(...READERS)
  @WideScope()
  @ApiOperation({ summary: "A region's target populations by year" })
  @ApiAnswer(200, TARGET_POPULATIONS)
  @ApiErrors(404)
  targetPopulations(@CurrentActor() actor: Actor, @Param() p: RegionParamDto, @Query() q: YearQueryDto) {
    return this.prevalence.targetPopulations(actor, p.code, q.year);
  }

  @Post('survey-figures')
  @HttpCode(201)
  @Roles('admin')
  @WideScope()
  @ApiOperation({ summary: 'A survey prevalence (SSGI, SKI, Riskesdas) of the nation, a province or a regency: a separate series, never mixed with the register' })
  @ApiAnswer(201, SURVEY_FIGURE)
  @ApiErrors(404, 409)
  addSurveyFigure(@CurrentActor() actor: Actor, @Body() dto: SurveyFigureDto) {
    return this.prevalence.addSurveyFigure(actor, dto);
  }

  @Get('survey-figures')
  @Roles(...READERS)
  @WideScope()
  @ApiOperation({ summary: 'Survey figures of your scope, and of the province and nation that contain it' })
  @ApiAnswer(200, SURVEY_FIGURES)
  @ApiErrors(404)
  surveyFigures(@CurrentActor() actor: Actor, @Query() q: SurveyFiguresQueryDto) {
    return this.prevalence.surveyFigures(actor, q);
  }
}
