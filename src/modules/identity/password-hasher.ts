import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';

/** `Algorithm.Argon2id`: the package declares it as a const enum, which isolatedModules cannot import. */
const ARGON2ID = 2;

/**
 * argon2id with OWASP's minimum profile (19 MiB, t=2, p=1). The parameters are stored in each
 * hash, so raising them later keeps old hashes verifiable.
 */
@Injectable()
export class PasswordHasher {
  private static readonly options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
  /** Verified against when the username is unknown, so both failures take the same time. */
  private dummyHash: Promise<string> | undefined;

  hash(password: string): Promise<string> {
    return hash(password, PasswordHasher.options);
  }

  async verify(stored: string | undefined, password: string): Promise<boolean> {
    this.dummyHash ??= this.hash('tuntas-dummy-password');
    try {
      return await verify(stored ?? (await this.dummyHash), password);
    } catch {
      return false;
    }
  }
}
