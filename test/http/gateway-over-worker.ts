import pino from 'pino';
import { loadConfig } from '../../src/config';
import { createApp } from '../../src/gateway/app';
import type { OrderTestEnv } from '../workflow/support/order-test-env';

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
