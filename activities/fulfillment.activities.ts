import { getClient } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Address } from '../src/domain/order-request';
import type { FulfillmentView } from '../src/domain/order-view';
import {
  cancelLinesUpdate,
  changeAddressUpdate,
  closeFulfillmentUpdate,
  type CancelLinesRequest,
  type CloseFulfillmentRequest,
} from '../workflows/fulfillment.messages';
import type { ActivityDeps } from './deps';
import { sendFulfillmentUpdate } from './fulfillment-updates';

export interface RecordFulfillmentInput {
  fulfillmentId: string;
  orderId: string;
  nodeId: string;
  lines: { lineId: string; sku: string; quantity: number }[];
  /** The child workflow that owns the fulfilment (`fulfillment:<id>`); absent for v1 orders (the order owns it). */
  workflowId?: string;
  /** `ship` or `pickup`; absent means ship. */
  method?: 'ship' | 'pickup';
}

/** What a fulfilment child answered to the parent's change: applied (with its view afterwards) or refused. */
export type FulfillmentChangeOutcome =
  | { outcome: 'applied'; view: FulfillmentView }
  | { outcome: 'refused'; reason: string; type: string };

export interface CancelFulfillmentLinesInput {
  fulfillmentId: string;
  request: CancelLinesRequest;
}

export interface ChangeFulfillmentAddressInput {
  fulfillmentId: string;
  address: Address;
  actor: string;
}

export interface CloseFulfillmentInput {
  fulfillmentId: string;
  request: CloseFulfillmentRequest;
}

/** Fulfilment records (how the gateway finds the workflow behind a fulfilmentId) and the parent's changes to a child. */
export function createFulfillmentActivities({ collections, temporal }: ActivityDeps) {
  // The worker's own client when none is injected (it exists only inside a running activity).
  const client = (): Client => temporal?.client ?? getClient();

  return {
    /** Records the fulfilment once; a retry leaves the first record as it is. */
    async recordFulfillment(input: RecordFulfillmentInput): Promise<void> {
      const { fulfillmentId, ...rest } = input;
      await collections.fulfillments.updateOne(
        { _id: fulfillmentId },
        { $setOnInsert: { ...rest, createdAt: new Date().toISOString() } },
        { upsert: true },
      );
    },

    /**
     * Takes units (or everything) off a fulfilment child through its validated Update: the child's own
     * yes (its view afterwards) or no (`AlreadyShipped` once the parcel has left, …), never an exception.
     */
    async cancelFulfillmentLines(input: CancelFulfillmentLinesInput): Promise<FulfillmentChangeOutcome> {
      return sendFulfillmentUpdate(client(), input.fulfillmentId, cancelLinesUpdate, input.request);
    },

    /** Changes a fulfilment child's destination (before the parcel leaves); the child's own yes or no. */
    async changeFulfillmentAddress(input: ChangeFulfillmentAddressInput): Promise<FulfillmentChangeOutcome> {
      return sendFulfillmentUpdate(client(), input.fulfillmentId, changeAddressUpdate, {
        address: input.address,
        actor: input.actor,
      });
    },

    /** Ends a child left in carrier `exception` once an agent has decided (reship or refund); refused otherwise. */
    async closeFulfillment(input: CloseFulfillmentInput): Promise<FulfillmentChangeOutcome> {
      return sendFulfillmentUpdate(client(), input.fulfillmentId, closeFulfillmentUpdate, input.request);
    },
  };
}
