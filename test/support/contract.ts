import type { INestApplication } from '@nestjs/common';
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
 */
export function checkResponsesAgainstContract(app: INestApplication): string[] {
  const violations: string[] = [];
  const apiSpec = buildOpenApiDocument(app) as unknown as OpenAPIV3.DocumentV3;
  const middleware = OpenApiValidator.middleware({
    apiSpec,
    validateRequests: false,
    validateSecurity: false,
    validateApiSpec: true,
    fileUploader: false,
    ignoreUndocumented: true,
    validateFormats: true,
    validateResponses: {
      onError: (err, _body, req) => {
        const route = (req as unknown as { openapi?: { openApiRoute?: string } }).openapi?.openApiRoute ?? req.path;
        violations.push(`${req.method} ${route} → ${err.message}`);
      },
    },
  });
  for (const m of middleware) app.use(m);
  return violations;
}
