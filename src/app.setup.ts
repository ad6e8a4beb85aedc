import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter.js';
import { useJsonBodyParser } from './common/http/body-parser.js';
import { globalRateLimit } from './common/http/rate-limit.js';
import { securityHeaders } from './common/http/security-headers.js';
import { serveConsole } from './console/serve-console.js';
import { createValidationPipe } from './common/http/validation.js';
import { LOGGER, PinoNestLogger, requestLogger } from './common/logging/logging.js';
import { APP_CONFIG, type AppConfig } from './config/app-config.js';
import type { Logger } from 'pino';
import { buildOpenApiDocument } from './openapi/document.js';

/** Everything main.ts and the e2e tests share, so tests exercise the app as it is deployed. */
export function configureApp(app: INestApplication): INestApplication {
  const config = app.get<AppConfig>(APP_CONFIG);
  const logger = app.get<Logger>(LOGGER);
  app.useLogger(new PinoNestLogger(logger));
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  if (config.trustProxy) express.set('trust proxy', true);
  app.use(requestLogger(logger));
  app.use(securityHeaders());
  if (config.rateLimitPerMinute > 0) app.use(globalRateLimit(config.rateLimitPerMinute));
  serveConsole(express);
  useJsonBodyParser(app, config.bodyLimitBytes);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
