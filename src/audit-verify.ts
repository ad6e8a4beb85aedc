import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from './config/app-config.js';
import { buildDataSourceOptions } from './database/data-source-options.js';
import { stopEmbeddedPostgres } from './database/embedded-postgres.js';
import { verifyAuditChains } from './modules/audit/audit-verifier.js';

/** `npm run audit:verify [-- --regency 3216]`: recomputes every audit hash chain; exits 1 at a break. */
async function main(): Promise<number> {
  const config = loadConfig();
  const i = process.argv.indexOf('--regency');
  const only = i > 0 ? (process.argv[i + 1] ?? '') : undefined;
  const ds = new DataSource({ ...(await buildDataSourceOptions(config)), migrationsRun: false });
  await ds.initialize();
  try {
    const r = await verifyAuditChains(ds, only);
    for (const b of r.broken) {
      process.stdout.write(`BROKEN regency ${b.regencyCode || '(national)'} at entry ${b.seq}: ${b.reason}\n`);
    }
    process.stdout.write(`${r.entries} entries in ${r.regencies} chains checked: ${r.broken.length ? `${r.broken.length} broken` : 'all intact'}\n`);
    return r.broken.length ? 1 : 0;
  } finally {
    await ds.destroy();
    await stopEmbeddedPostgres();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof ConfigError ? e.message : `audit verification failed: ${(e as Error).message}`}\n`);
    process.exit(2);
  },
);
