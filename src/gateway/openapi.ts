import { z } from 'zod';
import { Problem } from './problem';
import type { Route } from './route';

type JsonSchema = Record<string, unknown>;
type Operation = Record<string, unknown>;

/** A zod schema as an embedded JSON Schema (OpenAPI 3.1 speaks draft 2020-12). */
function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** One OpenAPI parameter per property of an object schema (path or query). */
function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query'): Operation[] {
  if (!schema) return [];
  const json = toSchema(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(description ? { description } : {}),
      schema: propertySchema,
    };
  });
}

const problemResponse = (description: string): Operation => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** The failures every authenticated operation can answer, besides its own. */
function standardProblems(route: Route): Record<string, Operation> {
  const validates = Boolean(route.body ?? route.query ?? route.params);
  return {
    ...(route.body ? { 400: problemResponse('Malformed JSON') } : {}),
    401: problemResponse('Missing or unknown API key'),
    403: problemResponse(`The key's role is not one of: ${route.roles.join(', ')}`),
    ...(route.body ? { 413: problemResponse('Body larger than the limit') } : {}),
    ...(validates || route.idempotencyKey ? { 422: problemResponse('Validation failed; see `errors`') } : {}),
    500: problemResponse('Unexpected error (details are in the log, never in the answer)'),
  };
}

function responsesOf(route: Route): Record<string, Operation> {
  const own = Object.fromEntries(
    Object.entries(route.responses).map(([status, response]) => {
      const headers = Object.fromEntries(
        Object.entries(response.headers ?? {}).map(([name, description]) => [
          name,
          { description, schema: { type: 'string' } },
        ]),
      );
      const answer: Operation = response.schema
        ? {
            description: response.description,
            content: { 'application/json': { schema: toSchema(response.schema, 'output') } },
          }
        : Number(status) >= 400
          ? problemResponse(response.description)
          : { description: response.description };
      return [status, Object.keys(headers).length > 0 ? { ...answer, headers } : answer];
    }),
  );
  return { ...standardProblems(route), ...own };
}

const IDEMPOTENCY_KEY_PARAMETER: Operation = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a retry safe: the first answer for this key (per role, method and path) is replayed for the same ' +
    'body (with `Idempotent-Replayed: true`). The same key with another body is a 422; while the first ' +
    'request is still running, a 409.',
  schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,200}$' },
};

function operationOf(route: Route): Operation {
  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    description: [route.description, `Roles: ${route.roles.join(', ')}.`].filter(Boolean).join('\n\n'),
    'x-roles': route.roles,
    security: [{ apiKey: [] }],
    parameters: [
      ...parametersOf(route.params, 'path'),
      ...parametersOf(route.query, 'query'),
      ...(route.idempotencyKey ? [IDEMPOTENCY_KEY_PARAMETER] : []),
    ],
    ...(route.body
      ? {
          requestBody: {
            required: !route.bodyOptional,
            content: { 'application/json': { schema: toSchema(route.body, 'input') } },
          },
        }
      : {}),
    responses: responsesOf(route),
  };
}

const DESCRIPTION = `The HTTP door of Couture OMS. Every \`/v1\` route needs \`Authorization: Bearer <api key>\`;
the key's role (channel, agent, admin, carrier, payment, node) decides what it may do.

Errors are RFC 9457 \`application/problem+json\` with \`type\` (\`/problems/<kind>\`), \`title\`, \`status\`,
\`detail\`, \`requestId\` (also sent as \`X-Request-Id\`) and, for validation failures, \`errors: [{path, message}]\`
where \`path\` is dotted (\`lines.0.quantity\`). Unknown fields in a body or query are rejected with 422.

Money is integer minor units with an ISO 4217 currency; timestamps are ISO 8601 UTC.
Lists answer \`{items: [...]}\` (and \`nextCursor\` when there is more).`;

const UNAUTHENTICATED = (summary: string, description: string, schema?: JsonSchema): Operation => ({
  tags: ['Operations'],
  summary,
  security: [],
  responses: {
    200: { description, ...(schema ? { content: { 'application/json': { schema } } } : {}) },
  },
});

/** The OpenAPI 3.1 document of the whole API, generated from the routes' own zod schemas. */
export function buildOpenApiDocument(routes: readonly Route[]): Record<string, unknown> {
  const paths: Record<string, Record<string, Operation>> = {
    '/healthz': { get: UNAUTHENTICATED('Liveness', 'The process is up') },
    '/readyz': {
      get: {
        ...UNAUTHENTICATED('Readiness', 'Temporal, the database and at least one worker are reachable'),
        responses: {
          200: { description: 'Ready' },
          503: problemResponse('Not ready; `detail` names what is missing'),
        },
      },
    },
    '/openapi.json': { get: UNAUTHENTICATED('This document', 'The OpenAPI document') },
  };
  for (const route of routes) {
    paths[route.path] = { ...paths[route.path], [route.method]: operationOf(route) };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Couture OMS API', version: '1', description: DESCRIPTION },
    servers: [{ url: '/' }],
    tags: [...new Set(routes.map((route) => route.tag)), 'Operations'].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from OMS_API_KEYS' },
      },
      schemas: { Problem: toSchema(Problem, 'output') },
    },
  };
}
