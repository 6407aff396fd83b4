import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient } from 'mongodb';
import type { MongoServerTools } from './install-mongo-server';
import { spawnService, type OutputTarget, type Service } from './processes';
import { SetupError } from './setup-error';

export interface MongoServerOptions {
  tools: MongoServerTools;
  /** 0 lets the server pick a free port (no race with other runs); the ready line tells which. */
  port: number;
  host?: string;
  /** `memory` for tests; an H2 file keeps the data across clean restarts (dev stack). */
  backend: 'memory' | { h2File: string };
  output: OutputTarget;
  readyTimeoutMs?: number;
}

export interface RunningMongo {
  /** mongodb://host:port, without a database; see mongoUriWithDatabase. */
  uri: string;
  port: number;
  service: Service;
  stop(): Promise<void>;
}

/** The same server with another database: replaces (or adds) the path of a mongodb:// URI, keeping its options. */
export function mongoUriWithDatabase(uri: string, database: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!match) throw new Error(`not a mongodb:// URI: ${uri}`);
  return `${match[1] ?? ''}/${database}${match[2] ?? ''}`;
}

/** Polls with `ping` until the server answers; stops early with the server's own words when it exits. */
export async function waitForMongo(uri: string, timeoutMs: number, service?: Service): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 2000, connectTimeoutMS: 2000 });
    try {
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (error) {
      if (service && !service.running) {
        throw new SetupError(
          `The MongoDB-compatible dev server stopped while starting. Its last output:\n${service.recentOutput()}`,
        );
      }
      if (Date.now() > deadline) {
        throw new SetupError(
          `The database at ${uri} did not answer a ping within ${timeoutMs} ms: ${(error as Error).message}`,
        );
      }
    } finally {
      await client.close().catch(() => undefined);
    }
    await sleep(250);
  }
}

/** Starts the Java dev server (tools/mongo-dev-server) and waits until it answers a ping. */
export async function startMongo(options: MongoServerOptions): Promise<RunningMongo> {
  const host = options.host ?? '127.0.0.1';
  const backend = options.backend === 'memory' ? 'memory' : `h2:${options.backend.h2File}`;
  const { java, classpath, mainClass } = options.tools;
  const service = spawnService({
    name: 'mongo',
    command: java,
    args: [
      '-XX:+UseSerialGC',
      '-cp',
      classpath,
      mainClass,
      '--host',
      host,
      '--port',
      String(options.port),
      '--backend',
      backend,
      '--exit-on-stdin-close',
    ],
    output: options.output,
  });
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  try {
    const ready = await service.waitForLine(/ready: (mongodb:\/\/\S+)/, timeoutMs).catch((error: Error) => {
      throw new SetupError(`${error.message}. Its last output:\n${service.recentOutput()}`);
    });
    const uri = ready[1] as string;
    await waitForMongo(uri, timeoutMs, service);
    return {
      uri,
      port: Number(new URL(uri).port),
      service,
      stop: async () => {
        await service.stop(15_000);
      },
    };
  } catch (error) {
    await service.stop(5000);
    throw error;
  }
}
