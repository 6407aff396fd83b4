import { z } from 'zod';
import { DEFAULT_RETURN_POLICY, type ReturnPolicy } from './domain/returns/return-policy';

export const ROLES = ['channel', 'agent', 'admin', 'carrier', 'payment', 'node'] as const;
export type Role = (typeof ROLES)[number];

/** Keys that work outside production so the demo and the tests need no set-up. */
export const DEV_API_KEYS =
  'dev-channel-key:channel,dev-agent-key:agent,dev-admin-key:admin,dev-carrier-key:carrier,dev-payment-key:payment,dev-node-key:node';

const ApiKeys = z
  .string()
  .min(1)
  .transform((value, ctx) => {
    const keys = new Map<string, Role>();
    for (const pair of value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)) {
      const [key, role] = pair.split(':');
      if (!key || !role || !(ROLES as readonly string[]).includes(role)) {
        ctx.addIssue({
          code: 'custom',
          message: `"${pair}" is not key:role with a role in ${ROLES.join('|')}`,
        });
        return z.NEVER;
      }
      keys.set(key, role as Role);
    }
    return keys;
  });

const Environment = z.object({
  NODE_ENV: z.string().default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('orders'),
  MONGODB_URI: z.string().default('mongodb://127.0.0.1:27017/couture'),
  OMS_API_KEYS: z.string().optional(),
  OMS_SIMULATION: z.enum(['auto', 'manual']).default('manual'),
  /** Where simulated node staff and carriers send their HTTP calls (auto simulation). */
  OMS_GATEWAY_URL: z.string().optional(),
  /** Share of simulated provider calls that fail transiently, to exercise retries. */
  OMS_SIM_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  /** How long a simulated payment authorisation holds the money before it expires. */
  OMS_SIM_AUTH_VALIDITY_DAYS: z.coerce.number().positive().default(7),
  /** Share of `tok_ok` authorisations the simulated provider answers `pending` and decides later by webhook. */
  OMS_SIM_PAYMENT_ASYNC_SHARE: z.coerce.number().min(0).max(1).default(0),
  /** How long the simulated provider takes to decide a pending authorisation. */
  OMS_SIM_PAYMENT_ASYNC_DELAY_MS: z.coerce.number().int().min(0).default(2000),
  /** How often the worker looks for simulated payment webhooks to deliver. */
  OMS_PAYMENT_WEBHOOK_POLL_MS: z.coerce.number().int().min(10).default(500),
  /** Milliseconds between simulated steps in auto mode. */
  OMS_SIM_STEP_MS: z.coerce.number().int().min(0).default(3000),
  /** Share of parcels the simulated carrier loses in auto simulation (a carrier `exception` instead of `delivered`). */
  OMS_SIM_LOST_RATE: z.coerce.number().min(0).max(1).default(0),
  /** Workflows kept in the worker's sticky cache; each costs memory, an evicted one is replayed on its next event. */
  OMS_WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(400),
  /** Days after delivery a unit may be returned (a product's returnWindowDays overrides it); 0: none. */
  OMS_RETURN_WINDOW_DAYS: z.coerce.number().int().min(0).default(DEFAULT_RETURN_POLICY.windowDays),
  /** When set, VIP customers may return within at least this many days. */
  OMS_RETURN_VIP_WINDOW_DAYS: z.coerce.number().int().positive().optional(),
  /** Days an RMA waits for the parcel or the store visit before it expires. */
  OMS_RETURN_EXPIRY_DAYS: z.coerce.number().positive().default(DEFAULT_RETURN_POLICY.expiryDays),
  /** Fee deducted from a mail or locker return's refund (minor units), unless the reason is our fault. */
  OMS_RETURN_MAIL_FEE_MINOR: z.coerce.number().int().min(0).default(DEFAULT_RETURN_POLICY.mailFeeMinor),
  /** The most one appeasement may credit per granting role, as `role:minorUnits,…`. */
  OMS_APPEASEMENT_CAPS: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  production: boolean;
  port: number;
  host: string;
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
  mongoUri: string;
  apiKeys: Map<string, Role>;
  simulation: 'auto' | 'manual';
  gatewayUrl: string;
  simFailureRate: number;
  simStepMs: number;
  simLostRate: number;
  simAuthValidityDays: number;
  simPaymentAsyncShare: number;
  simPaymentAsyncDelayMs: number;
  paymentWebhookPollMs: number;
  workerMaxCachedWorkflows: number;
  logLevel: string;
  /** Return window, RMA expiry, return fee and appeasement caps. */
  returnPolicy: ReturnPolicy;
}

/** Reads and validates the environment once; a bad setting is a start-up error with a plain message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Environment.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${z.prettifyError(parsed.error)}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production && !e.OMS_API_KEYS) {
    throw new Error('Invalid configuration: OMS_API_KEYS is required when NODE_ENV=production');
  }
  const keys = ApiKeys.safeParse(e.OMS_API_KEYS ?? DEV_API_KEYS);
  if (!keys.success) {
    throw new Error(`Invalid configuration: OMS_API_KEYS: ${z.prettifyError(keys.error)}`);
  }
  return {
    production,
    port: e.PORT,
    host: e.HOST,
    temporalAddress: e.TEMPORAL_ADDRESS,
    temporalNamespace: e.TEMPORAL_NAMESPACE,
    taskQueue: e.TEMPORAL_TASK_QUEUE,
    mongoUri: e.MONGODB_URI,
    apiKeys: keys.data,
    simulation: e.OMS_SIMULATION,
    gatewayUrl: e.OMS_GATEWAY_URL ?? `http://${e.HOST}:${e.PORT}`,
    simFailureRate: e.OMS_SIM_FAILURE_RATE,
    simStepMs: e.OMS_SIM_STEP_MS,
    simLostRate: e.OMS_SIM_LOST_RATE,
    simAuthValidityDays: e.OMS_SIM_AUTH_VALIDITY_DAYS,
    simPaymentAsyncShare: e.OMS_SIM_PAYMENT_ASYNC_SHARE,
    simPaymentAsyncDelayMs: e.OMS_SIM_PAYMENT_ASYNC_DELAY_MS,
    paymentWebhookPollMs: e.OMS_PAYMENT_WEBHOOK_POLL_MS,
    workerMaxCachedWorkflows: e.OMS_WORKER_MAX_CACHED_WORKFLOWS,
    logLevel: e.LOG_LEVEL,
    returnPolicy: {
      windowDays: e.OMS_RETURN_WINDOW_DAYS,
      ...(e.OMS_RETURN_VIP_WINDOW_DAYS !== undefined ? { vipWindowDays: e.OMS_RETURN_VIP_WINDOW_DAYS } : {}),
      expiryDays: e.OMS_RETURN_EXPIRY_DAYS,
      mailFeeMinor: e.OMS_RETURN_MAIL_FEE_MINOR,
      appeasementCaps: parseAppeasementCaps(e.OMS_APPEASEMENT_CAPS),
    },
  };
}

/** `agent:5000,admin:50000` → caps per role; the default caps when unset. */
function parseAppeasementCaps(value: string | undefined): Record<string, number> {
  if (value === undefined) return { ...DEFAULT_RETURN_POLICY.appeasementCaps };
  const caps: Record<string, number> = {};
  for (const pair of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [role, amount] = pair.split(':');
    const cap = Number(amount);
    if (!role || !(ROLES as readonly string[]).includes(role) || !Number.isInteger(cap) || cap < 0) {
      throw new Error(`Invalid configuration: OMS_APPEASEMENT_CAPS: "${pair}" is not role:minorUnits`);
    }
    caps[role] = cap;
  }
  return caps;
}
