import { setFlagsFromString } from 'node:v8';

/** How far (percent of its live size) a worker heap may grow before V8 runs a full collection. */
export const WORKER_HEAP_GROWING_PERCENT = 50;

/** The largest semi-space (MiB) of the workflow thread's young generation; V8's default is 16. */
export const WORKER_SEMI_SPACE_MIB = 4;

const isGrowthFlag = (arg: string): boolean => /^--heap[-_]growing[-_]percent/.test(arg);
const isSemiSpaceFlag = (arg: string): boolean => /^--max[-_]semi[-_]space[-_]size/.test(arg);

/**
 * Fixes V8's old-generation growth factor for the worker's heaps (main thread and workflow thread) at 1.5 instead
 * of its dynamic factor of up to 4: the workflow thread allocates fast and keeps little (about 65 MiB live with
 * 400 cached workflows), so the dynamic factor let garbage take each heap to 3-4 times its live size. Measured on
 * `npm run bench -- --orders 2000 --concurrency 32 --phases intake`: worker peak 701 → 481 MiB, the same worker
 * CPU time. Call it before the worker is created (the workflow thread's heap reads it at start); an explicit
 * `node --heap-growing-percent=N` wins. Answers whether it set the flag.
 */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some(isGrowthFlag)) return false;
  setFlagsFromString(`--heap-growing-percent=${WORKER_HEAP_GROWING_PERCENT}`);
  return true;
}

/**
 * Caps the workflow thread's semi-spaces at 4 MiB instead of 16: its young generation took ~30 MiB beyond the
 * ~60 MiB its cached workflows keep. Measured side by side on `npm run bench -- --phases intake --orders 1000
 * --concurrency 16`: worker peak 439 → 389 MiB for ~10 % more worker CPU, the same confirmation rate. Only heaps
 * created afterwards read it, so call it before the worker is created; the main thread keeps its own unless node
 * is started with the flag. An explicit `node --max-semi-space-size=N` wins. Answers whether it set the flag.
 */
export function limitYoungGeneration(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some(isSemiSpaceFlag)) return false;
  setFlagsFromString(`--max-semi-space-size=${WORKER_SEMI_SPACE_MIB}`);
  return true;
}
