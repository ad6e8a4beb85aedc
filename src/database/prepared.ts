import type { Pool, PoolClient } from 'pg';
import type { EntityManager } from 'typeorm';

/** Set in the pool options (`extra`) by buildDataSourceOptions; read back per statement. */
export const NAMED_STATEMENTS_OPTION = 'tuntasNamedStatements';

/**
 * Runs a named prepared statement on the manager's connection (its transaction, if any).
 * PostgreSQL then plans the statement once per connection instead of on every call; use it for
 * the few statements every request or transition runs. Errors carry the driver's SQLSTATE.
 * Behind a transaction-mode pooler (DB_NAMED_STATEMENTS=false) a statement prepared on one
 * server connection is unknown on the next, so the statement is sent unnamed instead.
 */
export async function preparedQuery<T>(em: EntityManager, name: string, text: string, values: unknown[]): Promise<T[]> {
  const extra = (em.connection.options as { extra?: Record<string, unknown> }).extra;
  const query = extra?.[NAMED_STATEMENTS_OPTION] !== false ? { name, text, values } : { text, values };
  const borrowed = em.queryRunner;
  if (!borrowed) {
    // Outside a transaction the pool lends a connection for the one statement: no query runner
    // to build and release around it (a fifth of an authenticated primary-key read's time).
    const pool = (em.connection.driver as unknown as { master?: Pool }).master;
    if (pool) return (await pool.query<T & Record<string, unknown>>(query)).rows;
  }
  const runner = borrowed ?? em.connection.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    return (await client.query<T & Record<string, unknown>>(query)).rows;
  } finally {
    if (!borrowed) await runner.release();
  }
}

/**
 * The rows of an UPDATE or DELETE … RETURNING run through TypeORM's `query()`, which answers
 * those with `[rows, affectedCount]` (and SELECT/INSERT with the rows alone).
 */
export function returnedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
