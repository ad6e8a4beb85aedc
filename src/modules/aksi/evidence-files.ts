import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { NotFound } from '../../common/errors/domain-error.js';

export interface StoredFile {
  sha256: string;
  size: number;
}

/**
 * Where evidence file bodies are kept, content-addressed (`ab/abcdef….bin`): never in a table.
 * The same body uploaded twice is kept once. A body whose version row was never written (a
 * refused or failed move) stays as an orphan: harmless, and reused by the next identical upload.
 * One implementation is chosen at start by the configuration (AksiModule): a directory, or an
 * S3-compatible bucket (s3-evidence-files.ts). The class is the injection token.
 */
export abstract class EvidenceFiles implements OnApplicationBootstrap {
  /** Where the bodies go, for the start-up log line: never a credential. */
  abstract readonly where: string;

  onApplicationBootstrap(): void {
    new Logger('EvidenceFiles').log(`8 Aksi evidence files are kept in the ${this.where}`);
  }

  /** Hashes a received temp file and puts it in the store; the temp file is gone afterwards, whatever happens. */
  abstract keep(tempPath: string): Promise<StoredFile>;

  /** Whether the store holds this body (a store restored without its files would lose them). */
  abstract has(sha256: string): Promise<boolean>;

  /** The body, streamed; NotFound('version file') when the store does not hold it. */
  abstract open(sha256: string): Promise<Readable>;
}

/** `ab/abcdef….bin`: the first two hex digits spread the bodies over 256 folders. */
export function keyOf(sha256: string): string {
  return `${sha256.slice(0, 2)}/${sha256}.bin`;
}

/** Under AKSI_FILES_DIR; on a cluster, a directory every replica shares. */
export class DirectoryEvidenceFiles extends EvidenceFiles {
  readonly where: string;

  constructor(private readonly dir: string) {
    super();
    this.where = `directory ${resolve(dir)}`;
  }

  pathOf(sha256: string): string {
    return join(resolve(this.dir), keyOf(sha256));
  }

  has(sha256: string): Promise<boolean> {
    return stat(this.pathOf(sha256)).then((s) => s.isFile(), () => false);
  }

  async open(sha256: string): Promise<Readable> {
    if (!(await this.has(sha256))) throw new NotFound('version file');
    return createReadStream(this.pathOf(sha256));
  }

  async keep(tempPath: string): Promise<StoredFile> {
    try {
      const sha256 = await sha256Of(tempPath);
      const { size } = await stat(tempPath);
      const target = this.pathOf(sha256);
      await mkdir(join(target, '..'), { recursive: true });
      const exists = await stat(target).then(() => true, () => false);
      if (!exists) {
        // A rename across file systems fails: copy to a temporary name, then rename atomically.
        await rename(tempPath, target).catch(async () => {
          const partial = `${target}.${process.pid}.part`;
          await copyFile(tempPath, partial);
          await rename(partial, target);
        });
      }
      return { sha256, size };
    } finally {
      await rm(tempPath, { force: true });
    }
  }
}

export function sha256Of(path: string): Promise<string> {
  return new Promise((ok, fail) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', fail)
      .on('end', () => ok(hash.digest('hex')));
  });
}
