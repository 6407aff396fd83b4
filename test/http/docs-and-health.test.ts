import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/gateway/app';
import { API_ROUTES } from '../../src/gateway/routes';
import { startGatewayHarness, type GatewayHarness } from './gateway-harness';

let gateway: GatewayHarness;

beforeAll(async () => {
  gateway = await startGatewayHarness('health');
});

afterAll(async () => {
  await gateway.close();
});

describe('API documentation', () => {
  it('serves an OpenAPI 3.1 document without a key', async () => {
    const response = await request(gateway.app).get('/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
  });

  it('lists every route with its method', async () => {
    const { body } = await request(gateway.app).get('/openapi.json');
    for (const route of API_ROUTES) {
      expect(body.paths[route.path]?.[route.method]?.operationId).toBe(route.operationId);
    }
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/orders',
        '/v1/orders/{orderId}',
        '/v1/nodes/{nodeId}',
        '/v1/availability',
      ]),
    );
  });

  it('describes request bodies with the zod schemas, unknown fields forbidden', async () => {
    const { body } = await request(gateway.app).get('/openapi.json');
    const schema = body.paths['/v1/orders'].post.requestBody.content['application/json'].schema;
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(['orderId', 'lines', 'payment']));
  });

  it('serves the Swagger UI page from the installed package', async () => {
    const page = await request(gateway.app).get('/docs/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger-ui');
    const initializer = await request(gateway.app).get('/docs/swagger-initializer.js');
    expect(initializer.text).toContain("url: '/openapi.json'");
  });
});

describe('health', () => {
  it('answers /healthz with 200', async () => {
    const response = await request(gateway.app).get('/healthz');
    expect(response.status).toBe(200);
  });

  it('answers /readyz with 503 and the reason when no worker polls the task queue', async () => {
    const response = await request(gateway.app).get('/readyz');
    expect(response.status).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.detail).toContain(
      `no worker is polling the task queue "${gateway.config.taskQueue}"`,
    );
    expect(response.body.detail).not.toMatch(/temporal is unreachable|database is unreachable/);
  });

  it('answers /readyz with 200 when the readiness check passes', async () => {
    const app = createApp({
      config: gateway.config,
      collections: gateway.collections,
      temporal: gateway.temporal,
      logger: pino({ level: 'silent' }),
      checkReadiness: async () => ({ ok: true, reasons: [] }),
    });
    const response = await request(app).get('/readyz');
    expect(response.status).toBe(200);
  });
});
