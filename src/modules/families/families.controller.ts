import { Body, Controller, Get, Headers, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { parseIfMatch } from '../../common/http/if-match.js';
import { ApiAnswer, ApiErrors, ApiPage } from '../../common/http/openapi.js';
import { FAMILY, FAMILY_DETAIL, KRS_ASSESSMENT, KRS_POLICIES, KRS_POLICY } from '../../openapi/schemas.js';
import { UuidParamDto } from '../../common/http/uuid-param.dto.js';
import { Audit, fromResponse, type AuditContext } from '../audit/audit.decorator.js';
import type { Actor } from '../identity/actor.js';
import { CurrentActor, Roles } from '../identity/auth.decorators.js';
import { CreateAssessmentDto, CreateFamilyDto, KrsPolicyDto, ListFamiliesQueryDto, UpdateFamilyDto } from './dto/family.dto.js';
import { FamiliesService } from './families.service.js';

/** A TPK member reads and registers the families of their villages (Verval adds families found in the field). */
const READERS = ['admin', 'case_manager', 'auditor', 'tpk'] as const;
const WRITERS = ['admin', 'case_manager', 'tpk'] as const;

class RegencyParamDto {
  @ApiProperty({ example: '3216', description: 'Kemendagri regency code, 4 digits' })
  @Matches(/^[0-9]{4}$/, { message: 'regencyCode must be a 4-digit regency code' })
  regencyCode!: string;
}

const memberSubjects = (c: AuditContext) =>
  ((c.response as { members?: { subjectId: string | null }[] } | null)?.members ?? []).map((m) => m.subjectId).filter((x): x is string => !!x);

@ApiTags('families')
@ApiBearerAuth()
@Controller('api/v1')
export class FamiliesController {
  constructor(private readonly families: FamiliesService) {}

  @Post('families')
  @Roles(...WRITERS)
  @Audit({ action: 'family.create', entityType: 'family', subjects: memberSubjects, regency: fromResponse.regency })
  @ApiOperation({ summary: 'Register a family (KK sealed like a NIK) with its members; 409 when the card is registered already' })
  @ApiAnswer(201, FAMILY, 'the family, its KK masked')
  @ApiErrors(409)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateFamilyDto) {
    return this.families.create(actor, dto);
  }

  @Get('families')
  @Roles(...READERS)
  @Audit({ action: 'family.search', entityType: 'family' })
  @ApiOperation({ summary: "Families of the caller's area by village (keyset pages); krs=true for those whose latest assessment is KRS" })
  @ApiPage(FAMILY)
  list(@CurrentActor() actor: Actor, @Query() q: ListFamiliesQueryDto) {
    return this.families.list(actor, q);
  }

  @Get('families/:id')
  @Roles(...READERS)
  @Audit({ action: 'family.read', entityType: 'family', subjects: memberSubjects, regency: fromResponse.regency })
  @ApiOperation({ summary: 'A family with its members and every assessment' })
  @ApiAnswer(200, FAMILY_DETAIL)
  get(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto) {
    return this.families.get(actor, id);
  }

  @Patch('families/:id')
  @Roles(...WRITERS)
  @Audit({ action: 'family.update', entityType: 'family', subjects: memberSubjects, regency: fromResponse.regency })
  @ApiHeader({ name: 'If-Match', required: false, description: 'the version you last read; 409 if it has changed since' })
  @ApiOperation({ summary: 'Change a family; `members` replaces the member list (pregnancies, deliveries and children schedule TPK visits)' })
  @ApiAnswer(200, FAMILY, 'the family after the change')
  @ApiErrors(409)
  update(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto, @Body() dto: UpdateFamilyDto, @Headers('if-match') ifMatch?: string) {
    return this.families.update(actor, id, dto, parseIfMatch(ifMatch));
  }

  @Post('families/:id/assessments')
  @Roles(...WRITERS)
  @Audit({ action: 'family.assess', entityType: 'family' })
  @ApiOperation({ summary: "A KRS assessment for one period: targets derived from the members, judged by the regency's policy version; 409 if assessed already" })
  @ApiAnswer(201, KRS_ASSESSMENT)
  @ApiErrors(409)
  assess(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto, @Body() dto: CreateAssessmentDto) {
    return this.families.assess(actor, id, dto);
  }

  @Get('krs-policies/:regencyCode')
  @Roles('admin', 'case_manager', 'auditor', 'viewer')
  @ApiOperation({ summary: "A regency's KRS policy versions and the one in force" })
  @ApiAnswer(200, KRS_POLICIES)
  policy(@CurrentActor() actor: Actor, @Param() { regencyCode }: RegencyParamDto) {
    return this.families.policyVersions(actor, regencyCode);
  }

  @Post('krs-policies/:regencyCode')
  @Roles('admin')
  @ApiOperation({ summary: 'Adds the next KRS policy version; later assessments are judged by it, earlier ones keep theirs' })
  @ApiAnswer(201, KRS_POLICY, 'the new version, now in force')
  @ApiErrors(409)
  addPolicy(@CurrentActor() actor: Actor, @Param() { regencyCode }: RegencyParamDto, @Body() dto: KrsPolicyDto) {
    return this.families.addPolicyVersion(actor, regencyCode, dto);
  }
}
