import { addBusinessDays, isoDateOf, nextBusinessDay } from './business-days';
import { dispatchDay, type PromiseNode } from './dispatch-day';
import type { DeliveryMethod, DeliverySpeed } from './promise-defaults';
import { transitDays } from './transit-days';

/**
 * A delivery promise request. `distanceKm` is node → customer for `ship`; for `pickup` it is node →
 * pickup store, and 0 means the stock is already at the pickup store (no transfer). `availableFrom`
 * is when backordered stock is expected at the node; the node processes it from then.
 */
export interface PromiseInput {
  now: string;
  node: PromiseNode;
  distanceKm: number;
  method: DeliveryMethod;
  speed?: DeliverySpeed;
  availableFrom?: string;
}

/** The dates of a promise, as ISO dates (YYYY-MM-DD, UTC). */
export interface DeliveryPromise {
  /** The day the node hands the goods to the carrier (or to the customer, at a pickup store). */
  dispatchDate: string;
  /** Delivery day for `ship`; the day the order is ready at the store for `pickup`. */
  promisedDate: string;
  transitDays: number;
}

/** The same promise as day numbers, for callers that compare many of them. */
export interface PromiseDays {
  dispatchDay: number;
  promisedDay: number;
  transitDays: number;
}

/**
 * From a dispatch day to the promised day: the stock is at the pickup store already (distance 0), or
 * a carrier collects on the next business day and travels its transit days (transfers go standard).
 */
export function promiseFromDispatch(
  dispatch: number,
  distanceKm: number,
  method: DeliveryMethod,
  speed: DeliverySpeed = 'standard',
): PromiseDays {
  if (method === 'pickup' && distanceKm <= 0) {
    return { dispatchDay: dispatch, promisedDay: dispatch, transitDays: 0 };
  }
  const transit = transitDays(distanceKm, method === 'pickup' ? 'standard' : speed);
  return {
    dispatchDay: dispatch,
    promisedDay: addBusinessDays(nextBusinessDay(dispatch), transit),
    transitDays: transit,
  };
}

/** Promise maths on epoch milliseconds: dispatch day, then carrier transit on business days. */
export function promiseDays(input: {
  nowMs: number;
  node: PromiseNode;
  distanceKm: number;
  method: DeliveryMethod;
  speed?: DeliverySpeed;
  availableFromMs?: number;
}): PromiseDays {
  const startMs = Math.max(input.nowMs, input.availableFromMs ?? input.nowMs);
  return promiseFromDispatch(dispatchDay(startMs, input.node), input.distanceKm, input.method, input.speed);
}

const parseInstant = (value: string, field: string): number => {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`${field} is not an ISO 8601 date-time: ${value}`);
  return ms;
};

/** Dispatch and promised dates for one parcel; deterministic, `now` is an input. */
export function promiseDelivery(input: PromiseInput): DeliveryPromise {
  const days = promiseDays({
    nowMs: parseInstant(input.now, 'now'),
    node: input.node,
    distanceKm: input.distanceKm,
    method: input.method,
    speed: input.speed,
    availableFromMs:
      input.availableFrom === undefined ? undefined : parseInstant(input.availableFrom, 'availableFrom'),
  });
  return {
    dispatchDate: isoDateOf(days.dispatchDay),
    promisedDate: isoDateOf(days.promisedDay),
    transitDays: days.transitDays,
  };
}

/** The promised date alone (delivery day for `ship`, ready-for-pickup day for `pickup`). */
export const promiseDate = (input: PromiseInput): string => promiseDelivery(input).promisedDate;
