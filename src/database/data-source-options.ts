import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { migrations } from '../../migrations/index.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { NAMED_STATEMENTS_OPTION } from './prepared.js';

/** One set of options for the app and the migration script, for both database modes. */
export async function buildDataSourceOptions(config: AppConfig): Promise<DataSourceOptions> {
  const db = config.database;
  const connection =
    db.mode === 'server'
      ? {
          ...(db.readUrl
            ? // Only reads asked for on a 'slave' runner (ReadReplica) go to the replica.
              { replication: { master: { url: db.url }, slaves: [{ url: db.readUrl }], defaultMode: 'master' as const } }
            : { url: db.url }),
          poolSize: db.poolSize,
          extra: { [NAMED_STATEMENTS_OPTION]: db.namedStatements },
        }
      : { extra: (await startEmbeddedPostgres(db.dataDir)).extra, poolSize: 1 };
  return {
    type: 'postgres',
    ...connection,
    // pg-pool applies this to waiting for a free connection too: an error instead of a hang.
    connectTimeoutMS: 10_000,
    migrations,
    migrationsTableName: 'migrations',
    // Run by DatabaseModule under an advisory lock, not by TypeORM at initialize().
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    synchronize: false,
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    invalidWhereValuesBehavior: { null: 'throw', undefined: 'throw' },
    // Query logging is off on purpose: parameters carry names and other personal data.
    logging: ['migration'],
  };
}
