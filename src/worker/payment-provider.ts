import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { PaymentGateway } from '../payments/payment-gateway';
import { PAYMENT_SIM_LEDGER, type PaymentSimLedgerDoc } from '../payments/payment-sim-ledger';
import { createPaymentWebhookDelivery } from '../payments/payment-webhook-delivery';
import { PAYMENT_SIM_WEBHOOKS, type PaymentWebhookOutboxDoc } from '../payments/payment-webhook-outbox';
import { createSimulatedPaymentGateway } from '../payments/simulated-payment-gateway';

export type PaymentProviderConfig = Pick<
  Config,
  | 'gatewayUrl'
  | 'apiKeys'
  | 'simFailureRate'
  | 'simAuthValidityDays'
  | 'simPaymentAsyncShare'
  | 'simPaymentAsyncDelayMs'
  | 'paymentWebhookPollMs'
>;

/** The configured payment provider (the simulator) and the loop that POSTs its webhooks to the gateway. */
export function createPaymentProvider(
  config: PaymentProviderConfig,
  db: Db,
  logger?: Logger,
): { payment: PaymentGateway; startWebhookDelivery(): { stop(): Promise<void> } } {
  const ledger = db.collection<PaymentSimLedgerDoc>(PAYMENT_SIM_LEDGER);
  const outbox = db.collection<PaymentWebhookOutboxDoc>(PAYMENT_SIM_WEBHOOKS);
  const payment = createSimulatedPaymentGateway({
    ledger,
    outbox,
    failureRate: config.simFailureRate,
    authorizationValidityDays: config.simAuthValidityDays,
    asyncShare: config.simPaymentAsyncShare,
    asyncDelayMs: config.simPaymentAsyncDelayMs,
  });

  function startWebhookDelivery(): { stop(): Promise<void> } {
    const apiKey = [...config.apiKeys].find(([, role]) => role === 'payment')?.[0];
    if (!apiKey) {
      logger?.warn('no API key with role payment: simulated payment webhooks are not delivered');
      return { stop: () => Promise.resolve() };
    }
    const delivery = createPaymentWebhookDelivery({
      outbox,
      ledger,
      gatewayUrl: config.gatewayUrl,
      apiKey,
      pollMs: config.paymentWebhookPollMs,
      ...(logger ? { logger: logger.child({ component: 'payment-webhooks' }) } : {}),
    });
    void outbox.createIndex({ status: 1, dueAt: 1 }).catch((error: unknown) => {
      logger?.warn({ err: error }, 'payment webhook outbox index not created');
    });
    return delivery.start();
  }

  return { payment, startWebhookDelivery };
}
