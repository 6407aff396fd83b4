import { ApplicationFailure } from '@temporalio/common';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  type LogEntry,
  type WorkerOptions,
} from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../src/worker/create-order-worker';

/** Error messages of failures that tests stage on purpose start with this, so their retries print nothing. */
export const STAGED_FAILURE = '[staged failure]';

// Failures a test expects: business refusals (a declined card), simulated provider outages (the point of a
// non-zero failure rate), failures staged by a test, and the time-skipping server's missing heartbeat feature.
function isExpected({ message, meta }: LogEntry): boolean {
  const error = meta?.error;
  if (message.includes('activity_failure_include_heartbeat')) return true;
  if (message !== 'Activity failed') return false;
  return (
    (error instanceof ApplicationFailure && error.nonRetryable) ||
    (error instanceof Error &&
      (error.message.startsWith('simulated ') || error.message.startsWith(STAGED_FAILURE)))
  );
}

/**
 * Installs the SDK runtime for this Jest worker process with warnings only (it logs every worker state change
 * at INFO and every failed attempt at WARN) and without the expected failures above. The runtime is
 * per process: the first file to call this installs it; later calls keep it.
 */
export function installQuietRuntime(): void {
  const shown = new DefaultLogger('WARN');
  try {
    Runtime.install({
      logger: new DefaultLogger('WARN', (entry) => {
        if (!isExpected(entry)) shown.log(entry.level, entry.message, entry.meta);
      }),
      telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
    });
  } catch {
    // already installed by an earlier file in this Jest worker
  }
}

let bundle: Promise<NonNullable<WorkerOptions['workflowBundle']>> | undefined;

/** Bundles workflows/ once per Jest worker process, printing only webpack errors. */
export function bundleTestWorkflows(): Promise<NonNullable<WorkerOptions['workflowBundle']>> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('ERROR') });
  return bundle;
}
