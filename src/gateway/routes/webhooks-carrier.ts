import { WorkflowNotFoundError } from '@temporalio/client';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  CARRIER_EVENT_DELIVERIES,
  carrierEventId,
  carrierEventsOf,
  markCarrierEventDelivered,
  recordCarrierEvent,
  type CarrierEventDelivery,
  type CarrierEventDoc,
} from '../../carriers/carrier-event-log';
import type { ShipmentDoc } from '../../db/documents';
import { expiryFor } from '../../db/retention';
import { NotFoundError } from '../../errors';
import { CARRIER_EVENTS, carrierEventSignal, orderWorkflowId } from '../../../workflows/order.messages';
import { fulfillmentCarrierEventSignal } from '../../../workflows/fulfillment.messages';
import type { GatewayDeps } from '../deps';
import { actorOf, fromFulfillmentMessageError } from '../fulfillment-owner';
import { defineRoute } from '../route';

export const CarrierWebhook = z
  .object({
    trackingNumber: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a tracking number we issued'),
    event: z.enum(CARRIER_EVENTS),
    at: z.iso.datetime({ offset: true }),
  })
  .strict();

export const WebhookAccepted = z
  .object({
    accepted: z.literal(true),
    duplicate: z.boolean().describe('The same event (parcel, event, instant) was received before'),
    delivery: z
      .enum(CARRIER_EVENT_DELIVERIES)
      .describe(
        '`signalled`: passed to the workflow that follows the parcel; `fulfillment_closed` / `order_closed`: ' +
          'that workflow has ended, the event is recorded only and changes nothing',
      ),
  })
  .strict();

/** The fulfilment child that follows the parcel, when it has one (shipments booked by a child name it). */
async function childWorkflowOf(deps: GatewayDeps, shipment: ShipmentDoc): Promise<string | undefined> {
  if (shipment.workflowId) return shipment.workflowId;
  const fulfillment = await deps.collections.fulfillments.findOne({ _id: shipment.fulfillmentId });
  return fulfillment?.workflowId;
}

/**
 * Signals the workflow that follows the parcel. One that has ended answers what the event became (recorded
 * only): carriers retry anything but a 2xx, so a late or repeated event must be acknowledged, never refused.
 * Temporal being unreachable throws (the carrier gets a 5xx and sends it again).
 */
async function signalFollower(
  deps: GatewayDeps,
  shipment: ShipmentDoc,
  event: CarrierEventDoc,
  log: Logger,
): Promise<CarrierEventDelivery> {
  const signal = {
    trackingNumber: event.trackingNumber,
    fulfillmentId: shipment.fulfillmentId,
    event: event.event,
    at: event.at,
  };
  const childId = await childWorkflowOf(deps, shipment);
  try {
    if (childId) {
      await deps.temporal.workflow
        .getHandle(childId)
        .signal(fulfillmentCarrierEventSignal, { ...signal, actor: event.actor });
    } else {
      await deps.temporal.workflow
        .getHandle(orderWorkflowId(shipment.orderId))
        .signal(carrierEventSignal, signal);
    }
    return 'signalled';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      log.info(
        { trackingNumber: event.trackingNumber, event: event.event },
        'carrier event after the parcel closed',
      );
      return childId ? 'fulfillment_closed' : 'order_closed';
    }
    throw fromFulfillmentMessageError(error, {
      fulfillmentId: shipment.fulfillmentId,
      orderId: shipment.orderId,
      ...(childId ? { workflowId: childId } : {}),
    });
  }
}

/** `POST /v1/webhooks/carrier`: a tracking event, recorded once and passed to the workflow that follows the parcel. */
export const carrierWebhookRoute = defineRoute({
  method: 'post',
  path: '/v1/webhooks/carrier',
  operationId: 'receiveCarrierEvent',
  tag: 'Webhooks',
  summary: 'Report a parcel tracking event',
  description:
    "Recorded once per parcel, event and instant in `carrier_events`, then signalled to the parcel's " +
    'fulfilment workflow (or, for orders placed before fulfilments had their own, the order). Repeated, ' +
    'out-of-order and late events are harmless and always acknowledged with 202: a redelivery answers ' +
    '`duplicate: true` without signalling again, and an event for a fulfilment (or order) that has ended is ' +
    'recorded only (`delivery: fulfillment_closed` / `order_closed`). Each change applies once (a delivered ' +
    'parcel captures its payment share exactly once). A tracking number we never issued is a 404: the ' +
    'carrier retries, which also covers an event that overtakes the booking being recorded.',
  roles: ['carrier'],
  body: CarrierWebhook,
  idempotencyKey: true,
  responses: {
    202: { description: 'Recorded, and passed on unless its parcel is closed', schema: WebhookAccepted },
    404: { description: 'Unknown tracking number' },
  },
  async handle({ body, deps, principal, log }) {
    const shipment = await deps.collections.shipments.findOne({ _id: body.trackingNumber });
    if (!shipment) throw new NotFoundError(`Tracking number ${body.trackingNumber} is not known.`);
    const events = carrierEventsOf(deps.collections.orders.db);
    const { doc, duplicate } = await recordCarrierEvent(events, {
      _id: carrierEventId(body),
      ...body,
      fulfillmentId: shipment.fulfillmentId,
      orderId: shipment.orderId,
      actor: actorOf(principal),
      receivedAt: new Date().toISOString(),
      expireAt: expiryFor('carrier_events'),
    });
    // A redelivery whose first delivery never reached the workflow (Temporal was down) passes it on now.
    let delivery = doc.delivery;
    if (!delivery) {
      delivery = await signalFollower(deps, shipment, doc, log);
      await markCarrierEventDelivered(events, doc._id, delivery);
    }
    return { status: 202, body: { accepted: true as const, duplicate, delivery } };
  },
});
