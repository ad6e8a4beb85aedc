import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { buildOpenApiDocument } from './openapi/document.js';

/**
 * Writes the OpenAPI document to a file (or stdout) without a database or a server: Nest's preview
 * mode builds the module graph without instantiating anything. `npm run lint` lints what it writes.
 */
async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule, { preview: true, logger: false, abortOnError: false });
  const json = `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
  const out = process.argv[2];
  if (out) writeFileSync(out, json);
  else process.stdout.write(json);
  await app.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`openapi: ${(e as Error).message}\n`);
  process.exit(1);
});
