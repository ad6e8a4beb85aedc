import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiCsv, ApiErrors, ApiEventBody, ApiPage } from '../../common/http/openapi.js';
import { CATALOGUE_ENTRY, DELIVERY, HISTORY_ENTRY, INTERVENTION, NEW_OFFER, OFFER, SPONSOR_REPORT } from '../../openapi/schemas.js';
import type { Response } from 'express';
import { ValidationFailed } from '../../common/errors/domain-error.js';
import { requireIfMatch } from '../../common/http/if-match.js';
import { PageQueryDto } from '../../common/http/pagination.js';
import { UuidParamDto } from '../../common/http/uuid-param.dto.js';
import type { Actor } from '../identity/actor.js';
import { CurrentActor, Roles, WideScope } from '../identity/auth.decorators.js';
import { ALL_ROLES } from '../identity/role.js';
import { Audit } from '../audit/audit.decorator.js';
import { CatalogueService } from './catalogue.service.js';
import {
  CatalogueCodeParamDto,
  CatalogueEntryDto,
  CatalogueQueryDto,
  IDEMPOTENCY_KEY,
  INTERVENTION_EVENT_PAYLOADS,
  ListInterventionsQueryDto,
  OfferCaseDto,
  parseInterventionCommand,
  ProposeInterventionDto,
  RecordDeliveryDto,
  ReportQueryDto,
  RetireQueryDto,
} from './dto/intervention.dto.js';
import { DELIVERY_LOGGERS, INTERVENTION_EVENT_ROLES, INTERVENTION_PROPOSERS, INTERVENTION_READERS } from './intervention-permissions.js';
import { DeliveriesService } from './deliveries.service.js';
import { type InterventionView, InterventionsService } from './interventions.service.js';
import { OffersService } from './offers.service.js';
import { SponsorReportsService } from './sponsor-reports.service.js';

const withEtag = (res: Response, view: InterventionView): InterventionView => {
  res.setHeader('ETag', `"${view.version}"`);
  return view;
};

@ApiTags('interventions')
@ApiBearerAuth()
@Controller('api/v1')
export class InterventionsController {
  constructor(
    private readonly interventions: InterventionsService,
    private readonly offerService: OffersService,
    private readonly deliveryService: DeliveriesService,
    private readonly catalogue: CatalogueService,
    private readonly reports: SponsorReportsService,
  ) {}

  @Get('catalogues/interventions')
  @WideScope()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "The intervention catalogue of your regency (or ?regencyCode= for a national user): the national entries, the regency's own, less its retired ones" })
  @ApiPage(CATALOGUE_ENTRY)
  @ApiErrors(404)
  list(@CurrentActor() actor: Actor, @Query() q: CatalogueQueryDto) {
    return this.catalogue.list(actor, q.regencyCode);
  }

  @Post('catalogues/interventions')
  @Roles('admin')
  @ApiOperation({ summary: "Add (or replace) an entry in a regency's catalogue" })
  @ApiAnswer(201, CATALOGUE_ENTRY)
  addEntry(@CurrentActor() actor: Actor, @Body() dto: CatalogueEntryDto) {
    return this.catalogue.add(actor, dto);
  }

  @Post('catalogues/interventions/:code/retire')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ summary: "Retire an entry from a regency's catalogue (interventions already proposed keep it)" })
  @ApiAnswer(204, null, 'retired')
  async retire(@CurrentActor() actor: Actor, @Param() { code }: CatalogueCodeParamDto, @Query() q: RetireQueryDto) {
    await this.catalogue.retire(actor, code, q.regencyCode);
  }

  @Post('cases/:id/offers')
  @Roles('case_manager')
  @ApiOperation({ summary: "Offer an audited case to a sponsor: its CSR partners see it (pseudonymised) and may propose interventions" })
  @ApiAnswer(201, NEW_OFFER)
  @ApiErrors(409)
  offer(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto, @Body() dto: OfferCaseDto) {
    return this.offerService.offer(actor, id, dto.sponsorId);
  }

  @Get('offers')
  @Roles('admin', 'case_manager', 'csr_partner')
  @ApiOperation({ summary: 'Cases offered to sponsors; a CSR partner sees those offered to its own, as pseudonymous beneficiaries' })
  @ApiPage(OFFER)
  offers(@CurrentActor() actor: Actor, @Query() q: PageQueryDto) {
    return this.offerService.offers(actor, q);
  }

  @Post('interventions')
  @Roles(...INTERVENTION_PROPOSERS)
  @ApiOperation({ summary: 'Propose an intervention from the catalogue for a case, funded by a sponsor' })
  @ApiAnswer(201, INTERVENTION, 'the intervention, proposed; ETag = version')
  @ApiErrors(409, 422)
  async propose(@CurrentActor() actor: Actor, @Body() dto: ProposeInterventionDto, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.interventions.propose(actor, dto));
  }

  @Get('interventions')
  @Roles(...INTERVENTION_READERS)
  @ApiOperation({ summary: "Interventions, newest first: ?caseId=&sponsorId=&state=; a CSR partner sees its own sponsor's only" })
  @ApiPage(INTERVENTION)
  listInterventions(@CurrentActor() actor: Actor, @Query() q: ListInterventionsQueryDto) {
    return this.interventions.list(actor, q);
  }

  @Get('interventions/:id')
  @Roles(...INTERVENTION_READERS)
  @ApiOperation({ summary: 'An intervention: its step, money, deliveries count, beneficiary and outcome band. ETag = version' })
  @ApiAnswer(200, INTERVENTION)
  async get(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.interventions.get(actor, id));
  }

  @Get('interventions/:id/history')
  @Roles(...INTERVENTION_READERS)
  @ApiOperation({ summary: 'Everything that happened to the intervention, in order (append-only)' })
  @ApiPage(HISTORY_ENTRY)
  history(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto) {
    return this.interventions.history(actor, id);
  }

  @Post('interventions/:id/events')
  @HttpCode(200)
  @Roles('admin', 'case_manager', 'csr_partner')
  @ApiOperation({ summary: 'Move the intervention: {type, ...payload}. 428 without If-Match; 409 VERSION_CONFLICT / INVALID_TRANSITION; 422 GUARD_FAILED' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'the version (ETag) you last read' })
  @ApiEventBody('InterventionEvent', INTERVENTION_EVENT_PAYLOADS, INTERVENTION_EVENT_ROLES, { type: 'APPROVE', note: 'Sesuai rekomendasi audit' })
  @ApiAnswer(200, INTERVENTION, 'the intervention after the event; ETag = its new version')
  @ApiErrors(409, 422, 428)
  async event(
    @CurrentActor() actor: Actor,
    @Param() { id }: UuidParamDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: Record<string, unknown>,
    @Res({ passthrough: true }) res: Response,
  ) {
    const version = requireIfMatch(ifMatch);
    return withEtag(res, await this.interventions.apply(actor, id, version, parseInterventionCommand(body)));
  }

  @Post('interventions/:id/deliveries')
  @Roles(...DELIVERY_LOGGERS)
  @ApiOperation({ summary: 'Log a delivery. Idempotency-Key required: a retry gets the first answer; the same key with another body 422' })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: '8-128 characters of A-Z a-z 0-9 . _ : -, unique per delivery (a UUID will do)' })
  @ApiAnswer(201, DELIVERY, 'logged; a retry with the same key and body gets this same answer')
  @ApiErrors(409, 422)
  async deliver(
    @CurrentActor() actor: Actor,
    @Param() { id }: UuidParamDto,
    @Headers('idempotency-key') key: string | undefined,
    @Body() dto: RecordDeliveryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (key === undefined) throw ValidationFailed.field('Idempotency-Key', 'header is required');
    if (!IDEMPOTENCY_KEY.test(key)) throw ValidationFailed.field('Idempotency-Key', 'must be 8-128 characters of A-Z a-z 0-9 . _ : -');
    const { status, body } = await this.deliveryService.deliver(actor, id, key, dto);
    res.status(status);
    return body;
  }

  @Get('interventions/:id/deliveries')
  @Roles(...INTERVENTION_READERS)
  @ApiOperation({ summary: "The intervention's delivery log, oldest first" })
  @ApiPage(DELIVERY)
  deliveries(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto) {
    return this.deliveryService.list(actor, id);
  }

  @Get('sponsors/:id/report')
  @Roles('admin', 'case_manager', 'viewer', 'csr_partner')
  @Audit({
    action: 'sponsor.report',
    entityType: 'sponsor',
    subjects: (c) => ((c.response as { beneficiaries?: { subjectId?: string }[] }).beneficiaries ?? []).flatMap((b) => (b.subjectId ? [b.subjectId] : [])),
  })
  @ApiOperation({ summary: "A sponsor's report: per intervention type, money spent against budget, on-time deliveries, outcome bands (?from=&to=)" })
  @ApiAnswer(200, SPONSOR_REPORT)
  report(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto, @Query() q: ReportQueryDto) {
    return this.reports.report(actor, id, q);
  }

  @Get('sponsors/:id/report.csv')
  @Roles('admin', 'case_manager', 'viewer', 'csr_partner')
  @Audit({ action: 'sponsor.report.export', entityType: 'sponsor' })
  @ApiOperation({ summary: 'The same report as CSV' })
  @ApiCsv('the report, one row per intervention type')
  async reportCsv(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto, @Query() q: ReportQueryDto, @Res({ passthrough: true }) res: Response) {
    const csv = await this.reports.csv(actor, id, q);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="sponsor-${id}-report.csv"`);
    return csv;
  }
}
