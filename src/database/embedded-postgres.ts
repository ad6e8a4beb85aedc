import { PGlite } from '@electric-sql/pglite';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { MEMORY_DATA_DIR } from '../config/app-config.js';

export class DataDirLockedError extends Error {}

/**
 * PGlite does not lock its data directory, and a second process writing to it silently loses
 * data. So we hold a lock file with our pid; a stale one (its process gone) is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, '.tuntas.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => rmSync(file, { force: true });
      process.once('exit', release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(file, 'utf8'));
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new DataDirLockedError(
          `The data directory ${dataDir} is in use by another Tuntas process (pid ${pid}). ` +
            'Stop that process first, or set DATABASE_URL to use a PostgreSQL server.',
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new DataDirLockedError(`could not lock the data directory ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface EmbeddedPostgres {
  /** Spread into TypeORM's options: a pg Pool config whose connection is PGlite, in-process. */
  readonly extra: Record<string, unknown>;
  /** The whole data directory as a tarball, to start another in-memory database from. */
  dump(): Promise<Blob>;
  stop(): Promise<void>;
}

let running: { dataDir: string; db: Promise<EmbeddedPostgres> } | undefined;

/**
 * One PGlite per process and data directory; PGlite is a single connection. An in-memory database
 * may start from a dump of another (`PGlite.dumpDataDir`): the tests' migrated template.
 */
export function startEmbeddedPostgres(dataDir: string, from?: Blob): Promise<EmbeddedPostgres> {
  if (running && running.dataDir === dataDir && !from) return running.db;
  if (running) throw new Error(`embedded PostgreSQL already runs on ${running.dataDir}`);
  if (from && dataDir !== MEMORY_DATA_DIR) throw new Error('only an in-memory database starts from a dump');
  const db = open(dataDir, from);
  const entry = { dataDir, db };
  running = entry;
  // A failed start is not cached: the next call tries again.
  db.catch(() => {
    if (running === entry) running = undefined;
  });
  return db;
}

async function open(dataDir: string, from?: Blob): Promise<EmbeddedPostgres> {
  let unlock = () => {};
  let location = MEMORY_DATA_DIR;
  if (dataDir !== MEMORY_DATA_DIR) {
    mkdirSync(dataDir, { recursive: true });
    unlock = lockDataDir(dataDir);
    location = join(dataDir, 'pglite');
  }
  try {
    const pglite = await PGlite.create(location, from ? { loadDataDir: from } : {});
    const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
    return {
      extra: { ...createPgConfig(pglite) },
      dump: () => pglite.dumpDataDir('none'),
      async stop() {
        await pglite.close();
        unlock();
        running = undefined;
      },
    };
  } catch (e) {
    unlock();
    throw e;
  }
}

export async function stopEmbeddedPostgres(): Promise<void> {
  if (running) await (await running.db).stop();
}
