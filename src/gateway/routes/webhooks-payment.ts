import { WorkflowNotFoundError } from '@temporalio/client';
import { MongoServerError } from 'mongodb';
import { z } from 'zod';
import { orderWorkflowId, paymentEventSignal, type PaymentEvent } from '../../../workflows/order.messages';
import { Currency, Identifier, MinorUnits } from '../../domain/order-request';
import { expiryFor } from '../../db/retention';
import { ConflictError } from '../../errors';
import { hashRequest } from '../canonical-json';
import type { GatewayDeps } from '../deps';
import { defineRoute } from '../route';
import type { Logger } from 'pino';

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
    reference: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('the operation it answers: the idempotency key we sent with it'),
    at: z.iso.datetime({ offset: true }),
  })
  .strict();
export type PaymentWebhook = z.infer<typeof PaymentWebhook>;

/** What became of a recorded event: passed to its order, or kept only (the order is closed or unknown). */
export type PaymentEventDelivery = 'signalled' | 'order_not_running';

/** A provider event as recorded; `_id` is the provider's eventId, so each event is stored once. */
export interface PaymentEventDoc extends PaymentWebhook {
  _id: string;
  requestHash: string;
  receivedAt: string;
  /** When MongoDB may drop the record (TTL index, `src/db/retention.ts`). */
  expireAt?: Date;
  delivery?: PaymentEventDelivery;
  deliveredAt?: string;
}

export const PAYMENT_EVENTS_COLLECTION = 'payment_events';

export const PaymentEventAccepted = z.object({ accepted: z.literal(true), duplicate: z.boolean() }).strict();

/**
 * Passes the event to its order as `paymentEvent`. Temporal being unreachable throws (the provider gets a 5xx
 * and redelivers); a closed or unknown order is recorded as such, so the provider does not retry forever.
 */
async function signalOrder(event: PaymentEventDoc, deps: GatewayDeps, log: Logger): Promise<void> {
  const signal: PaymentEvent = {
    eventId: event.eventId,
    type: event.type,
    ...(event.reference !== undefined ? { reference: event.reference } : {}),
    ...(event.amountMinor !== undefined ? { amountMinor: event.amountMinor } : {}),
    at: event.at,
  };
  let delivery: PaymentEventDelivery = 'signalled';
  try {
    await deps.temporal.workflow.getHandle(orderWorkflowId(event.orderId)).signal(paymentEventSignal, signal);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    delivery = 'order_not_running';
    log.warn(
      { eventId: event.eventId, orderId: event.orderId },
      'payment event for an order that is not running',
    );
  }
  const events = deps.collections.orders.db.collection<PaymentEventDoc>(PAYMENT_EVENTS_COLLECTION);
  await events.updateOne({ _id: event._id }, { $set: { delivery, deliveredAt: new Date().toISOString() } });
}

/** `POST /v1/webhooks/payment`: an asynchronous provider outcome, recorded once per eventId. */
export const paymentWebhookRoute = defineRoute({
  method: 'post',
  path: '/v1/webhooks/payment',
  operationId: 'receivePaymentEvent',
  tag: 'Webhooks',
  summary: 'Report an asynchronous payment outcome',
  description:
    'Recorded once per `eventId` in `payment_events`, then passed to the order as a `paymentEvent` signal ' +
    '(an order that is closed or unknown keeps the record only, still 202). A redelivery of the same event ' +
    'answers 202 with `duplicate: true` (with the same `Idempotency-Key`, the first answer again); another ' +
    'event under the same id is a 409.',
  roles: ['payment'],
  body: PaymentWebhook,
  idempotencyKey: true,
  responses: {
    202: { description: 'Recorded', schema: PaymentEventAccepted },
    409: { description: 'The eventId was used for a different event' },
  },
  async handle({ body, deps, log }) {
    const events = deps.collections.orders.db.collection<PaymentEventDoc>(PAYMENT_EVENTS_COLLECTION);
    const requestHash = hashRequest(body);
    const doc: PaymentEventDoc = {
      _id: body.eventId,
      ...body,
      requestHash,
      receivedAt: new Date().toISOString(),
      expireAt: expiryFor('payment_events'),
    };
    let recorded = doc;
    try {
      await events.insertOne(doc);
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
      const first = await events.findOne({ _id: body.eventId });
      if (!first || first.requestHash !== requestHash) {
        throw new ConflictError(`Payment event ${body.eventId} was received before with other content.`);
      }
      recorded = first;
    }
    // A redelivery whose first delivery never reached the order (Temporal was down) passes it on now.
    if (!recorded.delivery) await signalOrder(recorded, deps, log);
    return { status: 202, body: { accepted: true, duplicate: recorded !== doc } };
  },
});
