import { z } from 'zod';
import { NotFoundError } from '../../errors';
import { CARRIER_EVENTS, carrierEventSignal, orderWorkflowId } from '../../../workflows/order.messages';
import { defineRoute } from '../route';
import { fromWorkflowMessageError } from '../workflow-errors';

export const CarrierWebhook = z
  .object({
    trackingNumber: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a tracking number we issued'),
    event: z.enum(CARRIER_EVENTS),
    at: z.iso.datetime({ offset: true }),
  })
  .strict();

export const WebhookAccepted = z.object({ accepted: z.literal(true) }).strict();

/** `POST /v1/webhooks/carrier`: a tracking event, passed to the order as a signal. */
export const carrierWebhookRoute = defineRoute({
  method: 'post',
  path: '/v1/webhooks/carrier',
  operationId: 'receiveCarrierEvent',
  tag: 'Webhooks',
  summary: 'Report a parcel tracking event',
  description:
    'Signals the order that owns the parcel. Repeated events are harmless: the order applies each change ' +
    'once (a delivered parcel captures its payment share exactly once).',
  roles: ['carrier'],
  body: CarrierWebhook,
  idempotencyKey: true,
  responses: {
    202: { description: 'Passed to the order', schema: WebhookAccepted },
    404: { description: 'Unknown tracking number' },
    409: { description: 'The order is closed' },
  },
  async handle({ body, deps }) {
    const shipment = await deps.collections.shipments.findOne({ _id: body.trackingNumber });
    if (!shipment) throw new NotFoundError(`Tracking number ${body.trackingNumber} is not known.`);
    try {
      await deps.temporal.workflow
        .getHandle(orderWorkflowId(shipment.orderId))
        .signal(carrierEventSignal, { ...body, fulfillmentId: shipment.fulfillmentId });
    } catch (error) {
      throw fromWorkflowMessageError(error, shipment.orderId);
    }
    return { status: 202, body: { accepted: true } };
  },
});
