import { Body, Controller, Get, Header, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { ApiAnswer, ApiPage } from '../../common/http/openapi.js';
import { UuidParamDto } from '../../common/http/uuid-param.dto.js';
import { FHIR_BUNDLE, FHIR_EXPORT, FHIR_SETTINGS } from '../../openapi/schemas.js';
import { Audit } from '../audit/audit.decorator.js';
import { RegencyParamDto } from '../escalation/dto/regency-param.dto.js';
import type { Actor } from '../identity/actor.js';
import { CurrentActor, Roles } from '../identity/auth.decorators.js';
import { FhirExportsQueryDto, FhirSettingsDto } from './dto/fhir.dto.js';
import { FhirExportService } from './fhir-export.service.js';

class SubjectParamDto {
  @ApiProperty({ format: 'uuid', description: "the subject's id" })
  @IsUUID('all', { message: 'subjectId must be a UUID' })
  subjectId!: string;
}

@ApiTags('interop')
@ApiBearerAuth()
@Controller('api/v1')
export class FhirController {
  constructor(private readonly fhir: FhirExportService) {}

  @Get('fhir-settings/:regencyCode')
  @Roles('admin')
  @ApiOperation({ summary: "A regency's FHIR export settings (the client secret is never answered)" })
  @ApiAnswer(200, FHIR_SETTINGS, 'the settings, without the client secret')
  settings(@CurrentActor() actor: Actor, @Param() { regencyCode }: RegencyParamDto) {
    return this.fhir.getSettings(actor, regencyCode);
  }

  @Put('fhir-settings/:regencyCode')
  @Roles('admin')
  @ApiOperation({ summary: 'Switch the FHIR export of a regency on or off: receiver, OAuth2 client credentials, Organization id' })
  @ApiAnswer(200, FHIR_SETTINGS, 'the settings now in force, without the client secret')
  putSettings(@CurrentActor() actor: Actor, @Param() { regencyCode }: RegencyParamDto, @Body() dto: FhirSettingsDto) {
    return this.fhir.putSettings(actor, regencyCode, dto);
  }

  @Get('fhir-exports')
  @Roles('admin', 'auditor')
  @ApiOperation({ summary: 'Export status per reading, newest first: pending, sent, invalid (never sent, with the reasons) or dead' })
  @ApiPage(FHIR_EXPORT)
  list(@CurrentActor() actor: Actor, @Query() q: FhirExportsQueryDto) {
    return this.fhir.list(actor, q);
  }

  @Post('fhir-exports/:id/retry')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Queue a dead-lettered or invalid export again, with a fresh set of attempts' })
  @ApiAnswer(200, FHIR_EXPORT, 'the export, pending again; 400 when it is neither dead nor invalid')
  retry(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto) {
    return this.fhir.retry(actor, id);
  }

  @Get('fhir/Patient/:subjectId/$everything')
  @Roles('admin', 'case_manager', 'auditor', 'dpo')
  @Header('Content-Type', 'application/fhir+json; charset=utf-8')
  @Audit({ action: 'subject.fhir_everything', entityType: 'subject', subjects: (c) => c.params.subjectId, purposeRequired: () => true })
  @ApiOperation({ summary: "A child's growth as a FHIR R4 collection Bundle (Patient, Encounters, Observations), identifiers in clear: give X-Purpose" })
  @ApiHeader({ name: 'X-Purpose', required: true, description: 'why: kept in the audit trail' })
  @ApiResponse({ status: 200, description: 'the Bundle', content: { 'application/fhir+json': { schema: FHIR_BUNDLE } } })
  everything(@CurrentActor() actor: Actor, @Param() { subjectId }: SubjectParamDto) {
    return this.fhir.everything(actor, subjectId);
  }
}
