import type { Logger } from 'pino';
import type { Collections } from '../db/collections';
import { applyReceipts } from './receive-inbound';
import type { StockArrivalNotifier, WakeReport } from './stock-waiters';
import { wakeForInbound } from './wake-ups';

/** What one pass over the owed wake-ups did. */
export interface WakeUpRetryReport extends WakeReport {
  /** Inbound shipments whose wake-up was owed. */
  inbound: number;
}

/**
 * Delivers every owed wake-up: each receipt is counted into on-hand first (idempotent), then the waiters
 * are told. The flagged shipments are found by one query on `wakePending` (few documents; a scan on the dev
 * server, off the hot path).
 */
export async function retryOwedWakeUps(
  c: Collections,
  notify: StockArrivalNotifier,
): Promise<WakeUpRetryReport> {
  const report: WakeUpRetryReport = { inbound: 0, notified: 0, removed: 0, failed: 0 };
  const owed = await c.inbound.find({ wakePending: true }, { projection: { _id: 1 } }).toArray();
  for (const { _id } of owed) {
    await applyReceipts(c, _id);
    const woken = await wakeForInbound(c, _id, notify);
    report.inbound += 1;
    report.notified += woken.notified;
    report.removed += woken.removed;
    report.failed += woken.failed;
  }
  return report;
}

/** A running retry loop; stop() waits for the pass in progress. */
export interface WakeUpRetryLoop {
  stop(): Promise<void>;
}

/** Retries owed wake-ups every `intervalMs` (15 s by default) until stopped; a failed pass is logged and retried. */
export function startWakeUpRetries(
  c: Collections,
  notify: StockArrivalNotifier,
  options: { intervalMs?: number; logger?: Logger } = {},
): WakeUpRetryLoop {
  const intervalMs = options.intervalMs ?? 15_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> = Promise.resolve();
  const runPass = async (): Promise<void> => {
    try {
      const report = await retryOwedWakeUps(c, notify);
      if (report.inbound > 0) options.logger?.info(report, 'owed stock wake-ups retried');
    } catch (error) {
      options.logger?.warn({ err: error }, 'stock wake-up retry pass failed; next pass retries');
    }
  };
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      pass = runPass().then(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await pass;
    },
  };
}
