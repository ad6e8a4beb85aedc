import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiErrors } from '../../../common/http/openapi.js';
import { KMS_STANDARD, KMS_STANDARDS } from '../../../openapi/schemas.js';
import { RegencyParamDto } from '../../escalation/dto/regency-param.dto.js';
import type { Actor } from '../../identity/actor.js';
import { CurrentActor, Roles } from '../../identity/auth.decorators.js';
import { KmsStandardDto } from '../dto/kms-standard.dto.js';
import { KmsStandardsService } from './kms-standards.service.js';

@ApiTags('growth')
@ApiBearerAuth()
@Controller('api/v1/kms-standards')
export class KmsStandardsController {
  constructor(private readonly standards: KmsStandardsService) {}

  @Get(':regencyCode')
  @Roles('admin', 'case_manager', 'auditor', 'viewer')
  @ApiOperation({ summary: "A regency's KMS standard (KBM table, red and orange lines, early-warning thresholds): the version in force and every version" })
  @ApiAnswer(200, KMS_STANDARDS)
  read(@CurrentActor() actor: Actor, @Param() { regencyCode }: RegencyParamDto) {
    return this.standards.read(actor, regencyCode);
  }

  @Put(':regencyCode')
  @Roles('admin')
  @ApiOperation({ summary: "Puts a regency's next KMS standard version in force; stored weighings keep the version that scored them" })
  @ApiAnswer(200, KMS_STANDARD, 'the new version, now in force')
  @ApiErrors(409)
  put(@CurrentActor() actor: Actor, @Param() { regencyCode }: RegencyParamDto, @Body() dto: KmsStandardDto) {
    return this.standards.put(actor, regencyCode, dto);
  }
}
