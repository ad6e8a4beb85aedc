import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { buildDataSourceOptions } from './data-source-options.js';
import { stopEmbeddedPostgres } from './embedded-postgres.js';

/** Closes PGlite after TypeORM's pool, so the embedded database shuts down cleanly. */
@Injectable()
class EmbeddedDatabaseLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.config.database.mode !== 'embedded') return;
    if (this.ds.isInitialized) await this.ds.destroy();
    await stopEmbeddedPostgres();
  }
}

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => ({ ...(await buildDataSourceOptions(config)), autoLoadEntities: true }),
    }),
  ],
  providers: [EmbeddedDatabaseLifecycle],
})
export class DatabaseModule {}
