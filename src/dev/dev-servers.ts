import { mkdirSync, writeFileSync } from 'node:fs';
import { findFreePort } from './free-port';
import { settleAll } from './settle-all';
import { installMongoServer } from './install-mongo-server';
import { installTemporal } from './install-temporal';
import type { OutputTarget } from './processes';
import { dataPath } from './project-paths';
import { mongoUriWithDatabase, startMongo, type RunningMongo } from './start-mongo';
import { startTemporal, type RunningTemporal } from './start-temporal';

/** Throw-away servers for tests and the benchmark: in memory, on free loopback ports. */
export interface DevServers {
  temporalAddress: string;
  /** URI of the run's database (its name from the options). */
  mongoUri: string;
  /** The time-skipping test server binary. */
  testServerPath: string;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  /** Database name put in mongoUri when we start the server. */
  database: string;
  /** Where each server's output goes; default: .data/logs/<name>.log, truncated at start. */
  output?: (server: 'temporal' | 'mongo') => OutputTarget;
  /** Where TEMPORAL_ADDRESS, MONGODB_URI and TEMPORAL_TEST_SERVER_PATH are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

function defaultOutput(server: 'temporal' | 'mongo'): OutputTarget {
  const file = dataPath('logs', `dev-servers-${server}.log`);
  mkdirSync(dataPath('logs'), { recursive: true });
  writeFileSync(file, '');
  return { file };
}

/** Starts an in-memory Temporal dev server on a free port; retries when another process takes the port first. */
async function startThrowAwayTemporal(temporalPath: string, output: OutputTarget): Promise<RunningTemporal> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await findFreePort();
    try {
      return await startTemporal({ temporalPath, port, output, readyTimeoutMs: 90_000 });
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/**
 * Starts what the environment does not already name: Temporal unless TEMPORAL_ADDRESS is set, the database
 * unless MONGODB_URI is set. Installs missing tools first. The returned stop() stops only what it started.
 */
export async function startDevServers(options: DevServerOptions): Promise<DevServers> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.log(line));
  const output = options.output ?? defaultOutput;
  const needTemporalTools = !env.TEMPORAL_ADDRESS || !env.TEMPORAL_TEST_SERVER_PATH;
  const [temporalTools, mongoTools] = await settleAll([
    needTemporalTools ? installTemporal(log) : undefined,
    env.MONGODB_URI ? undefined : installMongoServer(log),
  ]);

  const [temporal, mongo] = await Promise.allSettled([
    env.TEMPORAL_ADDRESS || !temporalTools
      ? undefined
      : startThrowAwayTemporal(temporalTools.temporalPath, output('temporal')),
    mongoTools
      ? startMongo({ tools: mongoTools, port: 0, backend: 'memory', output: output('mongo') })
      : undefined,
  ]);
  const started = [temporal, mongo].flatMap((result) =>
    result.status === 'fulfilled' && result.value ? [result.value] : [],
  );
  const stop = async (): Promise<void> => {
    await Promise.all(started.map((server: RunningTemporal | RunningMongo) => server.stop()));
  };
  const failure = [temporal, mongo].find((result) => result.status === 'rejected');
  if (failure) {
    await stop();
    throw failure.reason;
  }
  const temporalServer = temporal.status === 'fulfilled' ? temporal.value : undefined;
  const mongoServer = mongo.status === 'fulfilled' ? mongo.value : undefined;
  return {
    temporalAddress: temporalServer?.address ?? (env.TEMPORAL_ADDRESS as string),
    mongoUri: mongoServer
      ? mongoUriWithDatabase(mongoServer.uri, options.database)
      : (env.MONGODB_URI as string),
    testServerPath: env.TEMPORAL_TEST_SERVER_PATH ?? (temporalTools?.testServerPath as string),
    stop,
  };
}

/**
 * Runs fn with dev servers started as in tests, and TEMPORAL_ADDRESS, MONGODB_URI and TEMPORAL_TEST_SERVER_PATH
 * set in process.env meanwhile; stops the servers afterwards, whatever fn does.
 */
export async function withDevServers<T>(
  fn: (servers: DevServers) => Promise<T>,
  database = 'couture_bench',
): Promise<T> {
  const servers = await startDevServers({ database });
  const saved = { ...process.env };
  process.env.TEMPORAL_ADDRESS = servers.temporalAddress;
  process.env.MONGODB_URI = servers.mongoUri;
  process.env.TEMPORAL_TEST_SERVER_PATH = servers.testServerPath;
  try {
    return await fn(servers);
  } finally {
    for (const name of ['TEMPORAL_ADDRESS', 'MONGODB_URI', 'TEMPORAL_TEST_SERVER_PATH'] as const) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    await servers.stop();
  }
}
