import { applyDecorators, type Type } from '@nestjs/common';
import { ApiBody, ApiExtension, ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { type ErrorCode, HTTP_STATUS } from '../errors/domain-error.js';

/**
 * The OpenAPI document is the contract (test/e2e/contract.e2e-spec.ts validates every response of
 * the main flows against it). Request bodies come from the DTOs' @ApiProperty; response shapes,
 * which are plain view objects built by the services, are declared here once as named schemas.
 */
export type Schema = SchemaObject | ReferenceObject;

const registry = new Map<string, SchemaObject>();

/** A schema kept by name for inlining only (a nullable copy), not published as a component. */
const unpublished = new Set<string>();
export function inlineOnly(name: string, schema: SchemaObject): ReferenceObject {
  unpublished.add(name);
  return named(name, schema);
}

/** Registers a named component schema and returns a reference to it. */
export function named(name: string, schema: SchemaObject): ReferenceObject {
  const known = registry.get(name);
  if (known && JSON.stringify(known) !== JSON.stringify(schema)) throw new Error(`schema ${name} declared twice, differently`);
  registry.set(name, schema);
  return { $ref: `#/components/schemas/${name}` };
}

export function namedSchemas(): ReadonlyMap<string, SchemaObject> {
  return new Map([...registry].filter(([name]) => !unpublished.has(name)));
}

// Small builders, so a view's schema reads like its TypeScript interface.
export const str = (extra: SchemaObject = {}): SchemaObject => ({ type: 'string', ...extra });
export const int = (extra: SchemaObject = {}): SchemaObject => ({ type: 'integer', ...extra });
export const num = (extra: SchemaObject = {}): SchemaObject => ({ type: 'number', ...extra });
export const bool = (extra: SchemaObject = {}): SchemaObject => ({ type: 'boolean', ...extra });
export const uuid = (extra: SchemaObject = {}): SchemaObject => ({ type: 'string', format: 'uuid', ...extra });
export const dateTime = (extra: SchemaObject = {}): SchemaObject => ({ type: 'string', format: 'date-time', ...extra });
export const day = (): SchemaObject => ({ type: 'string', format: 'date' });
export const oneOfValues = (values: readonly string[], extra: SchemaObject = {}): SchemaObject => ({ type: 'string', enum: [...values], ...extra });
export const arr = (items: Schema, extra: SchemaObject = {}): SchemaObject => ({ type: 'array', items, ...extra });
/** Any JSON object (free-form payloads such as a history entry's). */
export const anyObject = (description?: string): SchemaObject => ({ type: 'object', additionalProperties: true, ...(description ? { description } : {}) });

/** `null` or the schema (OpenAPI 3.0: a $ref cannot carry `nullable`, so it is wrapped). */
export function nullable(s: Schema): SchemaObject {
  // A $ref cannot carry `nullable` in OpenAPI 3.0, and allOf would refuse the null: inline a copy.
  if ('$ref' in s) {
    const target = registry.get(s.$ref.replace('#/components/schemas/', ''));
    if (!target) throw new Error(`nullable(${s.$ref}): declare the schema first`);
    return nullable(target);
  }
  // An enum lists null too, or a validator refuses the null that `nullable` allows.
  return { ...s, nullable: true, ...(s.enum ? { enum: [...s.enum, null] } : {}) };
}

/** An object whose listed properties are all required, but those named in `optional`. */
export function obj(properties: Record<string, Schema>, optional: string[] = [], extra: SchemaObject = {}): SchemaObject {
  const required = Object.keys(properties).filter((k) => !optional.includes(k));
  return { type: 'object', properties, ...(required.length ? { required } : {}), ...extra };
}

/** Every list answers `{items, nextCursor}`; `nextCursor` is null on the last page. */
export function pageOf(item: Schema): SchemaObject {
  return obj({
    items: arr(item),
    nextCursor: nullable(str({ description: 'pass as ?cursor= for the next page; null on the last page' })),
  });
}

export const FIELD_PROBLEM = named(
  'FieldProblem',
  obj(
    {
      field: str({ example: 'weightKg', description: 'the field, header or query parameter, dotted for nested ones (recommendations.0.opdCode)' }),
      reason: str({ example: 'must be a number', description: 'one reason, the most basic first (missing, then type, then range), in the language asked for' }),
    },
    [],
  ),
);

export const ERROR = named(
  'Error',
  obj(
    {
      error: oneOfValues(Object.keys(HTTP_STATUS), { description: 'a stable code; the HTTP status follows from it' }),
      message: str({ description: 'one sentence for people, in English or Indonesian (Accept-Language: id)' }),
      details: obj(
        {
          fields: arr(FIELD_PROBLEM, { description: 'VALIDATION_FAILED: one entry per field' }),
          allowedEvents: arr(str(), { description: 'INVALID_TRANSITION: what may be sent now' }),
          currentVersion: int({ description: 'VERSION_CONFLICT: the version to read again' }),
        },
        ['fields', 'allowedEvents', 'currentVersion'],
        { additionalProperties: true },
      ),
    },
    [],
  ),
);

const ERROR_TEXT: Record<number, string> = {
  400: 'VALIDATION_FAILED or MALFORMED_JSON: details.fields names each field and its reason',
  401: 'UNAUTHENTICATED: no token, an expired one, or a disabled user',
  403: 'FORBIDDEN: your role may not do this, or not in this region',
  404: 'NOT_FOUND: no such record in your scope',
  409: 'CONFLICT, DUPLICATE_SUBJECT, VERSION_CONFLICT or INVALID_TRANSITION',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE: send application/json',
  422: 'GUARD_FAILED (the rule says why) or IDEMPOTENCY_KEY_REUSED',
  428: 'PRECONDITION_REQUIRED: send If-Match with the version you read',
  429: 'RATE_LIMITED: too many requests, try again later',
  503: 'SERVICE_UNAVAILABLE: the database (or the evidence file store) cannot be reached; retry',
};

/** The error answers a route can give beyond the ones every route of its kind gives (see buildOpenApiDocument). */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: ERROR_TEXT[status] ?? 'error', schema: ERROR })));
}

export { ERROR_TEXT };

/** The success answer: its status and its schema (a named reference, a DTO class, or an inline schema). */
export function ApiAnswer(status: number, schema: Schema | Type<unknown> | null, description = 'done'): MethodDecorator {
  if (schema === null) return applyDecorators(ApiResponse({ status, description }));
  if (typeof schema === 'function') return applyDecorators(ApiExtraModels(schema), ApiResponse({ status, description, schema: { $ref: getSchemaPath(schema) } }));
  return applyDecorators(ApiResponse({ status, description, schema }));
}

/** A list answer, `{items, nextCursor}`. */
export function ApiPage(item: Schema | Type<unknown>, description = 'one page'): MethodDecorator {
  const ref = typeof item === 'function' ? { $ref: getSchemaPath(item) } : item;
  const decorators = [ApiResponse({ status: 200, description, schema: pageOf(ref) })];
  if (typeof item === 'function') decorators.unshift(ApiExtraModels(item));
  return applyDecorators(...decorators);
}

/** A CSV download. */
export function ApiCsv(description: string): MethodDecorator {
  return applyDecorators(ApiResponse({ status: 200, description, content: { 'text/csv': { schema: { type: 'string' } } } }));
}

/** Marks a route the document lists with `security: []` (no token). */
export const ApiPublic = () => ApiExtension('x-tuntas-public', true);

/**
 * An event route's body: one schema per event, `oneOf` with `type` as the discriminator, each
 * naming the roles that may send it. The payload DTO's own schema is extended with `type` when
 * the document is built.
 */
export function ApiEventBody(prefix: string, payloads: Record<string, Type<unknown>>, roles: Record<string, readonly string[]>, example: object): MethodDecorator {
  const events = Object.keys(payloads);
  for (const e of events) pendingEvents.set(`${prefix}_${e}`, { event: e, payload: payloads[e].name, roles: roles[e] ?? [] });
  const mapping = Object.fromEntries(events.map((e) => [e, `#/components/schemas/${prefix}_${e}`]));
  return applyDecorators(
    ApiExtraModels(...new Set(Object.values(payloads))),
    ApiBody({
      schema: {
        oneOf: events.map((e) => ({ $ref: mapping[e] })),
        discriminator: { propertyName: 'type', mapping },
        example,
      },
    }),
  );
}

const pendingEvents = new Map<string, { event: string; payload: string; roles: readonly string[] }>();

/** Event schemas to derive from their payload DTOs' schemas once the document exists. */
export function eventSchemas(): ReadonlyMap<string, { event: string; payload: string; roles: readonly string[] }> {
  return pendingEvents;
}

export const errorCodesFor = (status: number): ErrorCode[] =>
  (Object.entries(HTTP_STATUS) as [ErrorCode, number][]).filter(([, s]) => s === status).map(([c]) => c);
