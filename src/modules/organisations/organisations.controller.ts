import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiErrors, ApiPage, arr, int, obj, str } from '../../common/http/openapi.js';
import { PageQueryDto } from '../../common/http/pagination.js';
import { UuidParamDto } from '../../common/http/uuid-param.dto.js';
import type { Actor } from '../identity/actor.js';
import { CurrentActor, Roles } from '../identity/auth.decorators.js';
import { ALL_ROLES } from '../identity/role.js';
import { CreateOpdDto, ListOpdsQueryDto, OpdResponseDto, SeedOpdsDto, UpdateOpdDto } from './dto/opd.dto.js';
import { CreateSponsorDto, SponsorResponseDto } from './dto/sponsor.dto.js';
import { ApiExtraModels, getSchemaPath } from '@nestjs/swagger';

const SEEDED = obj({ created: int({ description: 'OPDs added now' }), items: arr({ $ref: getSchemaPath(OpdResponseDto) }), nextCursor: { ...str(), nullable: true } });
import { OpdsService } from './opds.service.js';
import { SponsorsService } from './sponsors.service.js';

@ApiTags('opds')
@ApiBearerAuth()
@Controller('api/v1/opds')
export class OpdsController {
  constructor(private readonly opds: OpdsService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create an OPD (government agency) in a regency' })
  @ApiAnswer(201, OpdResponseDto)
  @ApiErrors(409)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateOpdDto) {
    return this.opds.create(actor, dto);
  }

  @Post('seed')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Create the usual OPD catalogue (DINKES, DP2KB, ...) in a regency; existing codes are kept' })
  @ApiExtraModels(OpdResponseDto)
  @ApiAnswer(200, SEEDED, "the regency's OPDs after seeding")
  seed(@CurrentActor() actor: Actor, @Body() dto: SeedOpdsDto) {
    return this.opds.seed(actor, dto.regencyCode);
  }

  @Get()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'List OPDs in your regency' })
  @ApiPage(OpdResponseDto)
  list(@CurrentActor() actor: Actor, @Query() query: ListOpdsQueryDto) {
    return this.opds.list(actor, query);
  }

  @Get(':id')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'An OPD' })
  @ApiAnswer(200, OpdResponseDto)
  get(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto) {
    return this.opds.get(actor, id);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'Rename an OPD or set its head' })
  @ApiAnswer(200, OpdResponseDto)
  update(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto, @Body() dto: UpdateOpdDto) {
    return this.opds.update(actor, id, dto);
  }
}

const SPONSOR_READERS = ['admin', 'case_manager', 'auditor', 'viewer', 'csr_partner'] as const;

@ApiTags('sponsors')
@ApiBearerAuth()
@Controller('api/v1/sponsors')
export class SponsorsController {
  constructor(private readonly sponsors: SponsorsService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Register a CSR sponsor and the regencies it funds' })
  @ApiAnswer(201, SponsorResponseDto)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateSponsorDto) {
    return this.sponsors.create(actor, dto);
  }

  @Get()
  @Roles(...SPONSOR_READERS)
  @ApiOperation({ summary: 'List the sponsors funding your regency (a CSR partner sees its own)' })
  @ApiPage(SponsorResponseDto)
  list(@CurrentActor() actor: Actor, @Query() query: PageQueryDto) {
    return this.sponsors.list(actor, query);
  }

  @Get(':id')
  @Roles(...SPONSOR_READERS)
  @ApiOperation({ summary: 'A sponsor' })
  @ApiAnswer(200, SponsorResponseDto)
  get(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto) {
    return this.sponsors.get(actor, id);
  }
}
