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
/**
 * Operations whose answers are not in the document yet: the families, TPK visits and FHIR export
 * routes (issues 17 and 20) landed after the contract was written. Their summaries, parameters,
 * errors and security are documented and linted; their response schemas are owed. Listed here,
 * by name, so the list can only shrink: a new route without its schema still fails.
 */
export const RESPONSES_NOT_YET_DOCUMENTED: readonly string[] = [
  'GET /api/v1/families', 'POST /api/v1/families', 'GET /api/v1/families/{id}', 'PATCH /api/v1/families/{id}',
  'POST /api/v1/families/{id}/assessments', 'GET /api/v1/krs-policies/{regencyCode}', 'POST /api/v1/krs-policies/{regencyCode}',
  'POST /api/v1/imports/families', 'GET /api/v1/tpk-teams', 'POST /api/v1/tpk-teams', 'GET /api/v1/tpk-teams/{id}',
  'PATCH /api/v1/tpk-teams/{id}', 'GET /api/v1/visits', 'POST /api/v1/visits', 'GET /api/v1/visits/due',
  'GET /api/v1/subjects/{id}/screenings', 'POST /api/v1/subjects/{id}/screenings', 'GET /api/v1/screening-tables/{regencyCode}',
  'POST /api/v1/screening-tables/{regencyCode}', 'GET /api/v1/reports/tpk', 'GET /api/v1/fhir-settings/{regencyCode}',
  'PUT /api/v1/fhir-settings/{regencyCode}', 'GET /api/v1/fhir-exports', 'POST /api/v1/fhir-exports/{id}/retry',
  'GET /api/v1/fhir/Patient/{subjectId}/$everything',
];

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
        const operation = `${req.method} ${route.replace(/:(\w+)/g, '{$1}')}`;
        if (RESPONSES_NOT_YET_DOCUMENTED.includes(operation)) return;
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
