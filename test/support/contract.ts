import type { INestApplication } from '@nestjs/common';
import type { RequestHandler } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { OpenAPIV3 } from 'express-openapi-validator/dist/framework/types.js';
import { buildOpenApiDocument } from '../../src/openapi/document.js';

/**
 * Every test app checks each JSON answer against the OpenAPI document the app serves at
 * /docs-json: its status must be documented for the route, and its body must match that status's
 * schema. express-openapi-validator does the checking (a maintained validator of OpenAPI 3
 * documents, on Ajv, that hooks into Express's res.json): requests are not validated here, the
 * app's own pipes do that. A mismatch is recorded, not answered, so the test goes on and its
 * close() fails with the list.
 *
 * The document is the same for every app of a run, so one validator (with its compiled schemas)
 * serves all the apps of a test file; each app's mismatches go to its own list.
 */
const violationsOf = new WeakMap<object, string[]>();
let shared: RequestHandler[] | undefined;

function validator(app: INestApplication): RequestHandler[] {
  shared ??= OpenApiValidator.middleware({
    apiSpec: buildOpenApiDocument(app) as unknown as OpenAPIV3.DocumentV3,
    validateRequests: false,
    validateSecurity: false,
    validateApiSpec: true,
    fileUploader: false,
    ignoreUndocumented: true,
    validateFormats: true,
    validateResponses: {
      onError: (err, _body, req) => {
        const route = (req as unknown as { openapi?: { openApiRoute?: string } }).openapi?.openApiRoute ?? req.path;
        violationsOf.get(req.app)?.push(`${req.method} ${route} → ${err.message}`);
      },
    },
  }) as unknown as RequestHandler[];
  return shared;
}

export function checkResponsesAgainstContract(app: INestApplication): string[] {
  const violations: string[] = [];
  violationsOf.set(app.getHttpAdapter().getInstance() as object, violations);
  for (const m of validator(app)) app.use(m);
  return violations;
}
