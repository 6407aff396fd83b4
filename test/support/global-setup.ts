import { startDevServers, type DevServers } from '../../src/dev/dev-servers';
import { describeFailure } from '../../src/dev/setup-error';

/** Shared with global-teardown, which Jest runs in this same process. */
export const DEV_SERVERS_KEY = '__coutureDevServers';

/**
 * Starts the servers the suite needs unless the environment names them: an in-memory Temporal dev server
 * (search attributes registered) unless TEMPORAL_ADDRESS is set, a memory-backed MongoDB-compatible server
 * unless MONGODB_URI is set. Test files read the addresses from process.env (see ./servers.ts).
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  let servers: DevServers;
  try {
    servers = await startDevServers({
      database: 'couture_test',
      log: (line) => process.stderr.write(`[dev-servers] ${line}\n`),
    });
  } catch (error) {
    // One readable paragraph instead of a stack trace through Jest's internals.
    const message = `\nThe test servers could not be started.\n${describeFailure(error)}\n`;
    const failure = new Error(message);
    failure.stack = message;
    throw failure;
  }
  process.env.TEMPORAL_ADDRESS = servers.temporalAddress;
  process.env.MONGODB_URI = servers.mongoUri;
  process.env.TEMPORAL_TEST_SERVER_PATH = servers.testServerPath;
  (globalThis as Record<string, unknown>)[DEV_SERVERS_KEY] = servers;
  if (process.env.OMS_DEV_VERBOSE) {
    process.stderr.write(
      `[dev-servers] temporal ${servers.temporalAddress}, mongo ${servers.mongoUri} (${Date.now() - started} ms)\n`,
    );
  }
}
