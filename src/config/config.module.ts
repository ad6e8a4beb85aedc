import { Global, Module } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { CLOCK, SystemClock } from '../common/clock/clock.js';
import { bufferedStdout, createLogger, LOG_DESTINATION, LOGGER } from '../common/logging/logging.js';
import { APP_CONFIG, type AppConfig, loadConfig } from './app-config.js';

@Global()
@Module({
  providers: [
    { provide: APP_CONFIG, useFactory: () => loadConfig() },
    { provide: CLOCK, useClass: SystemClock },
    { provide: LOG_DESTINATION, useFactory: bufferedStdout },
    {
      provide: LOGGER,
      inject: [APP_CONFIG, LOG_DESTINATION],
      useFactory: (config: AppConfig, destination: DestinationStream) => createLogger(config.logLevel, destination),
    },
  ],
  exports: [APP_CONFIG, CLOCK, LOGGER],
})
export class ConfigModule {}
