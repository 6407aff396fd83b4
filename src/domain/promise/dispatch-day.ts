import { MS_PER_DAY, addBusinessDays, dayNumberOf, nextBusinessDay } from './business-days';
import {
  DEFAULT_CUTOFF_HOUR_UTC,
  DEFAULT_PROCESSING_DAYS,
  WORKS_WEEKENDS,
  type NodeKind,
} from './promise-defaults';

/** What promise maths needs to know about a node; absent fields take the defaults of its kind. */
export interface PromiseNode {
  type: NodeKind;
  processingDays?: number;
  cutoffHourUtc?: number;
}

/**
 * The day a node hands the goods over (to the carrier, or to the customer at a pickup store) when the
 * order, or the stock it waits for, reaches it at `atMs`: after the cut-off the order counts from the
 * next day, then the node's processing days run on its working days.
 */
export function dispatchDay(atMs: number, node: PromiseNode): number {
  const cutoff = node.cutoffHourUtc ?? DEFAULT_CUTOFF_HOUR_UTC[node.type];
  const processing = node.processingDays ?? DEFAULT_PROCESSING_DAYS[node.type];
  const today = dayNumberOf(atMs);
  const hour = (atMs - today * MS_PER_DAY) / 3_600_000;
  const takenOn = hour >= cutoff ? today + 1 : today;
  if (WORKS_WEEKENDS[node.type]) return takenOn + processing;
  return addBusinessDays(nextBusinessDay(takenOn), processing);
}
