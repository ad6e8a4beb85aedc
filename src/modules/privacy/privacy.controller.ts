import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiAnswer } from '../../common/http/openapi.js';
import { RETENTION_RESULT, SUBJECT_EXPORT } from '../../openapi/schemas.js';
import { SubjectResponseDto } from '../subjects/dto/subject.dto.js';
import { UuidParamDto } from '../../common/http/uuid-param.dto.js';
import { Text } from '../../common/http/validators.js';
import { Audit } from '../audit/audit.decorator.js';
import type { Actor } from '../identity/actor.js';
import { CurrentActor, Roles } from '../identity/auth.decorators.js';
import { PrivacyService } from './privacy.service.js';
import { RetentionService } from './retention.service.js';

export class RestrictionDto {
  @ApiProperty({ example: 'Permintaan orang tua, surat 3/XI/2026' }) @Text(500) reason!: string;
}

@ApiTags('privacy')
@ApiBearerAuth()
@Controller('api/v1')
export class PrivacyController {
  constructor(
    private readonly privacy: PrivacyService,
    private readonly retention: RetentionService,
  ) {}

  @Get('subjects/:id/export')
  @Roles('dpo', 'admin')
  @Audit({ action: 'subject.export', entityType: 'subject', subjects: (c) => c.params.id, purposeRequired: () => true })
  @ApiOperation({ summary: 'Everything held about a person, as JSON (the right of access); X-Purpose required' })
  @ApiHeader({ name: 'X-Purpose', required: true, description: 'why: kept in the audit trail' })
  @ApiAnswer(200, SUBJECT_EXPORT)
  export(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto) {
    return this.privacy.export(actor, id);
  }

  @Post('subjects/:id/restriction')
  @HttpCode(200)
  @Roles('dpo', 'admin')
  @Audit({ action: 'subject.restrict', entityType: 'subject', subjects: (c) => c.params.id })
  @ApiOperation({ summary: 'Restrict processing: the subject vanishes from every view but a DPO\'s or an admin\'s, and imports leave it alone' })
  @ApiAnswer(200, SubjectResponseDto, 'the subject, restricted')
  restrict(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto, @Body() dto: RestrictionDto) {
    return this.privacy.restrict(actor, id, dto.reason);
  }

  @Delete('subjects/:id/restriction')
  @Roles('dpo', 'admin')
  @Audit({ action: 'subject.unrestrict', entityType: 'subject', subjects: (c) => c.params.id })
  @ApiOperation({ summary: 'Lift a restriction' })
  @ApiAnswer(200, SubjectResponseDto, 'the subject, no longer restricted')
  lift(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto) {
    return this.privacy.lift(actor, id);
  }

  @Post('retention/run')
  @HttpCode(200)
  @Roles('dpo')
  @ApiOperation({ summary: 'Run the retention job now (it also runs on its own, daily)' })
  @ApiAnswer(200, RETENTION_RESULT)
  run() {
    return this.retention.run();
  }
}
