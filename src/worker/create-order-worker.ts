import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { OrderActivities } from '../../activities';

/** The workflows entry: `workflows/index` next to `src/` (ts under jest, js in dist/ after the build). */
export const WORKFLOWS_PATH = require.resolve('../../workflows');

export interface OrderWorkerDeps {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  activities: OrderActivities;
  /** A pre-built bundle (tests bundle once per file); the workflows are bundled from source when absent. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Any further worker option (tuning, interceptors, sticky-queue timeouts in tests). */
  options?: Partial<WorkerOptions>;
}

/** Builds the worker that runs order workflows and their activities on one task queue. */
export function createOrderWorker(deps: OrderWorkerDeps): Promise<Worker> {
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace ?? 'default',
    taskQueue: deps.taskQueue,
    activities: deps.activities,
    ...(deps.workflowBundle ? { workflowBundle: deps.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    ...deps.options,
  });
}
