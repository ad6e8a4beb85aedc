import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { PrevalenceService } from './prevalence.service.js';
import { repeatEvery } from '../../common/schedule/repeat.js';

/**
 * Freezes due bulan timbang months and records revisions on a timer. Safe on every instance at
 * once: a month's freeze is claimed by one row's primary key, and a revision by a unique key.
 * Reports do the same for what they read, so a stopped timer delays revisions of unread regions only.
 */
@Injectable()
export class PrevalenceSweeper implements OnApplicationBootstrap {
  private readonly logger = new Logger(PrevalenceSweeper.name);
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly prevalence: PrevalenceService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    repeatEvery(
      this.scheduler,
      'prevalence-freeze',
      this.config.prevalenceFreezeIntervalSeconds,
      () => (this.running ??= this.prevalence.freezeDue().finally(() => (this.running = null))),
      { logger: this.logger, message: 'prevalence freeze failed' },
    );
  }
}
