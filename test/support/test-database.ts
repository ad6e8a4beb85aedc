import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A fresh database on the server named by TEST_DATABASE_URL, for one test file. Refuses any
 * server database whose name lacks "test", so a suite can never wipe real data.
 */
export async function createServerTestDatabase(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = new URL(baseUrl);
  const baseName = decodeURIComponent(base.pathname.slice(1)) || 'postgres';
  if (!baseName.includes('test')) {
    throw new Error(`TEST_DATABASE_URL must name a database containing "test" (got "${baseName}")`);
  }
  const name = `${baseName}_${process.pid}_${randomBytes(4).toString('hex')}`.replace(/[^a-z0-9_]/gi, '_').toLowerCase();
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
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
