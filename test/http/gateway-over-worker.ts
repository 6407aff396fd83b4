import pino from 'pino';
import request from 'supertest';
import type { OrderStatus, OrderView } from '../../src/domain/order-view';
import { loadConfig } from '../../src/config';
import { createApp } from '../../src/gateway/app';
import type { OrderTestEnv } from '../workflow/support/order-test-env';
import { AUTH } from './gateway-harness';

/**
 * The gateway in front of a real worker on the env's task queue (manual simulation), set up before the test
 * file and torn down after it (call at the top level of the file). The returned `app` is ready inside tests.
 */
export function gatewayOverWorker(env: OrderTestEnv): { readonly app: ReturnType<typeof createApp> } {
  const served = {} as { app: ReturnType<typeof createApp> };
  beforeAll(async () => {
    await env.setUp();
    await env.startWorker();
    const config = loadConfig({
      NODE_ENV: 'test',
      TEMPORAL_TASK_QUEUE: env.taskQueue,
      OMS_SIMULATION: 'manual',
      LOG_LEVEL: 'silent',
    });
    served.app = createApp({
      config,
      collections: env.collections,
      temporal: env.client,
      logger: pino({ level: 'silent' }),
    });
  }, 120_000);
  afterAll(() => env.tearDown(), 60_000);
  return served;
}

/** Reads the order over HTTP (as an agent) until it reaches the status; fails with the status it stayed in. */
export async function waitForStatusOverHttp(
  app: ReturnType<typeof createApp>,
  orderId: string,
  status: OrderStatus,
): Promise<OrderView> {
  let view: OrderView | undefined;
  for (let attempt = 0; attempt < 200; attempt++) {
    view = (await request(app).get(`/v1/orders/${orderId}`).set(AUTH.agent)).body as OrderView;
    if (view.status === status) return view;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`order ${orderId} stayed ${String(view?.status)} instead of reaching ${status}`);
}
