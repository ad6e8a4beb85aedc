import { Body, Controller, Get, Param, Post, Put, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiErrors } from '../../common/http/openapi.js';
import { ANSIT_COMPLETENESS, ANSIT_INDICATOR, ANSIT_INDICATORS, ANSIT_VILLAGE } from '../../openapi/schemas.js';
import type { Actor } from '../identity/actor.js';
import { CurrentActor, Roles, WideScope } from '../identity/auth.decorators.js';
import { AnsitRegencyQueryDto, AnsitVillageParamDto, AnsitYearParamDto, CreateIndicatorDto, IndicatorQueryDto, PutAnsitValuesDto } from './dto/ansit.dto.js';
import { AnsitService } from './ansit.service.js';

const READERS = ['admin', 'case_manager', 'auditor', 'viewer', 'opd_liaison'] as const;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

@ApiTags('ansit')
@ApiBearerAuth()
@Controller('api/v1/ansit')
export class AnsitController {
  constructor(private readonly ansit: AnsitService) {}

  @Get('indicators')
  @Roles(...READERS)
  @ApiOperation({ summary: "The Master Ansit indicator catalogue: the national indicators and a regency's own" })
  @ApiAnswer(200, ANSIT_INDICATORS)
  @ApiErrors(400, 404)
  indicators(@CurrentActor() actor: Actor, @Query() q: IndicatorQueryDto) {
    return this.ansit.indicators(actor, q.regencyCode);
  }

  @Post('indicators')
  @Roles('admin')
  @ApiOperation({ summary: "Adds an indicator: a regency admin their regency's own, the national admin a national one (status to_complete unless given)" })
  @ApiAnswer(201, ANSIT_INDICATOR)
  @ApiErrors(400, 403, 409)
  addIndicator(@CurrentActor() actor: Actor, @Body() dto: CreateIndicatorDto) {
    return this.ansit.addIndicator(actor, dto);
  }

  @Get(':year/completeness')
  @Roles(...READERS)
  @WideScope()
  @ApiOperation({ summary: "Filled cells over indicators × every village of the regency, per indicator (done when every village has it) and per kecamatan; counts only" })
  @ApiAnswer(200, ANSIT_COMPLETENESS)
  @ApiErrors(400, 404)
  completeness(@CurrentActor() actor: Actor, @Param() p: AnsitYearParamDto, @Query() q: AnsitRegencyQueryDto) {
    return this.ansit.completeness(actor, p.year, q.regencyCode);
  }

  @Get(':year/export.xlsx')
  @Roles(...READERS)
  @ApiOperation({ summary: 'The Master Ansit sheet of the year: one row per village (kecamatan, desa code and name), one column per indicator' })
  @ApiResponse({ status: 200, description: 'the workbook', content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors(400, 404)
  async export(@CurrentActor() actor: Actor, @Param() p: AnsitYearParamDto, @Query() q: AnsitRegencyQueryDto) {
    const file = await this.ansit.exportXlsx(actor, p.year, q.regencyCode);
    return new StreamableFile(file, { type: XLSX, disposition: `attachment; filename="master-ansit-${p.year}.xlsx"` });
  }

  @Get(':year/:villageCode')
  @Roles(...READERS)
  @ApiOperation({ summary: "Every indicator of the village's regency with its value, provenance (engine, manual, import), who and when, and the engine's figure" })
  @ApiAnswer(200, ANSIT_VILLAGE)
  @ApiErrors(400, 404)
  village(@CurrentActor() actor: Actor, @Param() p: AnsitVillageParamDto) {
    return this.ansit.village(actor, p.year, p.villageCode);
  }

  @Put(':year/:villageCode')
  @Roles('admin', 'case_manager', 'opd_liaison')
  @ApiOperation({ summary: "Enters a village's values: an OPD liaison their own OPD's indicators only (403 naming the indicator), a case manager or admin of the regency any; null clears" })
  @ApiAnswer(200, ANSIT_VILLAGE)
  @ApiErrors(400, 403, 404)
  put(@CurrentActor() actor: Actor, @Param() p: AnsitVillageParamDto, @Body() dto: PutAnsitValuesDto) {
    return this.ansit.put(actor, p.year, p.villageCode, dto);
  }
}
