import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from './config/app-config.js';
import { buildDataSourceOptions } from './database/data-source-options.js';
import { stopEmbeddedPostgres } from './database/embedded-postgres.js';
import { runMigrations } from './database/migrations-runner.js';

/** `npm run migration:run` / `migration:revert`: the release step for multi-replica deployments. */
async function main(): Promise<void> {
  const config = loadConfig();
  const ds = new DataSource(await buildDataSourceOptions(config));
  await ds.initialize();
  try {
    if (process.argv[2] === 'revert') {
      await ds.undoLastMigration({ transaction: 'each' });
    } else {
      const ran = await runMigrations(ds, config.database.mode, config.database.mode === 'server' ? config.database.directUrl : undefined);
      process.stdout.write(ran.length ? `applied: ${ran.map((m) => m.name).join(', ')}\n` : 'the schema is up to date\n');
    }
  } finally {
    await ds.destroy();
    await stopEmbeddedPostgres();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof ConfigError ? e.message : `migration failed: ${(e as Error).message}`}\n`);
  process.exit(1);
});
