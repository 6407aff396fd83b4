import { proxyActivities, sleep } from '@temporalio/workflow';
import type { OrderActivities } from '../activities';

const activities = proxyActivities<OrderActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export interface SimulateFulfillmentInput {
  orderId: string;
  fulfillmentId: string;
  /** Pause before each step, in milliseconds. */
  stepMs: number;
}

/** The simulation child of a fulfilment: `sim:<fulfillmentId>`. */
export const simulationWorkflowId = (fulfillmentId: string): string => `sim:${fulfillmentId}`;

const pause = async (ms: number): Promise<void> => {
  if (ms > 0) await sleep(ms);
};

/**
 * Auto simulation of one fulfilment: node staff ship it, then the carrier reports it in transit and
 * delivered, each through the gateway's real HTTP routes, one step every `stepMs`.
 */
export async function simulateFulfillmentWorkflow(input: SimulateFulfillmentInput): Promise<void> {
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
