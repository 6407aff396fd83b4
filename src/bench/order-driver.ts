import type { Collection } from 'mongodb';
import type { OrderDoc } from '../db/documents';
import type { OrderStatus, OrderView } from '../domain/order-view';
import { devKeyFor } from './bench-orders';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Statuses an order never leaves (for the bench: it cannot be completed any more). */
const DEAD_ENDS: readonly OrderStatus[] = ['cancelled', 'payment_failed', 'returned'];

/** Answers that mean "not yet": the fulfilment is not recorded yet, or its workflow is busy. */
const RETRYABLE = new Set([404, 409, 503]);

/** The HTTP calls node staff and the carrier make, against one gateway. */
export class BenchDriver {
  constructor(
    private readonly gatewayUrl: string,
    private readonly orders: Collection<OrderDoc>,
    private readonly pollMs = 50,
  ) {}

  private async call(method: string, path: string, role: string, body?: unknown): Promise<Response> {
    return fetch(`${this.gatewayUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${devKeyFor(role)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  /** `GET /v1/orders/{id}` as an agent. */
  async readOrder(orderId: string): Promise<OrderView> {
    const response = await this.call('GET', `/v1/orders/${orderId}`, 'agent');
    if (!response.ok)
      throw new Error(`GET /v1/orders/${orderId}: ${response.status} ${await response.text()}`);
    return (await response.json()) as OrderView;
  }

  /** `POST /v1/fulfillments/{id}/ship` as node staff, retried while the fulfilment is not ready; the tracking number. */
  async ship(fulfillmentId: string, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const response = await this.call('POST', `/v1/fulfillments/${fulfillmentId}/ship`, 'node');
      if (response.ok) return ((await response.json()) as { trackingNumber: string }).trackingNumber;
      const text = await response.text();
      if (!RETRYABLE.has(response.status) || Date.now() > deadline) {
        throw new Error(`POST /v1/fulfillments/${fulfillmentId}/ship: ${response.status} ${text}`);
      }
      await pause(this.pollMs);
    }
  }

  /** `POST /v1/webhooks/carrier` as the carrier. */
  async reportParcel(trackingNumber: string, event: 'in_transit' | 'delivered'): Promise<void> {
    const response = await this.call('POST', '/v1/webhooks/carrier', 'carrier', {
      trackingNumber,
      event,
      at: new Date().toISOString(),
    });
    if (response.status !== 202) {
      throw new Error(`carrier ${event} for ${trackingNumber}: ${response.status} ${await response.text()}`);
    }
    await response.arrayBuffer();
  }

  /** Polls the read model (an `_id` lookup) until the order is past `version` or completed. */
  private async waitForChange(orderId: string, version: number, deadline: number): Promise<OrderStatus> {
    for (;;) {
      const doc = await this.orders.findOne({ _id: orderId }, { projection: { status: 1, version: 1 } });
      if (doc && (doc.version > version || doc.status === 'completed')) return doc.status;
      if (Date.now() > deadline)
        throw new Error(`order ${orderId} did not move past version ${version} in time`);
      await pause(this.pollMs);
    }
  }

  /**
   * Drives a placed order to `completed` as node staff and the carrier would: whenever the order moves, reads
   * it over HTTP and ships every fulfilment waiting at its node, then reports the parcel in transit and
   * delivered. Any number of fulfilments, appearing at any time (splits, re-sourcing), are handled.
   */
  async complete(orderId: string, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const shipped = new Set<string>();
    let version = -1;
    for (;;) {
      const status = await this.waitForChange(orderId, version, deadline);
      if (status === 'completed') return;
      if (DEAD_ENDS.includes(status)) throw new Error(`order ${orderId} ended ${status}`);
      const view = await this.readOrder(orderId);
      if (view.status === 'completed') return;
      version = view.version;
      for (const fulfillment of view.fulfillments) {
        if (fulfillment.status !== 'created' || shipped.has(fulfillment.fulfillmentId)) continue;
        shipped.add(fulfillment.fulfillmentId);
        const trackingNumber = await this.ship(fulfillment.fulfillmentId);
        await this.reportParcel(trackingNumber, 'in_transit');
        await this.reportParcel(trackingNumber, 'delivered');
      }
    }
  }
}
