import { isSimulatedParcelLost } from '../src/carriers/simulated-carrier';
import type { Role } from '../src/config';
import type { FulfillmentView } from '../src/domain/order-view';
import type { CarrierEventType } from '../workflows/order.messages';
import type { ActivityDeps } from './deps';
import { businessFailure, FAILURE_TYPES } from './failures';

export interface SimulatedShipInput {
  orderId: string;
  fulfillmentId: string;
}
/** A step node staff (or the customer at the store) take on a fulfilment, as its HTTP route names it. */
export const HANDOVER_STEPS = ['ship', 'ready', 'picked-up'] as const;
export type HandoverStep = (typeof HANDOVER_STEPS)[number];

export interface SimulatedHandoverInput {
  orderId: string;
  fulfillmentId: string;
  step: HandoverStep;
}

/**
 * What the gateway answered: `done` (with the tracking number after `ship`), `on_hold` (the order is held:
 * try again later), or `closed` (the fulfilment no longer takes this step: cancelled, rejected, not collected).
 */
export type SimulatedHandoverOutcome =
  | { outcome: 'done'; trackingNumber?: string }
  | { outcome: 'on_hold' }
  | { outcome: 'closed'; reason: string };

/** The status a step leads to: an earlier attempt whose answer was lost may already have taken it. */
const STATUS_AFTER: Record<HandoverStep, FulfillmentView['status'][]> = {
  ship: ['shipped', 'in_transit', 'delivered', 'exception'],
  ready: ['ready_for_pickup', 'picked_up', 'not_collected'],
  'picked-up': ['picked_up'],
};

export interface SimulatedCarrierEventInput {
  fulfillmentId: string;
  trackingNumber: string;
  event: CarrierEventType;
}

/** The gateway answers JSON; anything else (a proxy's error page) is kept as text for the failure message. */
function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
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
    // The gateway being down or overloaded is worth a retry; its considered "no" is not.
    if (response.status >= 500 || response.status === 429) {
      throw new Error(`gateway answered ${response.status} to ${method} ${path}: ${text.slice(0, 200)}`);
    }
    return { status: response.status, body: parseBody(text) };
  }

  /** The fulfilment as the order shows it (its live view or read model). */
  async function readFulfillment(
    orderId: string,
    fulfillmentId: string,
  ): Promise<FulfillmentView | undefined> {
    const order = await call('GET', `/v1/orders/${encodeURIComponent(orderId)}`, keyFor(['admin', 'agent']));
    const fulfillments = (order.body as { fulfillments?: FulfillmentView[] } | undefined)?.fulfillments;
    return fulfillments?.find((f) => f.fulfillmentId === fulfillmentId);
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
        const shipped = (await readFulfillment(orderId, fulfillmentId))?.trackingNumber;
        if (shipped) return { trackingNumber: shipped };
      }
      throw rejected(`ship ${fulfillmentId}`, answer);
    },

    /**
     * Node staff ship or put out a parcel, or the customer collects it, through the fulfilment routes.
     * A refusal is an answer, not a failure: on hold means later; a step already taken (an earlier attempt
     * whose answer was lost) is done; anything else means the fulfilment has closed.
     */
    async postSimulatedHandover({
      orderId,
      fulfillmentId,
      step,
    }: SimulatedHandoverInput): Promise<SimulatedHandoverOutcome> {
      const path = `/v1/fulfillments/${encodeURIComponent(fulfillmentId)}/${step}`;
      const answer = await call('POST', path, keyFor(['node', 'admin']), {}, `sim-${step}:${fulfillmentId}`);
      const body = answer.body as { trackingNumber?: unknown; type?: unknown; detail?: unknown } | undefined;
      if (answer.status < 300) {
        return typeof body?.trackingNumber === 'string'
          ? { outcome: 'done', trackingNumber: body.trackingNumber }
          : { outcome: 'done' };
      }
      if (answer.status !== 409) throw rejected(`${step} ${fulfillmentId}`, answer);
      if (body?.type === '/problems/order-on-hold') return { outcome: 'on_hold' };
      const current = await readFulfillment(orderId, fulfillmentId);
      // A transfer leg shipped by an earlier attempt: the part stays `created` until the store makes it ready.
      const transfer = step === 'ship' ? current?.transfer : undefined;
      if (transfer?.trackingNumber && transfer.status !== 'pending')
        return { outcome: 'done', trackingNumber: transfer.trackingNumber };
      if (current && STATUS_AFTER[step].includes(current.status)) {
        return current.trackingNumber
          ? { outcome: 'done', trackingNumber: current.trackingNumber }
          : { outcome: 'done' };
      }
      return {
        outcome: 'closed',
        reason: typeof body?.detail === 'string' ? body.detail : `${answer.status}`,
      };
    },

    /** Whether the simulated carrier loses this parcel (OMS_SIM_LOST_RATE of them): the same answer every time. */
    async chooseSimulatedParcelFate({
      fulfillmentId,
    }: {
      fulfillmentId: string;
    }): Promise<'delivered' | 'lost'> {
      return isSimulatedParcelLost(fulfillmentId, config.simLostRate ?? 0) ? 'lost' : 'delivered';
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
      // The gateway accepts late and repeated events (202); 409 is still taken from a gateway of an older build.
      if (answer.status >= 300 && answer.status !== 409)
        throw rejected(`carrier ${event} for ${trackingNumber}`, answer);
    },
  };
}
