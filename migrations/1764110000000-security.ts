import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The login limiter's counters (rate-limiter-flexible's RateLimiterPostgres layout), so every
 * replica counts the same attempts. Keys are hashes of the address and username, never the clear text.
 */
export class Security1764110000000 implements MigrationInterface {
  name = 'Security1764110000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rate_limits (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limits`);
  }
}
