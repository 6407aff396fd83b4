import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker, type WorkerOptions } from '@temporalio/worker';
import { bundleTestWorkflows, installQuietRuntime } from '../support/quiet-temporal';
import { HISTORIES_DIR } from './support/record-history';

// Recorded runs must replay on today's workflow code: a change without patched() fails here, not in production.
let bundle: WorkerOptions['workflowBundle'];

beforeAll(async () => {
  installQuietRuntime();
  bundle = await bundleTestWorkflows();
}, 120_000);

test('there are recorded histories to replay', async () => {
  const files = (await readdir(HISTORIES_DIR)).filter((file) => file.endsWith('.json'));
  expect(files.length).toBeGreaterThanOrEqual(3);
});

test('every recorded history replays on the current workflow code', async () => {
  const files = (await readdir(HISTORIES_DIR)).filter((file) => file.endsWith('.json'));
  for (const file of files) {
    // fromObject, not historyFromJSON: the latter breaks on the two protobufjs copies this SDK version installs.
    const history = temporal.api.history.v1.History.fromObject(
      JSON.parse(await readFile(path.join(HISTORIES_DIR, file), 'utf8')),
    );
    await expect(Worker.runReplayHistory({ workflowBundle: bundle }, history, file)).resolves.toBeUndefined();
  }
  // Twenty-odd histories: about 15 s alone, over a minute beside the rest of the suite on a loaded machine.
}, 240_000);
