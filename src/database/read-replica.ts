import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isDatabaseUnavailable } from '../common/errors/pg-errors.js';

/**
 * Reads that may be a little stale: reports, dashboards and large lists. With DATABASE_READ_URL
 * they run on the read replica (TypeORM's replication, `defaultMode: 'master'`, so nothing else
 * ever goes there); without it, on the primary. A replica that cannot be reached is skipped for
 * the primary. Never use it for a read that a command's decision depends on: those run in the
 * command's transaction, on the primary.
 */
@Injectable()
export class ReadReplica {
  private readonly logger = new Logger(ReadReplica.name);

  constructor(private readonly ds: DataSource) {}

  get configured(): boolean {
    return Boolean((this.ds.options as { replication?: unknown }).replication);
  }

  async read<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    if (!this.configured) return work(this.ds.manager);
    const runner = this.ds.createQueryRunner('slave');
    try {
      return await work(runner.manager);
    } catch (e) {
      if (!isDatabaseUnavailable(e)) throw e;
      this.logger.warn('read replica unavailable; reading from the primary');
    } finally {
      await runner.release();
    }
    return work(this.ds.manager);
  }
}
