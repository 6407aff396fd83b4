import { performance } from 'node:perf_hooks';

export interface LoadResult {
  /** Wall-clock milliseconds for the whole batch. */
  elapsedMs: number;
  /** Latency of each successful call, in milliseconds. */
  latenciesMs: number[];
  failures: number;
  firstFailure?: string;
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` calls in flight, timing each call. */
export async function runConcurrently(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  let next = 0;
  const started = performance.now();
  const lane = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      const callStarted = performance.now();
      try {
        await task(index);
        latenciesMs.push(performance.now() - callStarted);
      } catch (error) {
        failures += 1;
        firstFailure ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return { elapsedMs: performance.now() - started, latenciesMs, failures, firstFailure };
}
