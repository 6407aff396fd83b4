import type { Address } from '../../../src/domain/order-request';
import type { FulfillmentView, OrderStatus, OrderView } from '../../../src/domain/order-view';
import { summarizePaymentLedger, type PaymentLedgerSummary } from '../../../src/payments';
import type { ApiAnswer, LiveStack } from './live-stack';

/**
 * What the lifecycle tests do over the live stack's HTTP routes, as the network's admin, a channel, an agent,
 * node staff and the carrier would; plus the two things only the provider and the stock records know (the
 * payment ledger, reconciliation).
 */

/** Terminal order statuses: an order waited for that ends in another one fails at once. */
const TERMINAL: readonly OrderStatus[] = ['completed', 'cancelled', 'payment_failed'];

let counter = 0;

/** An id no other test (or rerun) uses. */
export const uniqueId = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${++counter}`;

export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `read` returns something; fails with what it waited for when the deadline passes. */
export async function eventually<T>(
  what: string,
  read: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await pause(150);
  }
}

/** Fails with the answer's body in the message, which is what one wants to see when a status is wrong. */
export function expectStatus(answer: ApiAnswer, status: number): ApiAnswer {
  if (answer.status !== status) {
    throw new Error(`expected HTTP ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return answer;
}

/** A warehouse of the test network: where it is, in France. */
export interface NodeSeed {
  lat: number;
  lon: number;
  postalCode: string;
}

/** Creates warehouses that ship, over the admin routes. */
export async function seedWarehouses(stack: LiveStack, nodes: Record<string, NodeSeed>): Promise<void> {
  for (const [nodeId, location] of Object.entries(nodes)) {
    const answer = await stack.call('PUT', `/v1/nodes/${nodeId}`, 'admin', {
      name: nodeId,
      type: 'warehouse',
      location: { ...location, country: 'FR' },
      capabilities: ['ship'],
    });
    expect([200, 201]).toContain(answer.status);
  }
}

/** A product of its own for one test (optionally with its own return window), counted at the given nodes; answers its SKU. */
export async function seedProduct(
  stack: LiveStack,
  priceMinor: number,
  stock: Record<string, number>,
  product: { returnWindowDays?: number } = {},
): Promise<string> {
  const sku = uniqueId('SKU');
  expectStatus(
    await stack.call('PUT', `/v1/products/${sku}`, 'admin', {
      name: `Product ${sku}`,
      priceMinor,
      currency: 'EUR',
      weightGrams: 300,
      ...product,
    }),
    201,
  );
  for (const [nodeId, onHand] of Object.entries(stock)) {
    const counted = await stack.call('PUT', `/v1/inventory/${sku}/${nodeId}`, 'admin', { onHand });
    expect(counted.body).toMatchObject({ onHand, reserved: 0, available: onHand });
  }
  return sku;
}

/** One line of an order to place. */
export interface LineSeed {
  lineId: string;
  sku: string;
  quantity: number;
  unitPriceMinor: number;
}

/** The body of POST /v1/orders for a parcel to `address`. */
export function orderBody(lines: LineSeed[], address: Address, token = 'tok_ok') {
  return {
    orderId: uniqueId('order'),
    channel: 'web',
    customer: { id: uniqueId('cust'), email: 'ada@example.com', name: 'Ada' },
    currency: 'EUR',
    lines,
    delivery: { method: 'ship' as const, address },
    payment: { token },
  };
}

/** Places the order as a channel; answers its id. */
export async function placeOrder(stack: LiveStack, body: ReturnType<typeof orderBody>): Promise<string> {
  expectStatus(await stack.call('POST', '/v1/orders', 'channel', body), 201);
  return body.orderId;
}

export async function readOrder(stack: LiveStack, orderId: string): Promise<OrderView> {
  return expectStatus(await stack.call('GET', `/v1/orders/${orderId}`, 'agent'), 200).body as OrderView;
}

/** Polls GET /v1/orders/{id} until `accept` holds; an order that ends without it fails at once. */
export function waitForOrder(
  stack: LiveStack,
  orderId: string,
  what: string,
  accept: (view: OrderView) => boolean,
  timeoutMs = 30_000,
): Promise<OrderView> {
  return eventually(
    `order ${orderId}: ${what}`,
    async () => {
      const view = await readOrder(stack, orderId);
      if (accept(view)) return view;
      if (TERMINAL.includes(view.status)) {
        throw new Error(`order ${orderId} ended ${view.status} before ${what}`);
      }
      return undefined;
    },
    timeoutMs,
  );
}

/** Polls until the order reaches `status`. */
export function waitForStatus(
  stack: LiveStack,
  orderId: string,
  status: OrderStatus,
  timeoutMs = 30_000,
): Promise<OrderView> {
  return waitForOrder(stack, orderId, `status ${status}`, (view) => view.status === status, timeoutMs);
}

/** The order's fulfilment at a node (there must be exactly one that is not cancelled or rejected). */
export function fulfillmentAt(view: OrderView, nodeId: string): FulfillmentView {
  const found = view.fulfillments.filter(
    (f) => f.nodeId === nodeId && f.status !== 'cancelled' && f.status !== 'rejected',
  );
  if (found.length !== 1) {
    throw new Error(`expected one live fulfilment at ${nodeId}, found ${JSON.stringify(view.fulfillments)}`);
  }
  return found[0] as FulfillmentView;
}

/** A stock record as GET /v1/inventory/{sku}/{nodeId} shows it. */
export interface StockView {
  onHand: number;
  reserved: number;
  available: number;
}

export async function readStock(stack: LiveStack, sku: string, nodeId: string): Promise<StockView> {
  const { onHand, reserved, available } = expectStatus(
    await stack.call('GET', `/v1/inventory/${sku}/${nodeId}`, 'admin'),
    200,
  ).body as StockView;
  return { onHand, reserved, available };
}

/** Node staff hand the parcel to the carrier; answers its tracking number. */
export async function shipFulfillment(stack: LiveStack, fulfillmentId: string): Promise<string> {
  const answer = expectStatus(
    await stack.call('POST', `/v1/fulfillments/${fulfillmentId}/ship`, 'node'),
    200,
  );
  return answer.body.trackingNumber as string;
}

/** The carrier reports a tracking event by webhook. */
export async function reportCarrierEvent(
  stack: LiveStack,
  trackingNumber: string,
  event: 'in_transit' | 'delivered' | 'exception',
): Promise<void> {
  expectStatus(
    await stack.call('POST', '/v1/webhooks/carrier', 'carrier', {
      trackingNumber,
      event,
      at: new Date().toISOString(),
    }),
    202,
  );
}

/** Ships every fulfilment still at its node and has the carrier deliver every parcel; answers the tracking numbers. */
export async function shipAndDeliverAll(stack: LiveStack, orderId: string): Promise<string[]> {
  const view = await readOrder(stack, orderId);
  const tracking: string[] = [];
  for (const fulfillment of view.fulfillments) {
    if (fulfillment.status === 'created')
      tracking.push(await shipFulfillment(stack, fulfillment.fulfillmentId));
    else if (['shipped', 'in_transit'].includes(fulfillment.status) && fulfillment.trackingNumber)
      tracking.push(fulfillment.trackingNumber);
  }
  for (const trackingNumber of tracking) {
    await reportCarrierEvent(stack, trackingNumber, 'in_transit');
    await reportCarrierEvent(stack, trackingNumber, 'delivered');
  }
  return tracking;
}

/** Asks the provider's books what the order's money did. */
export function paymentSummary(stack: LiveStack, orderId: string): Promise<PaymentLedgerSummary> {
  return summarizePaymentLedger(stack.paymentLedger(), orderId);
}

/** Operation kinds in the provider's books, counted (e.g. `{authorize: 1, capture: 2}`). */
export function countOperations(summary: PaymentLedgerSummary): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const op of summary.operations) counts[op.operation] = (counts[op.operation] ?? 0) + 1;
  return counts;
}

/** Stock drift the reconciliation route finds for these SKUs (empty when counters, reservations and ledger agree). */
export async function stockDrift(stack: LiveStack, skus: string[]): Promise<unknown[]> {
  const query = skus.map((sku) => `sku=${encodeURIComponent(sku)}`).join('&');
  const report = expectStatus(await stack.call('GET', `/v1/inventory/reconciliation?${query}`, 'admin'), 200);
  expect(report.body.checked).toBeGreaterThan(0);
  return report.body.drift as unknown[];
}

/** One entry of the order's notification outbox, as GET /v1/orders/{id}/notifications lists it. */
export interface NotificationEntry {
  id: string;
  event: string;
  status: string;
  attempts: number;
}

export async function readNotifications(stack: LiveStack, orderId: string): Promise<NotificationEntry[]> {
  const answer = expectStatus(await stack.call('GET', `/v1/orders/${orderId}/notifications`, 'agent'), 200);
  return answer.body.items as NotificationEntry[];
}

/** Events of the outbox entries, sorted, for comparing as a multiset. */
export const eventsOf = (entries: readonly NotificationEntry[]): string[] =>
  entries.map((entry) => entry.event).sort();

/** Polls until the order's outbox holds at least `atLeast` entries, all sent; answers them. */
export function waitForNotificationsSent(
  stack: LiveStack,
  orderId: string,
  atLeast: number,
): Promise<NotificationEntry[]> {
  return eventually(`${atLeast} notifications of order ${orderId} to be sent`, async () => {
    const found = await readNotifications(stack, orderId);
    return found.length >= atLeast && found.every((e) => e.status === 'sent') ? found : undefined;
  });
}
