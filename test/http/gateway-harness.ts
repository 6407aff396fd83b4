import { Client, Connection } from '@temporalio/client';
import type { Express } from 'express';
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { loadConfig, type Config } from '../../src/config';
import { ensureIndexes, getCollections, type Collections } from '../../src/db/collections';
import { createApp, type GatewayDeps } from '../../src/gateway/app';
import { orderWorkflowId } from '../../workflows/order.messages';
import { temporalAddress, testMongoUri } from '../support/servers';

/** The dev keys (loadConfig uses them outside production), as ready-made Authorization headers. */
export const AUTH = {
  channel: { Authorization: 'Bearer dev-channel-key' },
  agent: { Authorization: 'Bearer dev-agent-key' },
  admin: { Authorization: 'Bearer dev-admin-key' },
  carrier: { Authorization: 'Bearer dev-carrier-key' },
  payment: { Authorization: 'Bearer dev-payment-key' },
  node: { Authorization: 'Bearer dev-node-key' },
} as const;

export interface GatewayHarness {
  app: Express;
  config: Config;
  collections: Collections;
  temporal: Client;
  /** Order ids unique to this run: workflow ids on the shared Temporal server outlive a test run. */
  newOrderId(): string;
  /** Terminates the workflows of every order id handed out, then closes the connections. */
  close(): Promise<void>;
}

/**
 * A gateway over the suite's real MongoDB (a database of its own) and real Temporal server, on a task queue
 * no worker polls: orders started here just wait in Temporal.
 */
export async function startGatewayHarness(
  name: string,
  overrides: Partial<Omit<GatewayDeps, 'config' | 'collections' | 'temporal' | 'logger'>> = {},
): Promise<GatewayHarness> {
  const runId = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    MONGODB_URI: testMongoUri(`http_${name}`),
    TEMPORAL_ADDRESS: temporalAddress(),
    TEMPORAL_TASK_QUEUE: `http-${name}-${runId}`,
    OMS_SIMULATION: 'manual',
    LOG_LEVEL: 'silent',
  });
  const mongo = await new MongoClient(config.mongoUri, { serverSelectionTimeoutMS: 10_000 }).connect();
  const db = mongo.db();
  await db.dropDatabase();
  const collections = getCollections(db);
  await ensureIndexes(collections);
  const connection = await Connection.connect({ address: config.temporalAddress });
  const temporal = new Client({ connection, namespace: config.temporalNamespace });
  const logger = pino({ level: 'silent' });
  const app = createApp({ config, collections, temporal, logger, queryTimeoutMs: 300, ...overrides });

  const orderIds: string[] = [];
  return {
    app,
    config,
    collections,
    temporal,
    newOrderId() {
      const orderId = `${name}-${runId}-${orderIds.length + 1}`;
      orderIds.push(orderId);
      return orderId;
    },
    async close() {
      await Promise.allSettled(
        orderIds.map((orderId) =>
          temporal.workflow.getHandle(orderWorkflowId(orderId)).terminate('HTTP test finished'),
        ),
      );
      await connection.close();
      await mongo.close();
    },
  };
}

/** A valid POST /v1/orders body; tests change one thing at a time. */
export function orderBody(orderId: string): Record<string, unknown> {
  return {
    orderId,
    channel: 'web',
    customer: { id: 'cust-1', email: 'ada@example.com', name: 'Ada' },
    currency: 'EUR',
    lines: [{ lineId: 'l1', sku: 'SKU-1', quantity: 2, unitPriceMinor: 12900 }],
    delivery: {
      method: 'ship',
      address: { line1: '1 rue de Rivoli', city: 'Paris', postalCode: '75001', country: 'FR' },
    },
    payment: { token: 'tok_ok' },
  };
}
