import { patched, proxyActivities, sleep } from '@temporalio/workflow';
import type { OrderActivities } from '../activities';
import type { HandoverStep, SimulatedHandoverOutcome } from '../activities/simulation.activities';

const activities = proxyActivities<OrderActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export interface SimulateFulfillmentInput {
  orderId: string;
  fulfillmentId: string;
  /** Pause before each step, in milliseconds. */
  stepMs: number;
  /**
   * Set by fulfilment child workflows (lifecycle v2): parcels or click-and-collect, with holds and lost
   * parcels. Absent for fulfilments of v1 orders, whose runs keep the original three steps.
   */
  method?: 'ship' | 'pickup';
  /** A pickup part from another node: its leg to the pickup store is shipped and delivered first. */
  transfer?: boolean;
}

/** The simulation child of a fulfilment: `sim:<fulfillmentId>`. */
export const simulationWorkflowId = (fulfillmentId: string): string => `sim:${fulfillmentId}`;

/** While the order is on hold the simulation asks again, less and less often, at most hourly. */
const MAX_HOLD_RETRY_MS = 60 * 60 * 1000;

const pause = async (ms: number): Promise<void> => {
  if (ms > 0) await sleep(ms);
};

/**
 * Auto simulation of one fulfilment through the gateway's real HTTP routes, one step every `stepMs`:
 * node staff ship it, then the carrier reports it in transit and delivered (or lost, at OMS_SIM_LOST_RATE);
 * for click-and-collect, node staff put it out and the customer collects it.
 */
export async function simulateFulfillmentWorkflow(input: SimulateFulfillmentInput): Promise<void> {
  // The input decides the path, so v1 runs (no method) replay exactly as they were recorded.
  if (input.method === 'pickup' && input.transfer && patched('simulate-pickup-transfer'))
    return simulateTransferPickup(input);
  if (input.method === 'pickup') return simulatePickup(input);
  if (input.method === 'ship') return simulateParcel(input);
  await pause(input.stepMs);
  const { trackingNumber } = await activities.postSimulatedShip({
    orderId: input.orderId,
    fulfillmentId: input.fulfillmentId,
  });
  for (const event of ['in_transit', 'delivered'] as const) {
    await pause(input.stepMs);
    await activities.postSimulatedCarrierEvent({ fulfillmentId: input.fulfillmentId, trackingNumber, event });
  }
}

/** Takes one step, waiting out a hold; undefined when the fulfilment has closed (cancelled, rejected, …). */
async function handOver(
  input: SimulateFulfillmentInput,
  step: HandoverStep,
): Promise<Extract<SimulatedHandoverOutcome, { outcome: 'done' }> | undefined> {
  for (let waitMs = Math.max(input.stepMs, 1000); ; waitMs = Math.min(waitMs * 2, MAX_HOLD_RETRY_MS)) {
    const answer = await activities.postSimulatedHandover({
      orderId: input.orderId,
      fulfillmentId: input.fulfillmentId,
      step,
    });
    if (answer.outcome === 'done') return answer;
    if (answer.outcome === 'closed') return undefined;
    await sleep(waitMs);
  }
}

async function simulateParcel(input: SimulateFulfillmentInput): Promise<void> {
  await pause(input.stepMs);
  const shipped = await handOver(input, 'ship');
  if (!shipped?.trackingNumber) return;
  const parcel = { fulfillmentId: input.fulfillmentId, trackingNumber: shipped.trackingNumber };
  await pause(input.stepMs);
  await activities.postSimulatedCarrierEvent({ ...parcel, event: 'in_transit' });
  const fate = await activities.chooseSimulatedParcelFate({ fulfillmentId: input.fulfillmentId });
  await pause(input.stepMs);
  await activities.postSimulatedCarrierEvent({
    ...parcel,
    event: fate === 'lost' ? 'exception' : 'delivered',
  });
}

async function simulatePickup(input: SimulateFulfillmentInput): Promise<void> {
  for (const step of ['ready', 'picked-up'] as const) {
    await pause(input.stepMs);
    if (!(await handOver(input, step))) return;
  }
}

/** Click-and-collect from another node: the source ships the leg, the carrier delivers it to the store, then the pickup. */
async function simulateTransferPickup(input: SimulateFulfillmentInput): Promise<void> {
  await pause(input.stepMs);
  const shipped = await handOver(input, 'ship');
  if (!shipped?.trackingNumber) return;
  const leg = { fulfillmentId: input.fulfillmentId, trackingNumber: shipped.trackingNumber };
  for (const event of ['in_transit', 'delivered'] as const) {
    await pause(input.stepMs);
    await activities.postSimulatedCarrierEvent({ ...leg, event });
  }
  await simulatePickup(input);
}
