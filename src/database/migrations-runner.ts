import type { DataSource, Migration } from 'typeorm';

/** Any constant shared by every Tuntas instance; it names the advisory lock. */
const MIGRATION_LOCK_KEY = 74_126_2011;

/**
 * Runs pending migrations. On a server, several replicas may start at once and TypeORM takes no
 * lock, so the run is serialised with a session advisory lock: the first applies, the others
 * wait and then find nothing to do. PGlite is one process and one connection, so no lock there.
 */
export async function runMigrations(ds: DataSource, mode: 'server' | 'embedded'): Promise<Migration[]> {
  if (mode === 'embedded') return ds.runMigrations({ transaction: 'each' });
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await ds.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
