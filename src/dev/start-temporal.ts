import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { spawnService, type OutputTarget, type Service } from './processes';
import { SEARCH_ATTRIBUTES } from './search-attributes';
import { SetupError } from './setup-error';

export interface TemporalServerOptions {
  temporalPath: string;
  port: number;
  host?: string;
  /** Web UI port; without it the server runs headless (tests). */
  uiPort?: number;
  /** SQLite file that keeps workflows across restarts; without it everything lives in memory. */
  dbFile?: string;
  output: OutputTarget;
  readyTimeoutMs?: number;
}

export interface RunningTemporal {
  /** host:port of the frontend gRPC service. */
  address: string;
  uiUrl: string | undefined;
  service: Service;
  stop(): Promise<void>;
}

const NAMESPACE = 'default';

/** The environment of the server without the TEMPORAL_* client settings, which the CLI would otherwise read. */
function serverEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TEMPORAL_')));
}

function startDevArgs(options: TemporalServerOptions, host: string): string[] {
  const args = ['server', 'start-dev', '--ip', host, '--port', String(options.port), '--log-level', 'warn'];
  for (const name of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${name}=Keyword`);
  if (options.uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort), '--ui-disable-news-fetch');
  if (options.dbFile) {
    // Without these pragmas SQLite syncs every write and the dev server crawls.
    args.push(
      '--db-filename',
      options.dbFile,
      '--sqlite-pragma',
      'journal_mode=WAL',
      '--sqlite-pragma',
      'synchronous=OFF',
    );
  }
  return args;
}

/** True once the frontend answers, the namespace exists and the search attributes are registered. */
async function isTemporalReady(address: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 2000 });
    await connection.workflowService.getSystemInfo({});
    await connection.workflowService.describeNamespace({ namespace: NAMESPACE });
    const registered = await connection.operatorService.listSearchAttributes({ namespace: NAMESPACE });
    const custom = Object.keys(registered.customAttributes ?? {});
    return SEARCH_ATTRIBUTES.every((name) => custom.includes(name));
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

/** Polls the server until it is ready; stops early with the server's own words when it exits. */
export async function waitForTemporal(address: string, timeoutMs: number, service?: Service): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await isTemporalReady(address))) {
    if (service && !service.running) {
      throw new SetupError(
        `The Temporal dev server stopped while starting. Its last output:\n${service.recentOutput()}`,
      );
    }
    if (Date.now() > deadline) {
      const output = service ? ` Its last output:\n${service.recentOutput()}` : '';
      throw new SetupError(`The Temporal server at ${address} was not ready after ${timeoutMs} ms.${output}`);
    }
    await sleep(250);
  }
}

/** Starts `temporal server start-dev` on loopback with the project's search attributes, and waits until it answers. */
export async function startTemporal(options: TemporalServerOptions): Promise<RunningTemporal> {
  const host = options.host ?? '127.0.0.1';
  if (options.dbFile) mkdirSync(path.dirname(options.dbFile), { recursive: true });
  const service = spawnService({
    name: 'temporal',
    command: options.temporalPath,
    args: startDevArgs(options, host),
    env: serverEnv(),
    output: options.output,
    tether: true,
    quietWhileStopping: true,
  });
  const address = `${host}:${options.port}`;
  try {
    await waitForTemporal(address, options.readyTimeoutMs ?? 60_000, service);
  } catch (error) {
    await service.stop(5000);
    throw error;
  }
  return {
    address,
    uiUrl: options.uiPort === undefined ? undefined : `http://${host}:${options.uiPort}`,
    service,
    stop: async () => {
      await service.stop(15_000);
    },
  };
}
