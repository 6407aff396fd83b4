import type { temporal } from '@temporalio/proto';
import { Router } from 'express';
import { UnavailableError } from '../errors';
import type { GatewayDeps, Readiness } from './deps';
import { sendProblem } from './problem';

// temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW (a type-only import keeps the proto package out of the runtime).
const WORKFLOW_TASK_QUEUE = 1 as temporal.api.enums.v1.TaskQueueType;
const PROBE_TIMEOUT_MS = 2000;

/** Probes Temporal, the database and the order workers; every failing part adds a reason. */
export function createReadinessCheck(deps: GatewayDeps): () => Promise<Readiness> {
  const { temporal: client, collections, config } = deps;
  const withTimeout = <T>(fn: () => Promise<T>): Promise<T> =>
    client.withDeadline(Date.now() + PROBE_TIMEOUT_MS, fn);

  const checkTemporal = async (): Promise<string | undefined> => {
    await withTimeout(() => client.workflowService.getSystemInfo({}));
    return undefined;
  };
  const checkDatabase = async (): Promise<string | undefined> => {
    await collections.orders.db.command({ ping: 1 }, { timeoutMS: PROBE_TIMEOUT_MS });
    return undefined;
  };
  const checkWorkers = async (): Promise<string | undefined> => {
    const answer = await withTimeout(() =>
      client.workflowService.describeTaskQueue({
        namespace: config.temporalNamespace,
        taskQueue: { name: config.taskQueue },
        taskQueueType: WORKFLOW_TASK_QUEUE,
      }),
    );
    return (answer.pollers?.length ?? 0) > 0
      ? undefined
      : `no worker is polling the task queue "${config.taskQueue}"`;
  };

  return async () => {
    const probes: [string, () => Promise<string | undefined>][] = [
      ['temporal', checkTemporal],
      ['database', checkDatabase],
      ['workers', checkWorkers],
    ];
    const reasons = (
      await Promise.all(
        probes.map(([name, probe]) =>
          probe().then(
            (reason) => reason,
            (error: unknown) => {
              // The driver's words go to the log only; the probe answer names the part that failed.
              deps.logger.warn({ err: error, dependency: name }, 'readiness probe failed');
              return `${name} is unreachable`;
            },
          ),
        ),
      )
    ).filter((reason): reason is string => reason !== undefined);
    return { ok: reasons.length === 0, reasons };
  };
}

/** `GET /healthz` (the process is up) and `GET /readyz` (it can serve: Temporal, database, a worker). */
export function healthRoutes(deps: GatewayDeps): Router {
  const checkReadiness = deps.checkReadiness ?? createReadinessCheck(deps);
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.status(200).json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    const readiness = await checkReadiness();
    if (readiness.ok) {
      res.status(200).json({ status: 'ready' });
      return;
    }
    deps.logger.warn({ reasons: readiness.reasons }, 'not ready');
    const problem = new UnavailableError(`Not ready: ${readiness.reasons.join('; ')}.`);
    sendProblem(req, res, problem);
  });
  return router;
}
