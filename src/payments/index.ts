/** The payment adapter, its simulator, the simulator's webhook sender and the ledger summary tests use. */
export * from './payment-gateway';
export * from './payment-ledger-summary';
export * from './payment-sim-ledger';
export * from './payment-webhook-delivery';
export * from './payment-webhook-outbox';
export * from './simulated-payment-gateway';
