import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';

/** Where recorded histories live; replay.test.ts replays every file here against the current workflow code. */
export const HISTORIES_DIR = path.join(__dirname, '..', 'histories');

/**
 * Saves a finished run's history when RECORD_HISTORIES=1 (run the workflow tests once that way after a
 * deliberate, patched() change of workflow behaviour); otherwise does nothing.
 */
export async function recordHistoryIfAsked(handle: WorkflowHandle, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  // The history's protobuf messages serialise to proto3 JSON (enum names, base64 bytes), which History.fromObject reads back.
  const file = path.join(HISTORIES_DIR, `${name}.json`);
  await writeFile(file, JSON.stringify(history));
  // Formatted like every other file, so `prettier --check .` stays green (prettier cannot be imported under jest).
  execFileSync(process.execPath, [require.resolve('prettier/bin/prettier.cjs'), '--write', file]);
}
