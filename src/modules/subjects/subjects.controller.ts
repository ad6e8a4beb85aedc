import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiErrors, ApiPage } from '../../common/http/openapi.js';
import { CONSENT } from '../../openapi/schemas.js';
import { parseIfMatch } from '../../common/http/if-match.js';
import { UuidParamDto } from '../../common/http/uuid-param.dto.js';
import { Audit, fromResponse } from '../audit/audit.decorator.js';
import type { Actor } from '../identity/actor.js';
import { CurrentActor, Roles } from '../identity/auth.decorators.js';
import { CreateSubjectDto, ListSubjectsQueryDto, SubjectResponseDto, UpdateSubjectDto } from './dto/subject.dto.js';
import { ConsentsService } from './consents.service.js';
import { ConsentParamDto, CreateConsentDto } from './dto/consent.dto.js';
import { SubjectsService } from './subjects.service.js';

const READERS = ['admin', 'case_manager', 'auditor', 'dpo'] as const;
const WRITERS = ['admin', 'case_manager'] as const;

@ApiTags('subjects')
@ApiBearerAuth()
@Controller('api/v1/subjects')
export class SubjectsController {
  constructor(
    private readonly subjects: SubjectsService,
    private readonly consents: ConsentsService,
  ) {}

  @Post()
  @Roles(...WRITERS)
  @Audit({ action: 'subject.create', entityType: 'subject', subjects: (c) => (c.response as { id: string }).id })
  @ApiOperation({ summary: 'Register a child, mother or bride-to-be; 409 names the existing subject with the same NIK' })
  @ApiAnswer(201, SubjectResponseDto)
  @ApiErrors(409)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateSubjectDto) {
    return this.subjects.create(actor, dto);
  }

  @Get()
  @Roles(...READERS)
  @Audit({
    action: 'subject.search',
    entityType: 'subject',
    subjects: fromResponse.itemSubjects,
    purposeRequired: (c) => typeof c.query.nik === 'string',
  })
  @ApiOperation({ summary: 'Search subjects by exact NIK, name prefix or village (keyset pages, limit capped at 200)' })
  @ApiHeader({ name: 'X-Purpose', required: false, description: 'why you search by NIK: required with ?nik=, kept in the audit trail' })
  @ApiPage(SubjectResponseDto)
  list(@CurrentActor() actor: Actor, @Query() query: ListSubjectsQueryDto) {
    return this.subjects.search(actor, query);
  }

  @Get(':id')
  @Roles(...READERS)
  @Audit({ action: 'subject.read', entityType: 'subject', subjects: (c) => c.params.id })
  @ApiOperation({ summary: 'A subject, NIK and KK masked' })
  @ApiAnswer(200, SubjectResponseDto)
  get(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto) {
    return this.subjects.get(actor, id);
  }

  @Patch(':id')
  @Roles(...WRITERS)
  @Audit({ action: 'subject.update', entityType: 'subject', subjects: (c) => c.params.id })
  @ApiOperation({ summary: 'Correct a subject; null clears an optional field' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'the version you last read; 409 if it has changed since' })
  @ApiAnswer(200, SubjectResponseDto)
  @ApiErrors(409)
  update(
    @CurrentActor() actor: Actor,
    @Param() { id }: UuidParamDto,
    @Body() dto: UpdateSubjectDto,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.subjects.update(actor, id, dto, parseIfMatch(ifMatch));
  }

  @Post(':id/consents')
  @Roles(...WRITERS)
  @Audit({ action: 'consent.record', entityType: 'consent', subjects: (c) => c.params.id })
  @ApiOperation({ summary: "Record a guardian's consent to share the subject's identity with a sponsor (with its evidence)" })
  @ApiAnswer(201, CONSENT)
  recordConsent(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto, @Body() dto: CreateConsentDto) {
    return this.consents.record(actor, id, dto);
  }

  @Get(':id/consents')
  @Roles(...READERS)
  @Audit({ action: 'consent.read', entityType: 'subject', subjects: (c) => c.params.id })
  @ApiOperation({ summary: "The subject's consent records, withdrawn ones included" })
  @ApiPage(CONSENT)
  listConsents(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto) {
    return this.consents.list(actor, id);
  }

  @Post(':id/consents/:consentId/withdraw')
  @HttpCode(200)
  @Roles(...WRITERS)
  @Audit({ action: 'consent.withdraw', entityType: 'consent', subjects: (c) => c.params.id })
  @ApiOperation({ summary: 'Record that the guardian withdrew a consent; sharing stops at once' })
  @ApiAnswer(200, CONSENT)
  @ApiErrors(409)
  withdrawConsent(@CurrentActor() actor: Actor, @Param() { id, consentId }: ConsentParamDto) {
    return this.consents.withdraw(actor, id, consentId);
  }
}
