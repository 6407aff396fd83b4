import { singleNodePlan as buildSingleNodePlan } from '../../../src/domain/sourcing/single-node-plan';
import { STAGED_FAILURE } from '../../support/quiet-temporal';
import { activityInfo } from '@temporalio/activity';
import type { OrderActivities } from '../../../activities';
import type { PlanSourcingInput } from '../../../activities/sourcing.activities';
import type { SourcingResult } from '../../../src/domain/sourcing/sourcing-result';
import { DEFAULT_RETURN_POLICY, STANDARD_CUSTOMER } from '../../../src/domain/returns/return-policy';

/** One attempt of one activity, as the worker ran it. */
export interface ActivityCall {
  name: keyof OrderActivities;
  attempt: number;
  /** The server's clock when the attempt started: timers and retry backoffs show up here, skipped or not. */
  atMs: number;
  input: unknown;
}

/** The server's current time (TestWorkflowEnvironment.currentTimeMs under time skipping). */
export type ServerClock = () => Promise<number>;

/** In-memory activities with a log of every attempt; a test replaces single activities to script failures. */
export interface FakeOrderActivities {
  activities: OrderActivities;
  calls: ActivityCall[];
  /** The attempts of one activity, in the order they ran. */
  callsTo(name: keyof OrderActivities): ActivityCall[];
}

/** Marks errors a test throws on purpose, so the quiet test runtime need not print their retries. */

/** A retryable failure of the outside world, staged by a test. */
export const scriptedOutage = (what: string): Error => new Error(`${STAGED_FAILURE} ${what}`);

/** A plan that sends the whole order from one warehouse, as the engine would when it holds everything. */
export function singleNodePlan(input: PlanSourcingInput, nodeId = 'WH-LYON'): SourcingResult {
  const units = input.lines.reduce((sum, line) => sum + line.quantity, 0);
  return buildSingleNodePlan({
    nodeId,
    nodeType: 'warehouse',
    lines: input.lines,
    day: input.now.slice(0, 10),
    distanceKm: 5,
    weightGrams: 500 * units,
    costMinor: 700,
    summary: `${nodeId} holds everything`,
  });
}

/** A well-behaved outside world: every node has the stock, every payment goes through, carriers book at once. */
export function createInMemoryActivities(): OrderActivities {
  return {
    planSourcing: (input) => Promise.resolve(singleNodePlan(input)),
    quoteNodePromise: () => Promise.resolve(null),
    claimNodeCapacity: () => Promise.resolve('claimed' as const),
    releaseNodeCapacity: () => Promise.resolve(),
    reserveOrderAtNode: () => Promise.resolve('reserved' as const),
    releaseOrderAtNode: () => Promise.resolve(),
    releaseReservedLines: (input) => Promise.resolve(input.lines.length),
    adjustReservedLine: () => Promise.resolve('adjusted' as const),
    writeOffMissingStock: () => Promise.resolve(),
    registerStockWaiters: () => Promise.resolve(),
    unregisterStockWaiters: () => Promise.resolve(),
    planCartHoldConversion: () => Promise.resolve({ outcome: 'not_held' as const }),
    convertCartHold: () => Promise.resolve({ outcome: 'not_held' as const }),
    consumeOrderAtNode: () => Promise.resolve(),
    authorizePayment: ({ orderId, amountMinor }) =>
      Promise.resolve({
        status: 'authorized' as const,
        authorizationId: `auth:${orderId}`,
        amountMinor,
        expiresAt: '2999-01-01T00:00:00.000Z',
      }),
    getAuthorization: ({ authorizationId }) =>
      Promise.resolve({
        status: 'authorized' as const,
        authorizationId,
        amountMinor: 0,
        expiresAt: '2999-01-01T00:00:00.000Z',
      }),
    capturePayment: ({ idempotencyKey, amountMinor }) =>
      Promise.resolve({ captureId: `capture:${idempotencyKey}`, amountMinor }),
    voidPayment: ({ amountMinor }) => Promise.resolve({ voidedMinor: amountMinor ?? 0 }),
    refundPayment: ({ idempotencyKey, amountMinor }) =>
      Promise.resolve({ refundId: `refund:${idempotencyKey}`, amountMinor }),
    recordFulfillment: () => Promise.resolve(),
    cancelFulfillmentLines: ({ fulfillmentId }) =>
      Promise.resolve({
        outcome: 'applied' as const,
        view: { fulfillmentId, nodeId: 'WH-LYON', lines: [], status: 'cancelled' as const },
      }),
    changeFulfillmentAddress: ({ fulfillmentId }) =>
      Promise.resolve({
        outcome: 'applied' as const,
        view: { fulfillmentId, nodeId: 'WH-LYON', lines: [], status: 'created' as const },
      }),
    closeFulfillment: ({ fulfillmentId }) =>
      Promise.resolve({
        outcome: 'applied' as const,
        view: { fulfillmentId, nodeId: 'WH-LYON', lines: [], status: 'exception' as const },
      }),
    bookShipment: ({ fulfillmentId }) =>
      Promise.resolve({
        trackingNumber: `TRK-${fulfillmentId}`,
        carrier: 'SIMCARRIER',
        labelUrl: `https://labels.test/${fulfillmentId}`,
      }),
    publishOrderView: () => Promise.resolve('published' as const),
    enqueueNotification: () => Promise.resolve('queued' as const),
    readReturnTerms: ({ customerId }) =>
      Promise.resolve({
        // No return window: a completed order closes at once (returns tests give terms of their own).
        policy: { ...DEFAULT_RETURN_POLICY, windowDays: 0 },
        products: {},
        customer: { ...STANDARD_CUSTOMER, ...(customerId.startsWith('vip') ? { tier: 'vip' as const } : {}) },
      }),
    createReturnLabel: ({ rmaId }) =>
      Promise.resolve({
        carrier: 'SIMCARRIER',
        trackingNumber: `TRK-${rmaId}-RL`,
        labelUrl: `https://labels.test/${rmaId}`,
        nodeId: 'WH-LYON',
      }),
    restockReturnedUnits: () => Promise.resolve(),
    restockUncollectedTransfer: () => Promise.resolve(),
    recordDamagedUnits: () => Promise.resolve(),
    suggestReturnDispositions: ({ nodeId, lines }) =>
      Promise.resolve(
        lines.map((line) => ({
          sku: line.sku,
          nodeId,
          quantity: line.quantity,
          action: 'keep' as const,
          reason: 'test',
        })),
      ),
    publishReturnView: () => Promise.resolve('published' as const),
    indexCustomerOrder: () => Promise.resolve(),
    benchNoop: () => Promise.resolve(),
    postSimulatedShip: ({ fulfillmentId }) => Promise.resolve({ trackingNumber: `TRK-${fulfillmentId}` }),
    postSimulatedCarrierEvent: () => Promise.resolve(),
    postSimulatedHandover: ({ fulfillmentId, step }) =>
      Promise.resolve(
        step === 'ship'
          ? { outcome: 'done' as const, trackingNumber: `TRK-${fulfillmentId}` }
          : { outcome: 'done' as const },
      ),
    chooseSimulatedParcelFate: () => Promise.resolve('delivered' as const),
  };
}

/** The in-memory activities with some replaced, every attempt of every activity logged before it runs. */
export function createFakeOrderActivities(
  clock: ServerClock,
  overrides: Partial<OrderActivities> = {},
): FakeOrderActivities {
  const calls: ActivityCall[] = [];
  const chosen: Record<string, (input: never) => Promise<unknown>> = {
    ...createInMemoryActivities(),
    ...overrides,
  };
  const logged = Object.fromEntries(
    Object.entries(chosen).map(([name, run]) => [
      name,
      async (input: never) => {
        // Read the clock, not the attempt's scheduled time: the test server reports a retry's as the failure's.
        const atMs = await clock();
        calls.push({ name: name as keyof OrderActivities, attempt: activityInfo().attempt, atMs, input });
        return run(input);
      },
    ]),
  ) as unknown as OrderActivities;
  return {
    activities: logged,
    calls,
    callsTo: (name) => calls.filter((call) => call.name === name),
  };
}
