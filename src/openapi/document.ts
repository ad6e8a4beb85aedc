import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject, ParameterObject, ReferenceObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { ERROR, ERROR_TEXT, eventSchemas, namedSchemas } from '../common/http/openapi.js';

const TAGS: [string, string][] = [
  ['auth', 'Log in: a bearer token for every other call'],
  ['users', 'Accounts, roles and the region or organisation each is bound to'],
  ['regions', 'Kemendagri region codes (provinces, regencies, districts, villages)'],
  ['opds', 'OPDs: the regency agencies that take follow-up tasks'],
  ['sponsors', 'CSR sponsors and the regencies they fund'],
  ['subjects', 'Children, mothers and brides-to-be; NIK encrypted, answered masked'],
  ['growth', 'Measurements scored against the WHO standards'],
  ['imports', 'e-PPGBM monthly exports'],
  ['cases', 'The stunting case: identified → audited → intervened → remeasured → resolved'],
  ['tasks', 'OPD follow-up tasks from an audit'],
  ['interventions', 'CSR interventions, their deliveries and sponsor reports'],
  ['families', 'Families (keluarga) and their KRS assessments: keluarga berisiko stunting'],
  ['tpk', 'TPK teams, their visits and what falls due, bride-to-be screenings and the monthly TPK report'],
  ['interop', 'FHIR export settings and status, and a child\'s growth as a FHIR Bundle'],
  ['escalation', 'SLA policies, overdue steps and the escalations they fired'],
  ['notifications', 'In-app inbox, outbox deliveries and webhooks'],
  ['privacy', "Data-subject rights: access, restriction, retention"],
  ['audit', 'The audit trail of reads and changes'],
  ['operations', 'Health'],
];

/** Whether every reference to a payload schema comes from an event schema built on it (events inline it). */
function onlyInEvents(schemas: Record<string, SchemaObject | ReferenceObject>, name: string): boolean {
  const ref = `"#/components/schemas/${name}"`;
  return Object.entries(schemas).every(([other, s]) => other === name || !JSON.stringify(s).includes(ref) || eventSchemas().has(other));
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * The OpenAPI document of the running app: the controllers' decorators, the named view schemas,
 * one schema per workflow event, and the answers every route of a kind can give (a secured route
 * 401/403, a route with input 400, a route on a record or naming one in its body 404), so no controller repeats them.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Tuntas API')
    .setDescription(
      'Case management for Audit Kasus Stunting. Log in at POST /api/v1/auth/login, then send the token as `Authorization: Bearer …`. ' +
        'Errors answer `{error, message, details}`; `details.fields` names each refused field with one reason, in English or Indonesian (`Accept-Language: id`).',
    )
    .setVersion('1')
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addServer('/', 'this server')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer');
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const doc = SwaggerModule.createDocument(app, builder.build(), {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  const schemas = (doc.components ??= {}).schemas ??= {};
  for (const [name, schema] of namedSchemas()) schemas[name] = schema;
  for (const [name, { event, payload, roles }] of eventSchemas()) {
    const base = schemas[payload] as SchemaObject | undefined;
    if (!base) throw new Error(`event ${name}: no schema for ${payload}`);
    schemas[name] = {
      type: 'object',
      description: `Sent by: ${roles.join(', ')}`,
      required: ['type', ...(base.required ?? [])],
      properties: { type: { type: 'string', enum: [event] }, ...(base.properties ?? {}) },
      additionalProperties: false,
    };
  }
  // A payload DTO lives on in its event's schema; left alone it would be an unused component.
  const payloads = new Set([...eventSchemas().values()].map((e) => e.payload));
  for (const name of payloads) {
    const rest = JSON.stringify({ ...doc, components: { ...doc.components, schemas: { ...schemas, [name]: undefined } } });
    if (!rest.includes(`"#/components/schemas/${name}"`) || onlyInEvents(schemas, name)) delete schemas[name];
  }
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method] as (OperationObject & { 'x-tuntas-public'?: boolean }) | undefined;
      if (!op) continue;
      const isPublic = op['x-tuntas-public'] === true;
      delete op['x-tuntas-public'];
      op.security = isPublic ? [] : [{ bearer: [] }];
      // @Headers('if-match') and @ApiHeader({name: 'If-Match'}) both list the header: keep the described one.
      const seen = new Set<string>();
      op.parameters = ((op.parameters ?? []) as ParameterObject[])
        .slice()
        .sort((a, b) => Number(Boolean(b.description)) - Number(Boolean(a.description)))
        .filter((p) => {
          const key = `${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`;
          return seen.has(key) ? false : (seen.add(key), true);
        });
      const params = op.parameters as ParameterObject[];
      const takesInput = Boolean(op.requestBody) || params.some((p) => p.in === 'query' || p.in === 'path' || p.in === 'header');
      // A body may be too large (BODY_LIMIT_BYTES); every route but /health sits behind the rate limit.
      const implied = [...(takesInput ? [400] : []), ...(isPublic ? [] : [401, 403]), ...(path.includes('{') || op.requestBody ? [404] : []), ...(op.requestBody ? [413] : []), ...(path === '/health' ? [] : [429])];
      for (const status of implied) {
        op.responses[status] ??= { description: ERROR_TEXT[status], content: { 'application/json': { schema: ERROR as ReferenceObject } } };
      }
      for (const [status, r] of Object.entries(op.responses) as [string, ResponseObject | ReferenceObject][]) {
        // Nest leaves a response without its own content type; errors are always JSON.
        if (Number(status) >= 400 && !('$ref' in r) && !r.content) r.content = { 'application/json': { schema: ERROR as ReferenceObject } };
      }
    }
  }
  return doc;
}
