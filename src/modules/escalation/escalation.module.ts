import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { IdentityModule } from '../identity/identity.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { EscalationsController, NotificationsController, SlaPoliciesController } from './escalation.controller.js';
import { EscalationSweeper } from './escalation.sweeper.js';
import { EscalationsRepository } from './escalations.repository.js';
import { EscalationsService } from './escalations.service.js';
import { NotificationDelivery } from './notification-delivery.js';
import { RESOLVE_HOST, resolveWithDns } from './webhook-target.js';
import { NotificationsRepository } from './notifications.repository.js';
import { NotificationsService } from './notifications.service.js';
import { SlaPoliciesRepository } from './sla-policies.repository.js';
import { SlaPoliciesService } from './sla-policies.service.js';
import { SlaPolicyEntity } from './sla-policy.entity.js';

/** SLA policies, the escalation sweep over the kernel's step deadlines, escalations, and the notification outbox: shared by every lifecycle. */
@Module({
  imports: [TypeOrmModule.forFeature([SlaPolicyEntity]), IdentityModule, OrganisationsModule],
  controllers: [SlaPoliciesController, EscalationsController, NotificationsController],
  providers: [
    SlaPoliciesService,
    SlaPoliciesRepository,
    EscalationsRepository,
    EscalationSweeper,
    EscalationsService,
    NotificationsService,
    NotificationsRepository,
    NotificationDelivery,
    { provide: RESOLVE_HOST, useValue: resolveWithDns },
    { provide: PiiCipher, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new PiiCipher(c.nikEncryptionKey, c.nikHmacKey) },
  ],
  exports: [SlaPoliciesService, EscalationSweeper, NotificationDelivery],
})
export class EscalationModule {}
