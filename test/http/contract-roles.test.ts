import pino from 'pino';
import request from 'supertest';
import { loadConfig, ROLES, type Role } from '../../src/config';
import { createApp } from '../../src/gateway/app';
import { AUTH, startGatewayHarness, type GatewayHarness } from './gateway-harness';

// CONTRACT.md, "Requests and errors": who may call what, read from the contract's own words rather than from
// the routes' declarations. A role the contract does not name gets 403 before anything else is looked at; a
// role it names is never refused for its role (it may still get 404 or 422 for this made-up request).
let gateway: GatewayHarness;

beforeAll(async () => {
  gateway = await startGatewayHarness('contract_roles');
});

afterAll(async () => {
  await gateway.close();
});

type Method = 'get' | 'post' | 'put' | 'patch';

interface Operation {
  method: Method;
  path: string;
  /** The roles the contract gives this operation; every other role must get 403. */
  allowed: readonly Role[];
}

const ORDER_READERS = ['channel', 'agent', 'admin'] as const;
const AGENTS = ['agent', 'admin'] as const;
const ADMIN = ['admin'] as const;
const NODE_STAFF = ['admin', 'node'] as const;

const OPERATIONS: readonly Operation[] = [
  { method: 'put', path: '/v1/nodes/N-ROLES', allowed: ADMIN },
  { method: 'get', path: '/v1/nodes', allowed: ADMIN },
  { method: 'put', path: '/v1/products/SKU-ROLES', allowed: ADMIN },
  { method: 'put', path: '/v1/inventory/SKU-ROLES/N-ROLES', allowed: ADMIN },
  { method: 'get', path: '/v1/inventory/SKU-ROLES/N-ROLES', allowed: ADMIN },
  { method: 'post', path: '/v1/inventory/adjustments', allowed: ADMIN },
  { method: 'post', path: '/v1/inventory/inbound', allowed: ADMIN },
  { method: 'post', path: '/v1/inventory/inbound/IN-ROLES/receive', allowed: ADMIN },
  { method: 'get', path: '/v1/availability?sku=SKU-ROLES', allowed: ORDER_READERS },
  { method: 'post', path: '/v1/orders', allowed: ORDER_READERS },
  { method: 'get', path: '/v1/orders/o-roles', allowed: ORDER_READERS },
  { method: 'get', path: '/v1/orders', allowed: ORDER_READERS },
  { method: 'post', path: '/v1/orders/o-roles/cancel', allowed: ORDER_READERS },
  { method: 'patch', path: '/v1/orders/o-roles', allowed: AGENTS },
  { method: 'post', path: '/v1/orders/o-roles/holds', allowed: AGENTS },
  { method: 'post', path: '/v1/orders/o-roles/holds/release', allowed: AGENTS },
  { method: 'post', path: '/v1/fulfillments/f-roles/ship', allowed: NODE_STAFF },
  { method: 'post', path: '/v1/fulfillments/f-roles/ready', allowed: NODE_STAFF },
  { method: 'post', path: '/v1/fulfillments/f-roles/picked-up', allowed: NODE_STAFF },
  { method: 'post', path: '/v1/webhooks/carrier', allowed: ['carrier'] },
  { method: 'post', path: '/v1/webhooks/payment', allowed: ['payment'] },
  { method: 'post', path: '/v1/orders/o-roles/returns', allowed: ORDER_READERS },
  // Node staff receive returns at their store too (README "Try it"): an addition to agent and admin.
  { method: 'post', path: '/v1/returns/o-roles-R1/receive', allowed: [...AGENTS, 'node'] },
  { method: 'get', path: '/v1/returns/o-roles-R1', allowed: [...ORDER_READERS, 'node'] },
];

const call = (operation: Operation, headers: Record<string, string>) =>
  request(gateway.app)[operation.method](operation.path).set(headers).send({});

describe.each(OPERATIONS)('$method $path', (operation) => {
  const refused = ROLES.filter((role) => !operation.allowed.includes(role));

  it('answers 401 problem+json without a key', async () => {
    const response = await request(gateway.app)[operation.method](operation.path).send({});
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers 403 problem+json to every role the contract does not name', async () => {
    for (const role of refused) {
      const response = await call(operation, AUTH[role]);
      expect({ role, status: response.status }).toEqual({ role, status: 403 });
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ type: '/problems/forbidden', status: 403 });
    }
  });

  it('never refuses a role the contract names for its role', async () => {
    for (const role of operation.allowed) {
      const response = await call(operation, AUTH[role]);
      expect({ role, status: response.status }).not.toEqual({ role, status: 403 });
      expect(response.status).not.toBe(401);
    }
  });
});

describe('OMS_API_KEYS', () => {
  const appWith = (env: NodeJS.ProcessEnv) =>
    createApp({
      config: loadConfig({ ...env, LOG_LEVEL: 'silent' }),
      collections: gateway.collections,
      temporal: gateway.temporal,
      logger: pino({ level: 'silent' }),
    });

  it('is required in production: starting without it is an error, never an open gateway', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/OMS_API_KEYS/);
    expect(() => loadConfig({ NODE_ENV: 'production', OMS_API_KEYS: '' })).toThrow(/OMS_API_KEYS/);
  });

  it('in production, only the configured keys open the gateway, not the dev keys', async () => {
    const app = appWith({ NODE_ENV: 'production', OMS_API_KEYS: 'prod-k1:admin' });
    expect((await request(app).get('/v1/nodes').set(AUTH.admin)).status).toBe(401);
    expect((await request(app).get('/v1/nodes').set('Authorization', 'Bearer prod-k1')).status).toBe(200);
  });

  it('gives each key of a key:role list its role', async () => {
    const app = appWith({ NODE_ENV: 'test', OMS_API_KEYS: 'k1:channel,k2:agent,k3:admin' });
    const nodesAs = (key: string) => request(app).get('/v1/nodes').set('Authorization', `Bearer ${key}`);
    expect((await nodesAs('k1')).status).toBe(403);
    expect((await nodesAs('k2')).status).toBe(403);
    expect((await nodesAs('k3')).status).toBe(200);
    const patchAs = (key: string) =>
      request(app).patch('/v1/orders/o-roles').set('Authorization', `Bearer ${key}`).send({});
    expect((await patchAs('k1')).status).toBe(403);
    expect((await patchAs('k2')).status).toBe(422);
  });

  it('refuses a list with a role it does not know at start-up', () => {
    expect(() => loadConfig({ OMS_API_KEYS: 'k1:superuser' })).toThrow(/OMS_API_KEYS/);
  });
});
