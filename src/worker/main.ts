import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import pino from 'pino';
import { createActivities } from '../../activities';
import { createSimulatedCarrier } from '../carriers/simulated-carrier';
import { loadConfig } from '../config';
import { ensureIndexes, getCollections } from '../db/collections';
import { connectDatabase } from '../db/connect';
import { createTemporalStockNotifier } from '../inventory/stock-waiters';
import { startWakeUpRetries } from '../inventory/wake-up-retries';
import { createOrderWorker } from './create-order-worker';
import { limitHeapGrowth, limitYoungGeneration } from './heap-growth';
import { startNotificationDispatcher } from './notification-dispatcher';
import { createPaymentProvider } from './payment-provider';
import { toTemporalLogger } from './temporal-logger';
import { prebuiltWorkflowBundle } from './workflow-bundle';

/** Worker process: connects MongoDB and Temporal, runs until SIGINT/SIGTERM, then drains and closes. */
export async function runWorker(): Promise<void> {
  limitHeapGrowth(); // both before the workflow thread starts
  limitYoungGeneration();
  const config = loadConfig();
  const logger = pino({ name: 'worker', level: config.logLevel });
  Runtime.install({ logger: toTemporalLogger(logger.child({ component: 'temporal' })), shutdownSignals: [] });

  const { client: mongo, db } = await connectDatabase(config.mongoUri);
  const collections = getCollections(db);
  await ensureIndexes(collections);
  // Activities that send Updates to other workflows (the parent order to its fulfilment children) use it.
  const clientConnection = await Connection.connect({ address: config.temporalAddress });
  const client = new Client({ connection: clientConnection, namespace: config.temporalNamespace });
  const paymentProvider = createPaymentProvider(config, db, logger);
  const activities = createActivities({
    collections,
    payment: paymentProvider.payment,
    carrier: createSimulatedCarrier({ failureRate: config.simFailureRate }),
    logger,
    config,
    temporal: { client },
  });
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await createOrderWorker({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    activities,
    workflowBundle: prebuiltWorkflowBundle(),
    options: { maxCachedWorkflows: config.workerMaxCachedWorkflows },
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down: finishing in-flight tasks');
      worker.shutdown();
    });
  }
  logger.info(
    {
      taskQueue: config.taskQueue,
      temporal: config.temporalAddress,
      namespace: config.temporalNamespace,
      simulation: config.simulation,
    },
    'worker started',
  );
  const paymentWebhooks = paymentProvider.startWebhookDelivery();
  const notifications = startNotificationDispatcher(collections, logger);
  // Stock arrivals whose waiters could not be told (Temporal was unreachable) are retried from the outbox.
  const stockWakeUps = startWakeUpRetries(collections, createTemporalStockNotifier(client), {
    logger: logger.child({ component: 'stock-wake-ups' }),
  });
  try {
    await worker.run();
  } finally {
    await stockWakeUps.stop();
    await notifications.stop();
    await paymentWebhooks.stop();
    await connection.close();
    await clientConnection.close();
    await mongo.close();
    logger.info('worker stopped');
  }
}

if (require.main === module) {
  runWorker().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
