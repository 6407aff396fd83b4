import { createHash } from 'node:crypto';
import { MongoServerError, type Collection } from 'mongodb';

export const PAYMENT_SIM_WEBHOOKS = 'payment_sim_webhooks';

/** The body the simulated provider POSTs to `/v1/webhooks/payment` (the route's `PaymentWebhook`). */
export interface SimulatedPaymentWebhook {
  eventId: string;
  type: 'authorized' | 'declined';
  orderId: string;
  amountMinor?: number;
  currency?: string;
  /** The operation it answers: our idempotency key, which the simulator uses as the authorisation id. */
  reference: string;
  at: string;
}

/** One webhook the provider owes the OMS; `_id` is its eventId, so it is queued once. */
export interface PaymentWebhookOutboxDoc {
  _id: string;
  authorizationId: string;
  body: SimulatedPaymentWebhook;
  status: 'pending' | 'delivered' | 'failed';
  /** When the next delivery attempt may start (also the lease of an attempt under way). */
  dueAt: string;
  attempts: number;
  lastError?: string;
  deliveredAt?: string;
}

export type PaymentWebhookOutbox = Collection<PaymentWebhookOutboxDoc>;

/** A stable event id per authorisation and outcome, so a re-queued event keeps its id and the route dedupes it. */
export function paymentEventId(authorizationId: string, type: SimulatedPaymentWebhook['type']): string {
  return `evt_${createHash('sha256').update(`${authorizationId}\n${type}`).digest('hex').slice(0, 32)}`;
}

/** Queues the webhook once; queuing it again (a retried or racing authorisation) changes nothing. */
export async function enqueuePaymentWebhook(
  outbox: PaymentWebhookOutbox,
  authorizationId: string,
  body: SimulatedPaymentWebhook,
): Promise<void> {
  try {
    await outbox.updateOne(
      { _id: body.eventId },
      { $setOnInsert: { authorizationId, body, status: 'pending', dueAt: body.at, attempts: 0 } },
      { upsert: true },
    );
  } catch (error) {
    // Two racing upserts: the other one queued it.
    if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
  }
}
