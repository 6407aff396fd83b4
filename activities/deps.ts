import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { CarrierGateway } from '../src/carriers/carrier-gateway';
import type { Config } from '../src/config';
import type { Collections } from '../src/db/collections';
import type { PaymentGateway } from '../src/payments/payment-gateway';

/** Everything the activities reach the outside world through; tests pass fakes here. */
export interface ActivityDeps {
  collections: Collections;
  payment: PaymentGateway;
  carrier: CarrierGateway;
  logger?: Logger;
  /**
   * `simLostRate`: share of parcels the simulated carrier loses in auto simulation (0 when absent);
   * `returnPolicy`: return window, RMA expiry, fee and appeasement caps (the defaults when absent).
   */
  config: Pick<Config, 'gatewayUrl' | 'apiKeys'> & Partial<Pick<Config, 'simLostRate' | 'returnPolicy'>>;
  /** HTTP client for the auto simulation (defaults to the global fetch). */
  fetch?: typeof fetch;
  /** A Temporal client for activities that message other workflows; the worker's own client when absent. */
  temporal?: { client: Client };
}
