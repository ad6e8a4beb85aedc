import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';
import { APP_CONFIG, type AppConfig, ConfigError, loadConfig } from './config/app-config.js';
import { DataDirLockedError } from './database/embedded-postgres.js';

async function bootstrap(): Promise<void> {
  try {
    loadConfig(); // fail before anything starts, naming each bad variable
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  try {
    const app = await NestFactory.create(AppModule, { bufferLogs: true, bodyParser: false });
    configureApp(app);
    const config = app.get<AppConfig>(APP_CONFIG);
    await app.listen(config.port);
  } catch (e) {
    if (e instanceof DataDirLockedError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`Tuntas failed to start: ${(e as Error).message}\n`);
    process.exit(1);
  }
}

void bootstrap();
