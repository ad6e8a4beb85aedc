import pg from 'pg';
import type { DataSource, Migration } from 'typeorm';

/** Any constant shared by every Tuntas instance; it names the advisory lock. */
const MIGRATION_LOCK_KEY = 74_126_2011;

/**
 * Runs pending migrations. On a server, several replicas may start at once and TypeORM takes no
 * lock, so the run is serialised with a session advisory lock: the first applies, the others
 * wait and then find nothing to do. PGlite is one process and one connection, so no lock there.
 * `lockUrl` (the direct connection) holds the lock when the pool goes through a transaction-mode
 * pooler, where a session lock taken on one server connection could be released on another.
 */
export async function runMigrations(ds: DataSource, mode: 'server' | 'embedded', lockUrl?: string): Promise<Migration[]> {
  if (mode === 'embedded') return ds.runMigrations({ transaction: 'each' });
  const session = lockUrl ? new pg.Client({ connectionString: lockUrl }) : undefined;
  const runner = session ? undefined : ds.createQueryRunner();
  const lockQuery = (sql: string) => (session ? session.query(sql, [MIGRATION_LOCK_KEY]) : runner!.query(sql, [MIGRATION_LOCK_KEY]));
  if (session) await session.connect();
  else await runner!.connect();
  try {
    await lockQuery('SELECT pg_advisory_lock($1)');
    return await ds.runMigrations({ transaction: 'each' });
  } finally {
    await lockQuery('SELECT pg_advisory_unlock($1)').catch(() => undefined);
    if (session) await session.end().catch(() => undefined);
    else await runner!.release();
  }
}
