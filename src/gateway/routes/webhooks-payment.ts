import { MongoServerError } from 'mongodb';
import { z } from 'zod';
import { Currency, Identifier, MinorUnits } from '../../domain/order-request';
import { ConflictError } from '../../errors';
import { hashRequest } from '../canonical-json';
import { defineRoute } from '../route';

export const PAYMENT_EVENT_TYPES = [
  'authorized',
  'declined',
  'captured',
  'capture_failed',
  'refunded',
  'refund_failed',
  'chargeback',
] as const;

export const PaymentWebhook = z
  .object({
    eventId: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, "the provider's event id"),
    type: z.enum(PAYMENT_EVENT_TYPES),
    orderId: Identifier,
    amountMinor: MinorUnits.optional(),
    currency: Currency.optional(),
    reference: z.string().min(1).max(200).optional().describe("the provider's payment reference"),
    at: z.iso.datetime({ offset: true }),
  })
  .strict();
export type PaymentWebhook = z.infer<typeof PaymentWebhook>;

/** A provider event as recorded; `_id` is the provider's eventId, so each event is stored once. */
export interface PaymentEventDoc extends PaymentWebhook {
  _id: string;
  requestHash: string;
  receivedAt: string;
}

export const PAYMENT_EVENTS_COLLECTION = 'payment_events';

export const PaymentEventAccepted = z.object({ accepted: z.literal(true), duplicate: z.boolean() }).strict();

/** `POST /v1/webhooks/payment`: an asynchronous provider outcome, recorded once per eventId. */
export const paymentWebhookRoute = defineRoute({
  method: 'post',
  path: '/v1/webhooks/payment',
  operationId: 'receivePaymentEvent',
  tag: 'Webhooks',
  summary: 'Report an asynchronous payment outcome',
  description:
    'Recorded once per `eventId` in `payment_events`: a redelivery of the same event answers 202 with ' +
    '`duplicate: true`; another event under the same id is a 409.',
  roles: ['payment'],
  body: PaymentWebhook,
  responses: {
    202: { description: 'Recorded', schema: PaymentEventAccepted },
    409: { description: 'The eventId was used for a different event' },
  },
  async handle({ body, deps }) {
    const events = deps.collections.orders.db.collection<PaymentEventDoc>(PAYMENT_EVENTS_COLLECTION);
    const requestHash = hashRequest(body);
    try {
      await events.insertOne({
        _id: body.eventId,
        ...body,
        requestHash,
        receivedAt: new Date().toISOString(),
      });
      return { status: 202, body: { accepted: true, duplicate: false } };
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
    }
    const first = await events.findOne({ _id: body.eventId });
    if (first?.requestHash !== requestHash) {
      throw new ConflictError(`Payment event ${body.eventId} was received before with other content.`);
    }
    return { status: 202, body: { accepted: true, duplicate: true } };
  },
});
