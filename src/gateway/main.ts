import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { loadConfig, type Config } from '../config';
import { ensureIndexes, getCollections } from '../db/collections';
import { connectDatabase } from '../db/connect';
import { createApp } from './app';

/** Reads the configuration, or prints why it is wrong and exits 1 (no stack trace for a settings mistake). */
function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}

/** Starts the gateway: database, Temporal client, HTTP server; stops them in reverse on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = pino({ level: config.logLevel, base: { service: 'gateway' } });

  const { client: mongo, db } = await connectDatabase(config.mongoUri);
  const collections = getCollections(db);
  await ensureIndexes(collections);
  const connection = await Connection.connect({ address: config.temporalAddress });
  const temporal = new Client({ connection, namespace: config.temporalNamespace });

  const app = createApp({ config, collections, temporal, logger });
  const server = app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  logger.info(
    {
      url: `http://${address.address}:${address.port}`,
      docs: `http://${address.address}:${address.port}/docs`,
    },
    'gateway listening',
  );

  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'gateway stopping');
    // Stop taking requests, let the ones in flight finish, then let go of the connections.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections(); // idle keep-alive sockets would hold close() open
    await closed;
    await Promise.allSettled([connection.close(), mongo.close()]);
    logger.info('gateway stopped');
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stop(signal));
  }
}

main().catch((error: unknown) => {
  console.error(`The gateway could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
