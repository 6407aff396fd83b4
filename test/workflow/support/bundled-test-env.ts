import { bundleWorkflowCode, DefaultLogger, type WorkerOptions } from '@temporalio/worker';
import type { OrderActivities } from '../../../activities';
import { createOrderWorker } from '../../../src/worker/create-order-worker';
import { TimeSkippingOrderEnv } from './time-skipping-env';

/**
 * The time-skipping server of TimeSkippingOrderEnv with a workflow bundle of its own (test parents and
 * stand-ins beside the real children), for test environments that extend it.
 */
export class BundledTimeSkippingEnv {
  readonly ts: TimeSkippingOrderEnv;
  private bundle: WorkerOptions['workflowBundle'];

  constructor(
    name: string,
    private readonly workflowsPath: string,
  ) {
    this.ts = new TimeSkippingOrderEnv(name);
  }

  async setUp(): Promise<void> {
    await this.ts.setUp();
    this.bundle = await bundleWorkflowCode({
      workflowsPath: this.workflowsPath,
      logger: new DefaultLogger('ERROR'),
    });
  }

  tearDown(): Promise<void> {
    return this.ts.tearDown();
  }

  get client() {
    return this.ts.env.client;
  }

  /** The server's clock (skipped time included). */
  now(): Promise<number> {
    return this.ts.env.currentTimeMs();
  }

  /** Runs `body` with a worker serving these activities and the bundle; the worker stops after. */
  async withWorker<T>(activities: OrderActivities, body: () => Promise<T>): Promise<T> {
    const worker = await createOrderWorker({
      connection: this.ts.env.nativeConnection,
      taskQueue: this.ts.taskQueue,
      activities,
      workflowBundle: this.bundle,
    });
    return worker.runUntil(body);
  }
}
