import type { Worker } from '@temporalio/worker';
import { OrderDriver } from './order-driver';
import type { OrderTestEnv } from './order-test-env';

/**
 * Sets up the env and one worker before the test file and stops both after it (call at the top level of the
 * file). The returned `driver` is ready inside tests. `startWorker` runs after the env is up.
 */
export function runWorkerAroundFile(
  env: OrderTestEnv,
  startWorker: () => Promise<Worker> = () => env.startWorker(),
): { readonly driver: OrderDriver } {
  const suite = {} as { driver: OrderDriver };
  let worker: Worker | undefined;
  beforeAll(async () => {
    await env.setUp();
    worker = await startWorker();
    suite.driver = new OrderDriver(env.client);
  }, 120_000);
  afterAll(async () => {
    if (worker) await env.stopWorker(worker);
    await env.tearDown();
  }, 60_000);
  return suite;
}
