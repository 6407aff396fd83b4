import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { findPackagesKeptOut } from './bundle-contents';
import { WORKFLOWS_PATH } from './create-order-worker';
import { WORKFLOW_BUNDLE_PATH } from './workflow-bundle';

/** Build step: bundles workflows/ once into dist/workflow-bundle.js for the worker to load. */
async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: new DefaultLogger('WARN'),
  });
  const keptOut = findPackagesKeptOut(code);
  if (keptOut.length > 0)
    throw new Error(
      `workflow code imports ${keptOut.join(', ')} (directly or through a src/domain module): every cached ` +
        'workflow would evaluate it again (see src/worker/bundle-contents.ts); import type-only or move the schemas out',
    );
  writeFileSync(WORKFLOW_BUNDLE_PATH, code);
  console.log(`workflow bundle: ${WORKFLOW_BUNDLE_PATH} (${Math.round(code.length / 1024)} KiB)`);
}

main().catch((error: unknown) => {
  console.error(`Bundling the workflows failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
