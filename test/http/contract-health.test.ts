import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import request from 'supertest';
import type { Collections } from '../../src/db/collections';
import { createApp } from '../../src/gateway/app';
import { startGatewayHarness, type GatewayHarness } from './gateway-harness';

// CONTRACT.md: "GET /readyz answers 200 only when Temporal, the database and at least one worker are
// reachable, else 503 with the reason" — here each dependency down in turn, with the real readiness probes.
let gateway: GatewayHarness;
let deadConnection: Connection;

beforeAll(async () => {
  gateway = await startGatewayHarness('contract_health');
  // Port 9 (discard) has no Temporal behind it: every call on this lazy connection fails.
  deadConnection = Connection.lazy({ address: '127.0.0.1:9' });
});

afterAll(async () => {
  await deadConnection.close();
  await gateway.close();
});

const logger = pino({ level: 'silent' });

test('/readyz answers 503 naming the database when it cannot be reached, and /healthz still 200', async () => {
  const unreachableDb = {
    command: () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.7:27017')),
  };
  const orders = { db: unreachableDb } as unknown as Collections['orders'];
  const app = createApp({
    config: gateway.config,
    collections: { ...gateway.collections, orders },
    temporal: gateway.temporal,
    logger,
  });
  const ready = await request(app).get('/readyz');
  expect(ready.status).toBe(503);
  expect(ready.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(ready.body.detail).toContain('database is unreachable');
  expect(ready.body.detail).not.toContain('10.0.0.7');
  expect((await request(app).get('/healthz')).status).toBe(200);
});

test('/readyz answers 503 naming Temporal when it cannot be reached', async () => {
  const app = createApp({
    config: gateway.config,
    collections: gateway.collections,
    temporal: new Client({ connection: deadConnection, namespace: gateway.config.temporalNamespace }),
    logger,
  });
  const ready = await request(app).get('/readyz');
  expect(ready.status).toBe(503);
  expect(ready.body.detail).toContain('temporal is unreachable');
  expect(ready.body.detail).not.toContain('database');
}, 20_000);
