import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/app.setup.js';
import { CLOCK } from '../../src/common/clock/clock.js';
import { LOG_DESTINATION } from '../../src/common/logging/logging.js';
import { APP_CONFIG, loadConfig } from '../../src/config/app-config.js';
import { checkResponsesAgainstContract } from './contract.js';
import { FixedClock } from './fixed-clock.js';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { MEMORY_DATA_DIR } from '../../src/config/app-config.js';
import { createServerTestDatabase, migratedEmbeddedTemplate } from './test-database.js';

export const ADMIN = { username: 'admin', password: 'admin-password-for-tests' };
export const T0 = new Date('2026-11-23T03:00:00Z');

export interface TestApp {
  app: INestApplication;
  http: () => ReturnType<typeof request>;
  clock: FixedClock;
  /** Every log line the app wrote. */
  logs: string[];
  sql: <T = Record<string, unknown>>(query: string, params?: unknown[]) => Promise<T[]>;
  dbMode: 'embedded' | 'server';
  /** The environment it was booted with: pass it again to boot the same database after close(). */
  env: Record<string, string>;
  /** Closes the app; the database of a server run is dropped unless `keepDatabase`. */
  close: (opts?: { keepDatabase?: boolean }) => Promise<void>;
  /** Drops a server database kept by close({ keepDatabase: true }). */
  dropDatabase: () => Promise<void>;
  /** Responses that did not match the OpenAPI document (method, path, status and why); close() fails on any. */
  contractViolations: string[];
}

/**
 * TEST_POOLER_URL (a transaction-mode pgbouncer in front of TEST_DATABASE_URL's server): the app's
 * pool goes through it, with named statements off; LISTEN and the migration lock go direct.
 */
function throughPooler(directUrl: string, poolerUrl: string): Record<string, string> {
  const pooled = new URL(poolerUrl);
  pooled.pathname = new URL(directUrl).pathname;
  return { DATABASE_URL: pooled.toString(), DATABASE_DIRECT_URL: directUrl, DB_NAMED_STATEMENTS: 'false' };
}

/**
 * Boots AppModule in-process as main.ts does, on in-memory PGlite, or on a fresh database of
 * the PostgreSQL server named by TEST_DATABASE_URL.
 */
export async function createTestApp(env: Record<string, string> = {}, opts: { providers?: [token: unknown, value: unknown][] } = {}): Promise<TestApp> {
  // A test that names its own DATA_DIR is about the embedded database, whatever the run's mode;
  // one that names a DATABASE_URL reuses that database (a restart) and leaves it in place.
  const serverUrl = env.DATA_DIR || env.DATABASE_URL ? undefined : process.env.TEST_DATABASE_URL;
  const serverDb = serverUrl ? await createServerTestDatabase(serverUrl) : undefined;
  const used: Record<string, string> = {
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'info',
    // Tests drive the sweep and the outbox themselves, with the injected clock.
    ESCALATION_SWEEP_INTERVAL_SECONDS: '0',
    PREVALENCE_FREEZE_INTERVAL_SECONDS: '0',
    NOTIFICATION_DELIVERY_INTERVAL_SECONDS: '0',
    FHIR_EXPORT_INTERVAL_SECONDS: '0',
    RETENTION_SWEEP_INTERVAL_SECONDS: '0',
    TIME_PARTITIONS_INTERVAL_SECONDS: '0',
    // One client sends every test's requests; the limit has its own test.
    RATE_LIMIT_PER_MINUTE: '0',
    // Evidence files of a test go to the system's temp directory, never the working tree.
    AKSI_FILES_DIR: join(tmpdir(), 'tuntas-test-aksi-files'),
    ...(serverDb || env.DATABASE_URL
      ? {
          ...(serverDb ? { DATABASE_URL: serverDb.url } : {}),
          ...(serverDb && process.env.TEST_POOLER_URL ? throughPooler(serverDb.url, process.env.TEST_POOLER_URL) : {}),
          DB_POOL_SIZE: '5',
          JWT_SECRET: 'test-jwt-secret-that-is-long-enough-0123456789',
          NIK_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
          NIK_HMAC_KEY: 'test-hmac-key-that-is-long-enough-0123456789',
        }
      : { DATA_DIR: MEMORY_DATA_DIR }),
    ...env,
  };
  // Every in-memory app starts from one migrated database per run instead of running every migration again.
  if (used.DATA_DIR === MEMORY_DATA_DIR && !used.DATABASE_URL) await startEmbeddedPostgres(MEMORY_DATA_DIR, await migratedEmbeddedTemplate());
  const config = loadConfig(used);
  const clock = new FixedClock(T0);
  const logs: string[] = [];
  const builder = Test.createTestingModule({ imports: [AppModule] });
  // A test may stand in for what reaches outside the process (DNS), as it does for the clock.
  for (const [token, value] of opts.providers ?? []) builder.overrideProvider(token as string).useValue(value);
  const moduleRef = await builder
    .overrideProvider(APP_CONFIG)
    .useValue(config)
    .overrideProvider(CLOCK)
    .useValue(clock)
    .overrideProvider(LOG_DESTINATION)
    .useValue({ write: (line: string) => void logs.push(line) })
    .compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, bufferLogs: true });
  configureApp(app);
  const contractViolations = checkResponsesAgainstContract(app);
  await app.init();
  const ds = app.get(DataSource);
  return {
    app,
    http: () => request(app.getHttpServer()),
    clock,
    logs,
    sql: (query, params) => ds.query(query, params),
    dbMode: config.database.mode,
    env: used,
    close: async (opts) => {
      await keepForHygieneCheck(ds, logs);
      await app.close();
      if (!opts?.keepDatabase) await serverDb?.drop();
      if (contractViolations.length) {
        throw new Error(`responses that do not match the OpenAPI document:\n${[...new Set(contractViolations)].join('\n')}`);
      }
    },
    dropDatabase: async () => {
      await serverDb?.drop();
    },
    contractViolations,
  };
}

/**
 * Every app's log lines, and the personal data its database held, go to a directory that the
 * global teardown greps once the whole suite has run: no log line may carry any of it.
 */
async function keepForHygieneCheck(ds: DataSource, logs: string[]): Promise<void> {
  const dir = process.env.TUNTAS_TEST_LOG_DIR;
  if (!dir) return;
  let names: string[] = [];
  try {
    const rows: { name: string | null; mother_name: string | null; address: string | null }[] = await ds.query(
      `SELECT name, mother_name, address FROM subjects WHERE anonymised_at IS NULL`,
    );
    names = rows.flatMap((r) => [r.name, r.mother_name, r.address]).filter((x): x is string => !!x);
  } catch {
    // a test that dropped or never migrated its schema has no subjects to keep
  }
  const file = join(dir, `${process.pid}-${randomUUID()}`);
  writeFileSync(`${file}.log`, logs.join(''));
  writeFileSync(`${file}.names.json`, JSON.stringify(names));
}

export async function login(t: TestApp, username: string, password: string): Promise<string> {
  const res = await t.http().post('/api/v1/auth/login').send({ username, password });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken as string;
}
