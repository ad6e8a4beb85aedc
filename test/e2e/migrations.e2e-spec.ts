import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config.js';
import { buildDataSourceOptions } from '../../src/database/data-source-options.js';
import { runMigrations } from '../../src/database/migrations-runner.js';
import { createServerTestDatabase } from '../support/test-database.js';

// Advisory locks only mean something on a server (PGlite is one connection), so this runs in
// the PostgreSQL pass of the suite (npm run test:pg, and CI).
const serverUrl = process.env.TEST_DATABASE_URL;

(serverUrl ? describe : describe.skip)('migrations on a PostgreSQL server', () => {
  let db: Awaited<ReturnType<typeof createServerTestDatabase>>;
  beforeAll(async () => {
    db = await createServerTestDatabase(serverUrl!, { migrated: false });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('three instances starting at once apply each migration exactly once', async () => {
    const config = loadConfig({
      DATABASE_URL: db.url,
      JWT_SECRET: 'x'.repeat(32),
      NIK_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      NIK_HMAC_KEY: 'y'.repeat(32),
    });
    const sources = await Promise.all([1, 2, 3].map(async () => new DataSource(await buildDataSourceOptions(config)).initialize()));
    try {
      const runs = await Promise.all(sources.map((ds) => runMigrations(ds, 'server')));
      expect(runs.map((r) => r.length).sort()).toEqual([0, 0, runs.flat().length]);
      const rows = await sources[0].query('SELECT name FROM migrations');
      expect(rows.length).toBe(runs.flat().length);
      // Revert the newest migration and apply it again: its down() and up() both work on PostgreSQL 15.
      const applied = async (ds: DataSource) => (await ds.query('SELECT count(*)::int AS n FROM migrations'))[0].n as number;
      const all = await applied(sources[0]);
      await sources[0].undoLastMigration({ transaction: 'each' });
      expect(await applied(sources[0])).toBe(all - 1);
      expect(await runMigrations(sources[1], 'server')).toHaveLength(1);
      expect(await applied(sources[1])).toBe(all);
    } finally {
      await Promise.all(sources.map((ds) => ds.destroy()));
    }
  });
});
