import type { Role } from '../src/config';
import type { CarrierEventType } from '../workflows/order.messages';
import type { ActivityDeps } from './deps';
import { businessFailure, FAILURE_TYPES } from './failures';

export interface SimulatedShipInput {
  orderId: string;
  fulfillmentId: string;
}
export interface SimulatedCarrierEventInput {
  fulfillmentId: string;
  trackingNumber: string;
  event: CarrierEventType;
}

/**
 * Auto simulation: node staff and the carrier act through the real HTTP routes, with dev API keys,
 * exactly as a real node and carrier would.
 */
export function createSimulationActivities({ config, fetch: fetchImpl = fetch }: ActivityDeps) {
  // The first configured key of the first role that has one (roles in order of preference).
  const keyFor = (roles: readonly Role[]): string => {
    for (const wanted of roles) for (const [key, role] of config.apiKeys) if (role === wanted) return key;
    throw businessFailure(
      FAILURE_TYPES.simulationRejected,
      `auto simulation needs an API key with role ${roles.join(' or ')}`,
    );
  };

  async function call(
    method: 'GET' | 'POST',
    path: string,
    key: string,
    body?: unknown,
    idempotencyKey?: string,
  ): Promise<{ status: number; body: unknown }> {
    const response = await fetchImpl(`${config.gatewayUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    // The gateway being down or overloaded is worth a retry; its considered "no" is not.
    if (response.status >= 500 || response.status === 429) {
      throw new Error(`gateway answered ${response.status} to ${method} ${path}`);
    }
    return { status: response.status, body: parsed };
  }

  const rejected = (what: string, answer: { status: number; body: unknown }) =>
    businessFailure(
      FAILURE_TYPES.simulationRejected,
      `${what}: gateway answered ${answer.status}`,
      answer.body,
    );

  return {
    /** Node staff press "ship": answers the tracking number. */
    async postSimulatedShip({
      orderId,
      fulfillmentId,
    }: SimulatedShipInput): Promise<{ trackingNumber: string }> {
      const path = `/v1/fulfillments/${encodeURIComponent(fulfillmentId)}/ship`;
      const answer = await call('POST', path, keyFor(['node', 'admin']), {}, `sim-ship:${fulfillmentId}`);
      const trackingNumber = (answer.body as { trackingNumber?: unknown } | undefined)?.trackingNumber;
      if (answer.status < 300 && typeof trackingNumber === 'string') return { trackingNumber };
      if (answer.status === 409) {
        // Shipped by an earlier attempt whose answer was lost: read the tracking number off the order.
        const order = await call(
          'GET',
          `/v1/orders/${encodeURIComponent(orderId)}`,
          keyFor(['admin', 'agent']),
        );
        const fulfillments = (
          order.body as { fulfillments?: { fulfillmentId: string; trackingNumber?: string }[] }
        )?.fulfillments;
        const shipped = fulfillments?.find((f) => f.fulfillmentId === fulfillmentId)?.trackingNumber;
        if (shipped) return { trackingNumber: shipped };
      }
      throw rejected(`ship ${fulfillmentId}`, answer);
    },

    /** The carrier reports a tracking event through its webhook. */
    async postSimulatedCarrierEvent({
      fulfillmentId,
      trackingNumber,
      event,
    }: SimulatedCarrierEventInput): Promise<void> {
      const answer = await call(
        'POST',
        '/v1/webhooks/carrier',
        keyFor(['carrier']),
        { trackingNumber, event, at: new Date().toISOString() },
        `sim-carrier:${fulfillmentId}:${event}`,
      );
      // 409: the order has already closed, so the event has nothing left to change.
      if (answer.status >= 300 && answer.status !== 409)
        throw rejected(`carrier ${event} for ${trackingNumber}`, answer);
    },
  };
}
