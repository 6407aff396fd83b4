import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Collection } from 'mongodb';
import pino from 'pino';
import { createActivities } from '../../../activities';
import {
  TransientCarrierError,
  type BookShipmentRequest,
  type CarrierGateway,
} from '../../../src/carriers/carrier-gateway';
import { createSimulatedCarrier } from '../../../src/carriers/simulated-carrier';
import { loadConfig, type Config, type Role } from '../../../src/config';
import { ensureIndexes, getCollections } from '../../../src/db/collections';
import { connectDatabase } from '../../../src/db/connect';
import { createApp } from '../../../src/gateway/app';
import { TransientPaymentError, type PaymentGateway } from '../../../src/payments/payment-gateway';
import {
  PAYMENT_SIM_LEDGER,
  type PaymentSimLedgerDoc,
} from '../../../src/payments/simulated-payment-gateway';
import { createOrderWorker } from '../../../src/worker/create-order-worker';
import { startNotificationDispatcher } from '../../../src/worker/notification-dispatcher';
import { createPaymentProvider } from '../../../src/worker/payment-provider';
import { bundleTestWorkflows, installQuietRuntime } from '../../support/quiet-temporal';
import { temporalAddress, testMongoUri } from '../../support/servers';

/** One HTTP answer of the live gateway, its body parsed when it is JSON. */
export interface ApiAnswer {
  status: number;
  headers: Headers;
  // The tests read into answers freely; the gateway's schemas are tested elsewhere.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface LiveStackOptions {
  /** Names the database and the task queue (a run id is appended, so reruns never collide). */
  name: string;
  simulation: Config['simulation'];
  /** Milliseconds between auto-simulation steps. */
  simStepMs?: number;
  /** Share of simulated payment and carrier calls that fail transiently, so activity retries happen. */
  failureRate?: number;
  /**
   * The payment provider and the carrier do each operation, but the answer to the first call for each
   * idempotency key (booking: fulfilment) is lost in transit, so every one of them is retried for certain.
   */
  loseFirstAnswers?: boolean;
  /**
   * Runs the worker's background loops as src/worker/main.ts does: the notification dispatcher (with the
   * log sender, silent) and the simulated provider's payment webhook delivery to the gateway.
   */
  backgroundLoops?: boolean;
  /** Share of `tok_ok` authorisations the simulated provider answers `pending` (decided by webhook). */
  paymentAsyncShare?: number;
  /** How long the simulated provider takes to decide a pending authorisation (milliseconds). */
  paymentAsyncDelayMs?: number;
  /** How long a simulated authorisation holds the money (seconds; 7 days when absent). */
  authValiditySeconds?: number;
}

/** A gateway on a real port and a worker on its own task queue, over the suite's real Temporal and MongoDB. */
export interface LiveStack {
  /** `http://127.0.0.1:<port>`: the gateway as channels, node staff and carriers reach it. */
  baseUrl: string;
  /** The gateway's configuration (the worker's differs only by knowing baseUrl). */
  config: Config;
  /** A Temporal client of the test's own, for what only Temporal knows (visibility, run counts). */
  temporal: Client;
  /** The payment simulator's ledger: what only the provider knows. */
  paymentLedger(): Collection<PaymentSimLedgerDoc>;
  /** Calls the gateway over HTTP with the first configured API key of `role`. */
  call(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    role: Role,
    body?: unknown,
  ): Promise<ApiAnswer>;
  /** Every booking the carrier received (retries included), oldest first: where each parcel was sent. */
  bookings(): readonly BookShipmentRequest[];
  /**
   * Stops the worker as a SIGTERM would (in-flight tasks finish, its loops stop, its connections close);
   * workflows wait on the server meanwhile. Signals and HTTP requests that need no worker still work.
   */
  stopWorker(): Promise<void>;
  /** Starts a fresh worker process on the same task queue: no cached workflow, every run is replayed. */
  startWorker(): Promise<void>;
  /** Terminates the task queue's open workflows, drains the worker, closes the server and every connection. */
  stop(): Promise<void>;
}

const runId = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

/** Wraps a call so that the first answer for each key is lost after the work is done: the caller must retry. */
function losingFirstAnswer<Request, Answer>(
  call: (request: Request) => Promise<Answer>,
  keyOf: (request: NoInfer<Request>) => string,
  lost: () => Error,
): (request: Request) => Promise<Answer> {
  const answered = new Set<string>();
  return async (request) => {
    const answer = await call(request);
    const key = keyOf(request);
    if (answered.has(key)) return answer;
    answered.add(key);
    throw lost();
  };
}

function losingFirstPaymentAnswers(payment: PaymentGateway): PaymentGateway {
  const byKey = (request: { idempotencyKey: string }): string => request.idempotencyKey;
  const lost = () => new TransientPaymentError('simulated lost answer after the provider recorded it');
  return {
    authorize: losingFirstAnswer((request) => payment.authorize(request), byKey, lost),
    getAuthorization: (request) => payment.getAuthorization(request),
    capture: losingFirstAnswer((request) => payment.capture(request), byKey, lost),
    void: losingFirstAnswer((request) => payment.void(request), byKey, lost),
    refund: losingFirstAnswer((request) => payment.refund(request), byKey, lost),
  };
}

/** Keeps every booking request the carrier receives. */
function recordingBookings(carrier: CarrierGateway, bookings: BookShipmentRequest[]): CarrierGateway {
  return {
    bookShipment: (request) => {
      bookings.push(structuredClone(request));
      return carrier.bookShipment(request);
    },
  };
}

function losingFirstBookingAnswers(carrier: CarrierGateway): CarrierGateway {
  return {
    bookShipment: losingFirstAnswer(
      (request) => carrier.bookShipment(request),
      (request) => request.fulfillmentId,
      () => new TransientCarrierError('simulated lost answer after the carrier booked it'),
    ),
  };
}

/** The first configured key of a role; the dev keys have one for each. */
function keyFor(config: Config, role: Role): string {
  for (const [key, keyRole] of config.apiKeys) if (keyRole === role) return key;
  throw new Error(`no API key with role ${role} is configured`);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { address, port } = server.address() as AddressInfo;
  return `http://${address}:${port}`;
}

async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections(); // keep-alive sockets (ours and the simulation's) would hold close() open
  await closed;
}

/**
 * Starts the production wiring in-process: createApp listening on 127.0.0.1:<free port>, createOrderWorker
 * with createActivities over the simulated payment provider and carrier, each with its own connections and
 * its own loadConfig result, as the two processes would have.
 */
export async function startLiveStack(options: LiveStackOptions): Promise<LiveStack> {
  installQuietRuntime();
  const name = `${options.name}_${runId}`;
  const env = {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    TEMPORAL_ADDRESS: temporalAddress(),
    TEMPORAL_TASK_QUEUE: `e2e-${name}`,
    MONGODB_URI: testMongoUri(`e2e_${name}`),
    OMS_SIMULATION: options.simulation,
    OMS_SIM_STEP_MS: String(options.simStepMs ?? 300),
    OMS_SIM_FAILURE_RATE: String(options.failureRate ?? 0),
    OMS_SIM_PAYMENT_ASYNC_SHARE: String(options.paymentAsyncShare ?? 0),
    OMS_SIM_PAYMENT_ASYNC_DELAY_MS: String(options.paymentAsyncDelayMs ?? 300),
    OMS_PAYMENT_WEBHOOK_POLL_MS: '100',
    // No return window: a completed order closes at once (returns tests give their products a window).
    OMS_RETURN_WINDOW_DAYS: '0',
    ...(options.authValiditySeconds !== undefined
      ? { OMS_SIM_AUTH_VALIDITY_DAYS: String(options.authValiditySeconds / 86_400) }
      : {}),
    LOG_LEVEL: 'silent',
  };
  // Whatever has started is stopped in reverse order, also when a later step of the start fails.
  const closers: (() => Promise<unknown>)[] = [];
  const closeAll = async (): Promise<void> => {
    const failures: unknown[] = [];
    for (const close of closers.splice(0).reverse())
      await close().catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw failures[0];
  };

  try {
    // The gateway, as src/gateway/main.ts wires it.
    const config = loadConfig(env);
    const logger = pino({ level: config.logLevel });
    const gatewayDb = await connectDatabase(config.mongoUri);
    closers.push(() => gatewayDb.client.close());
    const collections = getCollections(gatewayDb.db);
    await ensureIndexes(collections);
    const connection = await Connection.connect({ address: config.temporalAddress });
    closers.push(() => connection.close());
    const temporal = new Client({ connection, namespace: config.temporalNamespace });
    const server = createApp({ config, collections, temporal, logger }).listen(config.port, config.host);
    closers.push(() => closeServer(server));
    const baseUrl = await listen(server);

    // The worker, as src/worker/main.ts wires it, told where the simulated node staff and carrier call.
    const workerConfig = loadConfig({ ...env, OMS_GATEWAY_URL: baseUrl });
    const workerDb = await connectDatabase(workerConfig.mongoUri);
    closers.push(() => workerDb.client.close());
    closers.push(() => workerDb.db.dropDatabase()); // once the worker has stopped writing to it
    const paymentLedger = () => workerDb.db.collection<PaymentSimLedgerDoc>(PAYMENT_SIM_LEDGER);
    // The provider and the carrier outlive worker restarts, as the real ones would.
    const provider = createPaymentProvider(workerConfig, workerDb.db, logger);
    const bookings: BookShipmentRequest[] = [];
    const simulatedCarrier = recordingBookings(
      createSimulatedCarrier({ failureRate: workerConfig.simFailureRate }),
      bookings,
    );
    const payment = options.loseFirstAnswers ? losingFirstPaymentAnswers(provider.payment) : provider.payment;
    const carrier = options.loseFirstAnswers ? losingFirstBookingAnswers(simulatedCarrier) : simulatedCarrier;
    const workflowBundle = await bundleTestWorkflows();

    let current: { stop(): Promise<void> } | undefined;
    const startWorker = async (): Promise<void> => {
      if (current) throw new Error('the worker is already running');
      const nativeConnection = await NativeConnection.connect({ address: workerConfig.temporalAddress });
      let worker: Worker;
      try {
        worker = await createOrderWorker({
          connection: nativeConnection,
          namespace: workerConfig.temporalNamespace,
          taskQueue: workerConfig.taskQueue,
          activities: createActivities({
            collections: getCollections(workerDb.db),
            payment,
            carrier,
            logger,
            config: workerConfig,
          }),
          workflowBundle,
        });
      } catch (error) {
        await nativeConnection.close();
        throw error;
      }
      const running = worker.run();
      running.catch(() => undefined); // a crash surfaces in stop(); until then it must not be an unhandled rejection
      const loops = options.backgroundLoops
        ? [
            provider.startWebhookDelivery(),
            startNotificationDispatcher(getCollections(workerDb.db), logger, {}),
          ]
        : [];
      current = {
        async stop() {
          current = undefined;
          if (worker.getState() === 'RUNNING') worker.shutdown();
          try {
            await running;
          } finally {
            for (const loop of loops) await loop.stop();
            await nativeConnection.close();
          }
        },
      };
    };
    const stopWorker = async (): Promise<void> => {
      await current?.stop();
    };
    await startWorker();
    closers.push(stopWorker);
    // A failed test can leave orders waiting; terminated first, they cannot hold the worker's drain open.
    closers.push(() => terminateOpenWorkflows(temporal, config.taskQueue));

    return {
      baseUrl,
      config,
      temporal,
      paymentLedger,
      bookings: () => bookings,
      stopWorker,
      startWorker,
      async call(method, path, role, body) {
        const response = await fetch(`${baseUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${keyFor(config, role)}`,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        const text = await response.text();
        const json = (response.headers.get('content-type') ?? '').includes('json');
        return {
          status: response.status,
          headers: response.headers,
          body: json && text ? JSON.parse(text) : text,
        };
      },
      stop: closeAll,
    };
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}

async function terminateOpenWorkflows(temporal: Client, taskQueue: string): Promise<void> {
  const open = temporal.workflow.list({
    query: `TaskQueue = "${taskQueue}" AND ExecutionStatus = "Running"`,
  });
  for await (const execution of open) {
    await temporal.workflow
      .getHandle(execution.workflowId)
      .terminate('live stack stopped')
      .catch(() => undefined); // it may have closed meanwhile
  }
}
