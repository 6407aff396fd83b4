import type { WorkflowHandle } from '@temporalio/client';
import type { FulfillmentStatus, FulfillmentView } from '../../../src/domain/order-view';
import {
  fulfillmentWorkflowId,
  getFulfillmentQuery,
  type FulfillmentWorkflowInput,
} from '../../../workflows/fulfillment.messages';
import { BundledTimeSkippingEnv } from './bundled-test-env';
import { LYON_ADDRESS } from './order-test-env';
import type { fulfillmentTestParent } from './fulfillment-test-workflows';

const TEST_WORKFLOWS = require.resolve('./fulfillment-test-workflows');

/**
 * The time-skipping server of TimeSkippingOrderEnv with a bundle of the fulfilment child, its simulation
 * and a test parent that records the child's `fulfillmentChanged` signals.
 */
export class FulfillmentTestEnv extends BundledTimeSkippingEnv {
  private counter = 0;

  constructor(private readonly name: string) {
    super(name, TEST_WORKFLOWS);
  }

  /** A two-line fulfilment at the Lyon warehouse (a parcel unless `method` says pickup). */
  input(
    overrides: Partial<Omit<FulfillmentWorkflowInput, 'parentWorkflowId'>> = {},
  ): Omit<FulfillmentWorkflowInput, 'parentWorkflowId'> {
    const orderId = `o-${this.name}-${++this.counter}-${Date.now()}`;
    return {
      orderId,
      fulfillmentId: `${orderId}-F1`,
      nodeId: 'WH-LYON',
      method: 'ship',
      lines: [
        { lineId: 'l1', sku: 'SKU-1', quantity: 2, reservationKey: `${orderId}:l1:WH-LYON` },
        { lineId: 'l2', sku: 'SKU-2', quantity: 1, reservationKey: `${orderId}:l2:WH-LYON` },
      ],
      address: LYON_ADDRESS,
      onHold: false,
      simulation: 'manual',
      ...overrides,
    };
  }

  /** Starts the test parent, which starts the child; answers both handles once the child runs. */
  async start(
    input: Omit<FulfillmentWorkflowInput, 'parentWorkflowId'>,
  ): Promise<{ parent: WorkflowHandle<typeof fulfillmentTestParent>; child: WorkflowHandle }> {
    const parent = await this.client.workflow.start<typeof fulfillmentTestParent>('fulfillmentTestParent', {
      workflowId: `parent:${input.fulfillmentId}`,
      taskQueue: this.ts.taskQueue,
      args: [input],
    });
    const child = this.client.workflow.getHandle(fulfillmentWorkflowId(input.fulfillmentId));
    await waitFor(async () => {
      try {
        return (await child.query(getFulfillmentQuery)).fulfillmentId === input.fulfillmentId;
      } catch {
        return false;
      }
    });
    return { parent, child };
  }

  /** Polls the child's view (in real time) until it has this status. */
  async waitForStatus(child: WorkflowHandle, status: FulfillmentStatus): Promise<FulfillmentView> {
    let view: FulfillmentView | undefined;
    await waitFor(async () => {
      view = await child.query(getFulfillmentQuery);
      return view.status === status;
    });
    return view!;
  }
}

/** Polls until the check holds (every 50 ms, at most 20 s). */
export async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
