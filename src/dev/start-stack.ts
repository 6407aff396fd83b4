import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config';
import { installMongoServer } from './install-mongo-server';
import { settleAll } from './settle-all';
import { installTemporal } from './install-temporal';
import { assertPortsFree, type PortClaim } from './port-check';
import { describeExit, liveServices, spawnService, type Service } from './processes';
import { dataPath } from './project-paths';
import { describeFailure, SetupError } from './setup-error';
import { readStackSettings, type StackSettings } from './stack-settings';
import { mongoUriWithDatabase, startMongo, type RunningMongo } from './start-mongo';
import { startTemporal, type RunningTemporal } from './start-temporal';
import { waitForHttpOk } from './wait-for-ready';

// `npm start`: installs what is missing, starts Temporal (with its Web UI) and the database with their data in
// .data/, seeds the demo network, runs the worker and the gateway, and stops everything in order on Ctrl-C.

const distSrc = path.resolve(__dirname, '..');
const log = (line: string): void => console.log(`[stack] ${line}`);

let shuttingDown = false;

async function startServers(
  settings: StackSettings,
): Promise<{ temporalAddress: string; mongoUri: string; uiUrl?: string }> {
  const [temporalTools, mongoTools] = await settleAll([
    settings.temporal ? installTemporal(log) : undefined,
    settings.mongo ? installMongoServer(log) : undefined,
  ]);
  let temporal: RunningTemporal | undefined;
  let mongo: RunningMongo | undefined;
  const [temporalResult, mongoResult] = await Promise.allSettled([
    settings.temporal && temporalTools
      ? startTemporal({
          temporalPath: temporalTools.temporalPath,
          port: settings.temporal.port,
          uiPort: settings.temporal.uiPort,
          dbFile: dataPath('temporal.db'),
          output: 'console',
          readyTimeoutMs: 180_000,
        })
      : undefined,
    settings.mongo && mongoTools
      ? startMongo({
          tools: mongoTools,
          port: settings.mongo.port,
          backend: { h2File: dataPath('mongo.mv') },
          output: 'console',
        })
      : undefined,
  ]);
  if (temporalResult.status === 'fulfilled') temporal = temporalResult.value;
  if (mongoResult.status === 'fulfilled') mongo = mongoResult.value;
  for (const result of [temporalResult, mongoResult]) {
    if (result.status === 'rejected') throw result.reason;
  }
  return {
    temporalAddress: temporal?.address ?? (settings.externalTemporalAddress as string),
    mongoUri:
      mongo && settings.mongo
        ? mongoUriWithDatabase(mongo.uri, settings.mongo.database)
        : (settings.externalMongoUri as string),
    uiUrl: temporal?.uiUrl,
  };
}

/** A bad application setting stops the stack here, before the worker and the gateway fail one by one. */
function checkAppConfig(env: NodeJS.ProcessEnv): void {
  try {
    loadConfig(env);
  } catch (error) {
    throw new SetupError((error as Error).message);
  }
}

/** Runs the demo seed (dist/src/dev/seed-demo.js) to completion; it adds only what is missing. */
async function seedDemoData(env: NodeJS.ProcessEnv): Promise<void> {
  const script = path.join(distSrc, 'dev', 'seed-demo.js');
  if (!existsSync(script)) {
    log(`warning: ${script} not found, the demo network is not seeded`);
    return;
  }
  const seed = spawnService({
    name: 'seed',
    command: process.execPath,
    args: [script],
    env,
    output: 'console',
  });
  const status = await seed.exited;
  if (status.code !== 0) throw new SetupError(`Seeding the demo data failed (${describeExit(status)}).`);
}

function startNodeService(name: 'worker' | 'gateway', env: NodeJS.ProcessEnv): Service {
  const script = path.join(distSrc, name, 'main.js');
  if (!existsSync(script))
    throw new SetupError(`${script} not found: build the project first (npm run build).`);
  return spawnService({
    name,
    command: process.execPath,
    args: [script],
    env,
    output: 'console',
    tether: true,
  });
}

/** Stops gateway, worker, database, Temporal (even ones still starting): each after the one before has exited. */
async function stopEverything(): Promise<void> {
  const order = ['gateway', 'worker', 'seed', 'mongo', 'temporal'];
  const inOrder = liveServices().sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  for (const service of inOrder) {
    if (!service.running) continue;
    log(`stopping ${service.name}`);
    await service.stop(20_000);
  }
}

function printBanner(
  settings: StackSettings,
  servers: { temporalAddress: string; mongoUri: string; uiUrl?: string },
  env: NodeJS.ProcessEnv,
): void {
  const api = `http://${settings.gatewayHost}:${settings.gatewayPort}`;
  const keys = [...loadConfig(env).apiKeys.entries()];
  const adminKey = keys.find(([, role]) => role === 'admin')?.[0] ?? keys[0]?.[0] ?? 'KEY';
  const lines = [
    '',
    'Couture OMS is running',
    `  API            ${api}/v1`,
    `  API docs       ${api}/docs   (OpenAPI: ${api}/openapi.json)`,
    `  Temporal UI    ${servers.uiUrl ?? `(external Temporal at ${servers.temporalAddress}: see its own UI)`}`,
    `  Temporal       ${servers.temporalAddress} (namespace ${env.TEMPORAL_NAMESPACE ?? 'default'})`,
    `  MongoDB        ${servers.mongoUri}`,
    `  Data           ${settings.temporal || settings.mongo ? dataPath() : '(external servers)'}`,
    '  API keys (Authorization: Bearer <key>)',
    ...keys.map(([key, role]) => `    ${key.padEnd(22)} ${role}`),
    '  Try',
    `    curl -s -H 'Authorization: Bearer ${adminKey}' ${api}/v1/nodes`,
    `    curl -s -H 'Authorization: Bearer ${adminKey}' '${api}/v1/orders?limit=5'`,
    '  Ctrl-C stops everything; the next start finds the data again.',
    '',
  ];
  console.log(lines.join('\n'));
}

async function shutDown(exitCode: number): Promise<never> {
  shuttingDown = true;
  await stopEverything();
  log('stopped');
  process.exit(exitCode);
}

function installSignalHandlers(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (shuttingDown) {
        log(`${signal} again: killing what is left`);
        for (const service of liveServices()) service.killGroup('SIGKILL');
        process.exit(130);
      }
      log(`${signal}: stopping`);
      void shutDown(0);
    });
  }
}

/**
 * `npm start` dies on SIGTERM without passing it on, which would leave us running with no one to stop us:
 * when our parent process goes away, we stop as if we had been asked to.
 */
function watchParent(): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent || shuttingDown) return;
    clearInterval(timer);
    log('the process that started the stack is gone: stopping');
    void shutDown(0);
  }, 1000);
  timer.unref();
}

/** Any service that dies on its own takes the whole stack down, so nothing half-works silently. */
function watchForCrashes(): void {
  for (const service of liveServices()) {
    void service.exited.then((status) => {
      if (shuttingDown) return;
      log(`${service.name} exited unexpectedly (${describeExit(status)}); stopping the stack`);
      void shutDown(1);
    });
  }
}

async function main(): Promise<void> {
  installSignalHandlers();
  watchParent();
  const settings = readStackSettings();
  const claims: PortClaim[] = [{ port: settings.gatewayPort, what: 'the gateway', envName: 'PORT' }];
  if (settings.temporal) {
    claims.push({ port: settings.temporal.port, what: 'the Temporal dev server', envName: 'TEMPORAL_PORT' });
    claims.push({ port: settings.temporal.uiPort, what: 'the Temporal Web UI', envName: 'TEMPORAL_UI_PORT' });
  }
  if (settings.mongo)
    claims.push({ port: settings.mongo.port, what: 'the dev database', envName: 'MONGO_PORT' });
  await assertPortsFree(claims, '127.0.0.1');

  const servers = await startServers(settings);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: servers.temporalAddress,
    MONGODB_URI: servers.mongoUri,
    OMS_SIMULATION: process.env.OMS_SIMULATION ?? 'auto',
    HOST: settings.gatewayHost,
    PORT: String(settings.gatewayPort),
  };
  checkAppConfig(env);
  await seedDemoData(env);
  if (shuttingDown) return;
  const worker = startNodeService('worker', env);
  const gateway = startNodeService('gateway', env);
  await waitForHttpOk(`http://${settings.gatewayHost}:${settings.gatewayPort}/readyz`, 120_000, [
    worker,
    gateway,
  ]);
  watchForCrashes();
  printBanner(settings, servers, env);
}

main().catch(async (error: unknown) => {
  if (shuttingDown) return;
  console.error(`\n${describeFailure(error)}\n`);
  await shutDown(1);
});
