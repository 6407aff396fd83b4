import { existsSync } from 'node:fs';
import path from 'node:path';

/** Where the build writes the pre-bundled workflow code: `dist/workflow-bundle.js`. */
export const WORKFLOW_BUNDLE_PATH = path.resolve(__dirname, '..', '..', 'workflow-bundle.js');

/**
 * The pre-built bundle when the build made one. Bundling at start-up runs webpack inside the worker,
 * which costs ~100 MiB of peak memory and seconds of CPU; a worker started from dist/ skips both.
 */
export function prebuiltWorkflowBundle(): { codePath: string } | undefined {
  return existsSync(WORKFLOW_BUNDLE_PATH) ? { codePath: WORKFLOW_BUNDLE_PATH } : undefined;
}
