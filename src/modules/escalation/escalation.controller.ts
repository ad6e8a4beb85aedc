import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiErrors, ApiPage } from '../../common/http/openapi.js';
import { UuidParamDto } from '../../common/http/uuid-param.dto.js';
import { ESCALATION, NEW_WEBHOOK, NOTIFICATION, NOTIFICATION_DELIVERY, OVERDUE_REPORT, SLA_POLICY, WEBHOOK } from '../../openapi/schemas.js';
import type { Actor } from '../identity/actor.js';
import { CurrentActor, Roles, WideScope } from '../identity/auth.decorators.js';
import { ALL_ROLES } from '../identity/role.js';
import { CreateWebhookDto, DeliveriesQueryDto, InboxQueryDto, ListEscalationsQueryDto, OverdueReportQueryDto } from './dto/escalation.dto.js';
import { SlaPolicyDto } from './dto/sla-policy.dto.js';
import { RegencyParamDto } from './dto/regency-param.dto.js';
import { EscalationsService } from './escalations.service.js';
import { NotificationsService } from './notifications.service.js';
import { SlaPoliciesService } from './sla-policies.service.js';

/** Who may look at what is overdue: everyone who works cases or tasks. */
export const OVERDUE_READERS = ['admin', 'case_manager', 'auditor', 'viewer', 'opd_liaison'] as const;

@ApiTags('escalation')
@ApiBearerAuth()
@Controller('api/v1/sla-policies')
export class SlaPoliciesController {
  constructor(private readonly policies: SlaPoliciesService) {}

  @Get(':regencyCode')
  @Roles('admin', 'case_manager', 'auditor', 'viewer')
  @ApiOperation({ summary: "A regency's SLA policy: days per case and task step, the escalation ladder, days off, chairs (defaults until set)" })
  @ApiAnswer(200, SLA_POLICY)
  get(@CurrentActor() actor: Actor, @Param() { regencyCode }: RegencyParamDto) {
    return this.policies.get(actor, regencyCode);
  }

  @Put(':regencyCode')
  @Roles('admin')
  @ApiOperation({ summary: 'Set the policy; it applies to steps entered after the change' })
  @ApiAnswer(200, SLA_POLICY, 'the policy now in force')
  put(@CurrentActor() actor: Actor, @Param() { regencyCode }: RegencyParamDto, @Body() dto: SlaPolicyDto) {
    return this.policies.put(actor, regencyCode, dto);
  }
}

@ApiTags('escalation')
@ApiBearerAuth()
@Controller('api/v1')
export class EscalationsController {
  constructor(private readonly escalations: EscalationsService) {}

  @Get('escalations')
  @Roles(...OVERDUE_READERS)
  @ApiOperation({ summary: 'Escalations fired, newest first, with how late each fired and whom it reached' })
  @ApiPage(ESCALATION)
  list(@CurrentActor() actor: Actor, @Query() q: ListEscalationsQueryDto) {
    return this.escalations.list(actor, q);
  }

  @Get('reports/overdue')
  @WideScope()
  @Roles(...OVERDUE_READERS)
  @ApiOperation({ summary: 'Open steps past their deadline, counted per OPD, village or state, with the oldest' })
  @ApiAnswer(200, OVERDUE_REPORT)
  @ApiErrors(404)
  overdue(@CurrentActor() actor: Actor, @Query() q: OverdueReportQueryDto) {
    return this.escalations.overdue(actor, q);
  }
}

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/v1')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('notifications')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Your in-app inbox, newest first' })
  @ApiPage(NOTIFICATION)
  inbox(@CurrentActor() actor: Actor, @Query() q: InboxQueryDto) {
    return this.notifications.inbox(actor, q);
  }

  @Post('notifications/:id/read')
  @HttpCode(204)
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Mark one of your notifications read' })
  @ApiAnswer(204, null, 'read')
  async read(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto) {
    await this.notifications.markRead(actor, id);
  }

  @Get('notification-deliveries')
  @Roles('admin')
  @ApiOperation({ summary: 'Delivery status of every notification (status=dead lists the dead letters)' })
  @ApiPage(NOTIFICATION_DELIVERY)
  deliveries(@CurrentActor() actor: Actor, @Query() q: DeliveriesQueryDto) {
    return this.notifications.deliveries(actor, q);
  }

  @Get('notification-deliveries/:id')
  @Roles('admin')
  @ApiOperation({ summary: 'Delivery status of one notification' })
  @ApiAnswer(200, NOTIFICATION_DELIVERY)
  delivery(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto) {
    return this.notifications.delivery(actor, id);
  }

  @Post('notification-deliveries/:id/retry')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Put a dead-lettered delivery back in the queue' })
  @ApiAnswer(200, NOTIFICATION_DELIVERY)
  retry(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto) {
    return this.notifications.retry(actor, id);
  }

  @Post('webhooks')
  @Roles('admin')
  @ApiOperation({ summary: 'Register a webhook for a regency or one OPD; the signing secret is returned once' })
  @ApiAnswer(201, NEW_WEBHOOK)
  createWebhook(@CurrentActor() actor: Actor, @Body() dto: CreateWebhookDto) {
    return this.notifications.createWebhook(actor, dto);
  }

  @Get('webhooks')
  @Roles('admin')
  @ApiOperation({ summary: 'The webhooks of your regency' })
  @ApiPage(WEBHOOK)
  webhooks(@CurrentActor() actor: Actor) {
    return this.notifications.webhooks(actor);
  }

  @Delete('webhooks/:id')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ summary: 'Stop delivering to a webhook' })
  @ApiAnswer(204, null, 'stopped')
  async deleteWebhook(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto) {
    await this.notifications.deactivateWebhook(actor, id);
  }
}
