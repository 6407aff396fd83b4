import { z } from 'zod';
import { NotFoundError } from '../../errors';
import { CARRIER_EVENTS, carrierEventSignal, orderWorkflowId } from '../../../workflows/order.messages';
import { fulfillmentCarrierEventSignal } from '../../../workflows/fulfillment.messages';
import type { GatewayDeps } from '../deps';
import { fromFulfillmentMessageError } from '../fulfillment-owner';
import { defineRoute } from '../route';

export const CarrierWebhook = z
  .object({
    trackingNumber: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a tracking number we issued'),
    event: z.enum(CARRIER_EVENTS),
    at: z.iso.datetime({ offset: true }),
  })
  .strict();

export const WebhookAccepted = z.object({ accepted: z.literal(true) }).strict();

/** The fulfilment child that follows the parcel, when it has one (shipments booked by a child name it). */
async function childWorkflowOf(
  deps: GatewayDeps,
  shipment: { workflowId?: string; fulfillmentId: string },
): Promise<string | undefined> {
  if (shipment.workflowId) return shipment.workflowId;
  const fulfillment = await deps.collections.fulfillments.findOne({ _id: shipment.fulfillmentId });
  return fulfillment?.workflowId;
}

/** `POST /v1/webhooks/carrier`: a tracking event, passed as a signal to the workflow that follows the parcel. */
export const carrierWebhookRoute = defineRoute({
  method: 'post',
  path: '/v1/webhooks/carrier',
  operationId: 'receiveCarrierEvent',
  tag: 'Webhooks',
  summary: 'Report a parcel tracking event',
  description:
    "Signals the parcel's fulfilment workflow (or, for orders placed before fulfilments had their own, the " +
    'order). Repeated and out-of-order events are harmless: each change applies once (a delivered parcel ' +
    'captures its payment share exactly once).',
  roles: ['carrier'],
  body: CarrierWebhook,
  idempotencyKey: true,
  responses: {
    202: { description: 'Passed to the workflow that follows the parcel', schema: WebhookAccepted },
    404: { description: 'Unknown tracking number' },
    409: { description: 'The fulfilment (or order) is closed' },
  },
  async handle({ body, deps }) {
    const shipment = await deps.collections.shipments.findOne({ _id: body.trackingNumber });
    if (!shipment) throw new NotFoundError(`Tracking number ${body.trackingNumber} is not known.`);
    const event = { ...body, fulfillmentId: shipment.fulfillmentId };
    const childId = await childWorkflowOf(deps, shipment);
    try {
      if (childId) {
        await deps.temporal.workflow.getHandle(childId).signal(fulfillmentCarrierEventSignal, event);
      } else {
        await deps.temporal.workflow
          .getHandle(orderWorkflowId(shipment.orderId))
          .signal(carrierEventSignal, event);
      }
    } catch (error) {
      throw fromFulfillmentMessageError(error, {
        fulfillmentId: shipment.fulfillmentId,
        orderId: shipment.orderId,
        ...(childId ? { workflowId: childId } : {}),
      });
    }
    return { status: 202, body: { accepted: true } };
  },
});
