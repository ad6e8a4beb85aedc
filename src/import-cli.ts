import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { AppModule } from './app.module.js';
import { APP_CONFIG, type AppConfig, ConfigError } from './config/app-config.js';
import { actorOf } from './modules/identity/actor.js';
import { UsersRepository } from './modules/identity/users.repository.js';
import { ImportsService } from './modules/imports/imports.service.js';
import { sniffFormat } from './modules/imports/table-reader.js';

/**
 * `npm run import:eppgbm -- FILE --regency 3216 [--user USERNAME]`: the same import as
 * POST /api/v1/imports/eppgbm, from the shell, with a progress line. In embedded mode the
 * service must be stopped first: one process at a time owns ./data.
 */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const file = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  const regency = opt('regency');
  if (!file || !regency) {
    process.stderr.write('usage: npm run import:eppgbm -- FILE --regency 3216 [--sheet NAME] [--user USERNAME]\n');
    return 2;
  }
  if (!existsSync(file)) {
    process.stderr.write(`no such file: ${file}\n`);
    return 2;
  }
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'], abortOnError: false });
  try {
    const config = app.get<AppConfig>(APP_CONFIG);
    const username = opt('user') ?? config.adminUsername;
    const user = await app.get(UsersRepository).findByUsername(username);
    if (!user || !user.active) throw new Error(`no active user ${username} (use --user)`);
    const actor = actorOf(user);
    const imports = app.get(ImportsService);
    const sniffed = await sniffFormat(file);
    if ('refused' in sniffed) throw new Error(sniffed.refused);
    const job = await imports.create(actor, regency, basename(file), sniffed.format);
    const line = (j: typeof job) =>
      `rows ${j.rowsRead.toLocaleString('en')}  taken ${j.rowsTaken.toLocaleString('en')}  duplicate ${j.rowsDuplicate.toLocaleString('en')}` +
      `  rejected ${j.rowsRejected.toLocaleString('en')}  cases opened ${j.casesOpened}  re-measured ${j.casesRemeasured}`;
    const started = performance.now();
    const done = await imports.run(actor, job, file, { format: sniffed.format, sheet: opt('sheet'), keepFile: true, onProgress: (j) => process.stderr.write(`\r${line(j)}`) });
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(`\r${line(done)}\n`);
    process.stderr.write(
      `${seconds.toFixed(1)} s, ${(done.rowsRead / seconds).toFixed(0)} rows/s, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB\n`,
    );
    if (done.status !== 'done') {
      process.stderr.write(`import failed: ${done.error}\n`);
      return 1;
    }
    process.stdout.write(`import ${done.id} done; rejected rows: GET /api/v1/imports/${done.id}/rejections.csv\n`);
    return 0;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof ConfigError ? e.message : `import failed: ${(e as Error).message}`}\n`);
    process.exit(1);
  },
);
