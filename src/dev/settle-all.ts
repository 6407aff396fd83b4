import { describeFailure, SetupError } from './setup-error';

/**
 * Like Promise.all, but waits for every promise, so no install or start is still running (and left behind)
 * when the caller reports the error and exits; with several failures, one SetupError tells all of them.
 */
export async function settleAll<T extends readonly unknown[]>(
  promises: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(promises);
  const failures = results.flatMap((result) =>
    result.status === 'rejected' ? [result.reason as unknown] : [],
  );
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new SetupError(failures.map(describeFailure).join('\n\n'));
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}
