import type { Logger } from 'pino';
import type { PaymentSimLedger } from './payment-sim-ledger';
import type { PaymentWebhookOutbox, PaymentWebhookOutboxDoc } from './payment-webhook-outbox';
import { decideDueAuthorization } from './simulated-payment-gateway';

export interface PaymentWebhookDeliveryOptions {
  outbox: PaymentWebhookOutbox;
  ledger: PaymentSimLedger;
  /** The gateway base URL; events go to `${gatewayUrl}/v1/webhooks/payment`. */
  gatewayUrl: string;
  /** An API key with the `payment` role. */
  apiKey: string;
  fetch?: typeof fetch;
  logger?: Logger;
  now?: () => Date;
  /** Pause between passes when nothing is due. Default 500 ms. */
  pollMs?: number;
  /** How long one attempt owns an event before another sender may try it. Default 30 s. */
  leaseMs?: number;
  /** Longest pause between attempts of one event (the backoff doubles up to it). Default 30 s. */
  maxBackoffMs?: number;
}

/** The webhook sender of the simulated provider: one pass, or a loop until stopped. */
export interface PaymentWebhookDelivery {
  /** Delivers every event that is due; answers how many the gateway accepted. */
  deliverDue(): Promise<number>;
  /** Runs passes every `pollMs` until the returned stop() resolves. */
  start(): { stop(): Promise<void> };
}

// 409 (another event under this id) and 422 (a body the route refuses) never get better by retrying.
const PERMANENT_REFUSALS = new Set([409, 422]);

/**
 * Delivers the simulated provider's webhooks at least once, like a real provider: an event is retried with
 * backoff until the gateway accepts it (the route dedupes by eventId). Each attempt first takes a lease,
 * so two worker processes do not post the same event at the same moment.
 */
export function createPaymentWebhookDelivery(options: PaymentWebhookDeliveryOptions): PaymentWebhookDelivery {
  const {
    outbox,
    ledger,
    gatewayUrl,
    apiKey,
    fetch: fetchImpl = fetch,
    logger,
    now = () => new Date(),
    pollMs = 500,
    leaseMs = 30_000,
    maxBackoffMs = 30_000,
  } = options;
  const later = (ms: number): string => new Date(now().getTime() + ms).toISOString();

  async function claimNext(): Promise<PaymentWebhookOutboxDoc | null> {
    return outbox.findOneAndUpdate(
      { status: 'pending', dueAt: { $lte: now().toISOString() } },
      { $set: { dueAt: later(leaseMs) }, $inc: { attempts: 1 } },
      { sort: { dueAt: 1 }, returnDocument: 'after' },
    );
  }

  async function post(event: PaymentWebhookOutboxDoc): Promise<number> {
    const response = await fetchImpl(`${gatewayUrl}/v1/webhooks/payment`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(event.body),
    });
    await response.text();
    return response.status;
  }

  async function deliver(event: PaymentWebhookOutboxDoc): Promise<boolean> {
    // The provider decides before it reports, so the ledger agrees with the event the order receives.
    await decideDueAuthorization(ledger, event.authorizationId, now());
    let status: number | undefined;
    let failure: string;
    try {
      status = await post(event);
      failure = `gateway answered ${status}`;
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    if (status !== undefined && status >= 200 && status < 300) {
      await outbox.updateOne(
        { _id: event._id },
        { $set: { status: 'delivered', deliveredAt: now().toISOString() }, $unset: { lastError: '' } },
      );
      return true;
    }
    if (status !== undefined && PERMANENT_REFUSALS.has(status)) {
      logger?.error({ eventId: event._id, status }, 'payment webhook refused for good');
      await outbox.updateOne({ _id: event._id }, { $set: { status: 'failed', lastError: failure } });
      return false;
    }
    const backoffMs = Math.min(maxBackoffMs, 500 * 2 ** Math.max(0, event.attempts - 1));
    logger?.warn({ eventId: event._id, attempt: event.attempts, failure }, 'payment webhook will be retried');
    await outbox.updateOne({ _id: event._id }, { $set: { dueAt: later(backoffMs), lastError: failure } });
    return false;
  }

  async function deliverDue(): Promise<number> {
    let accepted = 0;
    for (let event = await claimNext(); event; event = await claimNext()) {
      if (await deliver(event)) accepted += 1;
    }
    return accepted;
  }

  function start(): { stop(): Promise<void> } {
    let stopped = false;
    let wake: (() => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    const loop = (async () => {
      while (!stopped) {
        try {
          await deliverDue();
        } catch (error) {
          logger?.warn({ err: error }, 'payment webhook pass failed; trying again');
        }
        if (stopped) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, pollMs);
        });
      }
    })();
    return {
      async stop() {
        stopped = true;
        clearTimeout(timer);
        wake?.();
        await loop;
      },
    };
  }

  return { deliverDue, start };
}
