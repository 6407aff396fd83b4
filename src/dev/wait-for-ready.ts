import { setTimeout as sleep } from 'node:timers/promises';
import type { Service } from './processes';
import { describeExit } from './processes';
import { SetupError } from './setup-error';

/** Polls GET url until it answers 200; fails early when one of the watched services exits. */
export async function waitForHttpOk(
  url: string,
  timeoutMs: number,
  watched: readonly Service[] = [],
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastAnswer = 'no answer yet';
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
      lastAnswer = `${response.status} ${(await response.text()).slice(0, 300)}`;
    } catch (error) {
      lastAnswer = (error as Error).message;
    }
    const gone = watched.find((service) => !service.running);
    if (gone) {
      const status = await gone.exited;
      throw new SetupError(
        `The ${gone.name} exited (${describeExit(status)}) while starting. Its last output:\n${gone.recentOutput()}`,
      );
    }
    if (Date.now() > deadline)
      throw new SetupError(`${url} did not answer 200 within ${timeoutMs} ms; last answer: ${lastAnswer}`);
    await sleep(500);
  }
}
