import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';

export interface StoredFile {
  sha256: string;
  size: number;
}

/**
 * Evidence file bodies, content-addressed under AKSI_FILES_DIR (`ab/abcdef….bin`): never in a
 * table. The same body uploaded twice is kept once. A file whose version row was never written
 * (a refused or failed move) stays as an orphan: harmless, and reused by the next identical upload.
 */
@Injectable()
export class EvidenceFiles {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  pathOf(sha256: string): string {
    return join(resolve(this.config.aksiFilesDir), sha256.slice(0, 2), `${sha256}.bin`);
  }

  /** Whether the store holds this body (a store restored without its files would lose them). */
  has(sha256: string): Promise<boolean> {
    return stat(this.pathOf(sha256)).then((s) => s.isFile(), () => false);
  }

  /** Hashes a received temp file and moves it into the store; the temp file is gone afterwards. */
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
