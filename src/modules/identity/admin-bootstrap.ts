import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { PasswordHasher } from './password-hasher.js';
import { UsersRepository } from './users.repository.js';

/**
 * With an empty users table, creates the national admin from ADMIN_USERNAME/ADMIN_PASSWORD.
 * There is no built-in password: embedded mode generates one and prints it once; server mode
 * refuses to start without one, since server logs usually travel further than a terminal.
 */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrap.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (await this.users.findByUsername(this.config.adminUsername)) return;
    let password = this.config.adminPassword;
    const generated = password === undefined;
    if (generated) {
      if (this.config.database.mode === 'server') {
        if (!(await this.users.hasAny())) {
          throw new Error('ADMIN_PASSWORD is required to create the first admin on a new database');
        }
        return;
      }
      password = randomBytes(15).toString('base64url');
    }
    const now = this.clock.now();
    const created = await this.users.insertFirstAdmin({
      id: randomUUID(),
      username: this.config.adminUsername,
      passwordHash: await this.hasher.hash(password!),
      displayName: 'Administrator',
      role: 'admin',
      regencyCode: null,
      provinceCode: null,
      opdId: null,
      sponsorId: null,
      email: null,
      active: true,
      tokenVersion: 0,
      createdAt: now,
      updatedAt: now,
    });
    if (!created) return;
    this.logger.debug({ username: this.config.adminUsername }, 'created the first admin');
    if (generated && this.config.database.mode === 'embedded' && this.config.database.dataDir !== 'memory://') {
      process.stdout.write(framed(['Tuntas: the first admin was created.', '', `username: ${this.config.adminUsername}`, `password: ${password}`, '', 'This password is shown only once.', 'Log in and change it (PATCH /api/v1/users/{id}).']));
    }
  }
}

/** Lines in a box, so the one-time password stands out of the log lines around it. */
export function framed(lines: string[]): string {
  const width = Math.max(...lines.map((l) => l.length));
  const bar = '═'.repeat(width + 4);
  return `\n╔${bar}╗\n${lines.map((l) => `║  ${l.padEnd(width)}  ║`).join('\n')}\n╚${bar}╝\n\n`;
}
