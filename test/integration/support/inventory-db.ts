import { MongoClient } from 'mongodb';
import { ensureIndexes, getCollections, type Collections } from '../../../src/db/collections';
import { testMongoUri } from '../../support/servers';

/** A database of its own on the suite's MongoDB, reached through `clients` separate connection pools. */
export interface InventoryDb {
  /** One Collections handle per client: racing callers on different clients really race on the server. */
  handles: Collections[];
  collections: Collections;
  close(): Promise<void>;
}

export async function openInventoryDb(name: string, clients = 1): Promise<InventoryDb> {
  const uri = testMongoUri(`${name}_${process.pid}_${Date.now().toString(36)}`);
  const connected = await Promise.all(
    Array.from({ length: clients }, () => new MongoClient(uri, { maxPoolSize: 20 }).connect()),
  );
  const handles = connected.map((client) => getCollections(client.db()));
  const collections = handles[0] as Collections;
  await ensureIndexes(collections);
  return {
    handles,
    collections,
    async close() {
      await connected[0]?.db().dropDatabase();
      await Promise.all(connected.map((client) => client.close()));
    },
  };
}

/** The error a simulated crash throws: the process "died" right there. */
export class SimulatedCrash extends Error {}

/**
 * The same collections, except that `method` of collection `name` throws a SimulatedCrash on the calls
 * `crashWhen` picks (the first by default) before reaching the server: a process that dies at that step.
 */
export function crashingCollections(
  c: Collections,
  name: keyof Collections,
  method: string,
  crashWhen: (call: number, args: unknown[]) => boolean = (call) => call === 1,
): Collections {
  let calls = 0;
  const target = c[name] as unknown as Record<string, unknown>;
  const proxy = new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (property !== method || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls += 1;
        if (crashWhen(calls, args)) throw new SimulatedCrash(`simulated crash in ${String(name)}.${method}`);
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
  return { ...c, [name]: proxy };
}
