import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Collections } from '../db/collections';

/** The outcome of a readiness probe: ok, or the reasons it is not. */
export interface Readiness {
  ok: boolean;
  reasons: string[];
}

/** Everything the gateway needs from outside; tests pass their own to run it without a port. */
export interface GatewayDeps {
  config: Config;
  collections: Collections;
  temporal: Client;
  logger: Logger;
  /** Replaces the built-in probe of Temporal, the database and the workers (tests). */
  checkReadiness?: () => Promise<Readiness>;
  /** How long a workflow query may take before the read model answers instead. Default 3000 ms. */
  queryTimeoutMs?: number;
  /** How long a workflow update may take before the caller gets 503. Default 15000 ms. */
  updateTimeoutMs?: number;
}
