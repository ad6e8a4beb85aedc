import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { MEMORY_DATA_DIR } from '../../src/config/app-config.js';
import { startEmbeddedPostgres, stopEmbeddedPostgres } from '../../src/database/embedded-postgres.js';

/**
 * Migrating a fresh database takes seconds (PGlite) and every test app needs one, so each run
 * migrates one template and every test database is a copy of it. The run's directory
 * (global-setup.ts) names it; the global teardown removes both.
 */
const RUN_DIR = () => process.env.TUNTAS_TEST_LOG_DIR ?? tmpdir();
const RUN_ID = () => basename(RUN_DIR()).replace(/[^a-z0-9]/gi, '').toLowerCase();

async function migrate(options: { url: string } | { extra: Record<string, unknown> }): Promise<void> {
  const ds = new DataSource({ type: 'postgres', ...options, poolSize: 1, migrations, migrationsTableName: 'migrations', migrationsTransactionMode: 'each', logging: false });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}

/** The migrated in-memory PGlite of this run, as a tarball (`PGlite.dumpDataDir`). */
export async function migratedEmbeddedTemplate(): Promise<Blob> {
  const file = join(RUN_DIR(), 'pglite-template.tar');
  if (!existsSync(file)) {
    const db = await startEmbeddedPostgres(MEMORY_DATA_DIR);
    try {
      await migrate({ extra: db.extra });
      const tmp = `${file}.${process.pid}`;
      writeFileSync(tmp, Buffer.from(await (await db.dump()).arrayBuffer()));
      renameSync(tmp, file);
    } finally {
      await stopEmbeddedPostgres();
    }
  }
  return new Blob([readFileSync(file)]);
}

/** The migrated template database of this run on the server, made once under an advisory lock. */
async function serverTemplate(admin: pg.Client, baseUrl: string, baseName: string): Promise<string> {
  const name = `${baseName}_template_${RUN_ID()}`.replace(/[^a-z0-9_]/gi, '_').toLowerCase().slice(0, 63);
  await admin.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!exists.rowCount) {
      await admin.query(`CREATE DATABASE "${name}"`);
      const url = new URL(baseUrl);
      url.pathname = `/${name}`;
      try {
        await migrate({ url: url.toString() });
      } catch (e) {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        throw e;
      }
    }
  } finally {
    await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
  }
  return name;
}

/**
 * A fresh database on the server named by TEST_DATABASE_URL, for one test file. Refuses any
 * server database whose name lacks "test", so a suite can never wipe real data.
 */
export async function createServerTestDatabase(baseUrl: string, opts: { migrated?: boolean } = {}): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = new URL(baseUrl);
  const baseName = decodeURIComponent(base.pathname.slice(1)) || 'postgres';
  if (!baseName.includes('test')) {
    throw new Error(`TEST_DATABASE_URL must name a database containing "test" (got "${baseName}")`);
  }
  const name = `${baseName}_${process.pid}_${randomBytes(4).toString('hex')}`.replace(/[^a-z0-9_]/gi, '_').toLowerCase();
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    // A copy of the run's migrated template, unless the test is about migrating (then empty).
    const template = opts.migrated === false ? 'template1' : await serverTemplate(admin, baseUrl, baseName);
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
