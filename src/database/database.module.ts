import { Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { buildDataSourceOptions } from './data-source-options.js';
import { stopEmbeddedPostgres } from './embedded-postgres.js';
import { runMigrations } from './migrations-runner.js';
import { ReadReplica } from './read-replica.js';

/**
 * Brings the schema up to date at start (unless DB_MIGRATIONS_RUN=false), and closes PGlite
 * after TypeORM's pool so the embedded database shuts down cleanly.
 */
@Injectable()
class DatabaseLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Database');

  constructor(
    private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.migrationsRun) return;
    const db = this.config.database;
    const applied = await runMigrations(this.ds, db.mode, db.mode === 'server' ? db.directUrl : undefined);
    if (!applied.length) return;
    // A new database gets every migration: news only at debug, so a first start prints the admin's box and the URL alone.
    const fresh = applied.length === this.ds.migrations.length;
    this.logger[fresh ? 'debug' : 'log']({ migrations: applied.map((m) => m.name) }, 'applied migrations');
  }

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
  providers: [DatabaseLifecycle, ReadReplica],
  exports: [ReadReplica],
})
@Global()
export class DatabaseModule {}
