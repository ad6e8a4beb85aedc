import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { pino } from 'pino';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';
import { createLogger, PinoNestLogger } from './common/logging/logging.js';
import { type AppConfig, ConfigError, loadConfig } from './config/app-config.js';

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(); // fail before anything starts, naming each bad variable
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
  const bootLogger = new PinoNestLogger(createLogger(config.logLevel, pino.destination({ dest: 1, sync: true })));
  try {
    const app = await NestFactory.create(AppModule, { logger: bootLogger, bodyParser: false, abortOnError: false });
    configureApp(app);
    await app.listen(config.port);
    const url = `http://localhost:${config.port}/`;
    process.stdout.write(`Tuntas is running at ${url} (the console; API reference at ${url}docs)\n`);
  } catch (e) {
    // The message is the whole story (a locked data directory, an unreachable database); no stack.
    process.stderr.write(`Tuntas failed to start: ${(e as Error).message}\n`);
    process.exit(1);
  }
}

void bootstrap();
