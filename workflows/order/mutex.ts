import { condition } from '@temporalio/workflow';

/**
 * A lock for one workflow's coroutines: the main flow's steps and the agents' Updates take it in turn,
 * so each acts on a settled state (an Update never sees a half-done reservation or capture). Waiters
 * are served first come, first served; holding it across a long wait would block every Update, so the
 * main flow releases it before waiting for events.
 */
export class Mutex {
  private held = false;
  private nextTicket = 0;
  private serving = 0;

  /** True while some step holds the lock. */
  get isHeld(): boolean {
    return this.held;
  }

  /** Runs `step` alone; the lock is released however the step ends. */
  async run<T>(step: () => Promise<T>): Promise<T> {
    const ticket = this.nextTicket++;
    await condition(() => !this.held && this.serving === ticket);
    this.held = true;
    try {
      return await step();
    } finally {
      this.held = false;
      this.serving++;
    }
  }
}
