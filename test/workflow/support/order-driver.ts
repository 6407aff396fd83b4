import type { Client, WorkflowHandle } from '@temporalio/client';
import type { FulfillmentView, OrderView } from '../../../src/domain/order-view';
import {
  fulfillmentCarrierEventSignal,
  fulfillmentWorkflowId,
  pickedUpUpdate,
  readyForPickupUpdate,
  rejectUpdate,
  shipUpdate,
  type ShipResult,
} from '../../../workflows/fulfillment.messages';
import { getOrderQuery, type CarrierEventType } from '../../../workflows/order.messages';

const actor = { actor: 'node:test' };

/**
 * Plays node staff and carrier against a v2 order's fulfilment children, the way the gateway's routes
 * reach them (Updates and signals on `fulfillment:<id>`), and waits for the order to react.
 */
export class OrderDriver {
  constructor(private readonly client: Client) {}

  child(fulfillmentId: string): WorkflowHandle {
    return this.client.workflow.getHandle(fulfillmentWorkflowId(fulfillmentId));
  }

  ship(fulfillmentId: string): Promise<ShipResult> {
    return this.child(fulfillmentId).executeUpdate(shipUpdate, { args: [actor] });
  }

  async track(fulfillmentId: string, trackingNumber: string, event: CarrierEventType): Promise<void> {
    await this.child(fulfillmentId).signal(fulfillmentCarrierEventSignal, {
      trackingNumber,
      fulfillmentId,
      event,
      at: new Date().toISOString(),
    });
  }

  /** Ships the parcel and has the carrier deliver it. */
  async shipAndDeliver(fulfillmentId: string): Promise<ShipResult> {
    const shipped = await this.ship(fulfillmentId);
    await this.track(fulfillmentId, shipped.trackingNumber, 'in_transit');
    await this.track(fulfillmentId, shipped.trackingNumber, 'delivered');
    return shipped;
  }

  ready(fulfillmentId: string): Promise<FulfillmentView> {
    return this.child(fulfillmentId).executeUpdate(readyForPickupUpdate, { args: [actor] });
  }

  pickedUp(fulfillmentId: string): Promise<FulfillmentView> {
    return this.child(fulfillmentId).executeUpdate(pickedUpUpdate, { args: [actor] });
  }

  reject(fulfillmentId: string, reason: string): Promise<FulfillmentView> {
    return this.child(fulfillmentId).executeUpdate(rejectUpdate, { args: [{ ...actor, reason }] });
  }
}

/** Polls the order's live view until `accept` holds (or fails with the last view seen). */
export async function waitForView(
  handle: WorkflowHandle,
  accept: (view: OrderView) => boolean,
  timeoutMs = 30_000,
  pollMs = 100,
): Promise<OrderView> {
  const deadline = Date.now() + timeoutMs;
  let view: OrderView | undefined;
  while (Date.now() < deadline) {
    view = await handle.query(getOrderQuery);
    if (accept(view)) return view;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw new Error(
    `the order never reached the expected state; last: ${view?.status} ${JSON.stringify(view?.fulfillments.map((f) => f.status))}`,
  );
}

/** The timeline's entry types, in order. */
export const timelineOf = (view: OrderView): string[] => view.timeline.map((entry) => entry.type);
