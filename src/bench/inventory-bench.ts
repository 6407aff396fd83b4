import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { createAvailabilityService } from '../availability/availability-service';
import { loadConfig } from '../config';
import { ensureIndexes, getCollections, type Collections } from '../db/collections';
import { inventoryId } from '../db/documents';
import { createApp } from '../gateway/app';
import { nextInbound } from '../inventory/inbound-repository';
import { readSkuDirectory } from '../inventory/sku-directory';
import { createStockRepository } from '../inventory/stock-repository';
import { peakResidentMiB } from './process-memory';
import { seedInventory, type SeededInventory } from './inventory-seed';
import { runConcurrently } from './run-concurrently';
import { createSeededRandom, type SeededRandom } from './seeded-random';
import { percentile } from './stats';

/** Knobs of `npm run bench:inventory`. */
export interface InventoryBenchOptions {
  mongoUri: string;
  temporalAddress: string;
  skus: number;
  nodes: number;
  cartLines: number;
  iterations: number;
  reservations: number;
  concurrency: number;
  seed: number;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

const latency = (samples: readonly number[]) => ({
  samples: samples.length,
  p50Ms: round2(percentile(samples, 50)),
  p99Ms: round2(percentile(samples, 99)),
  maxMs: round2(Math.max(...samples)),
});

/** Times `iterations` sequential calls after a warm-up of a tenth as many. */
async function timeSequential(iterations: number, call: (i: number) => Promise<void>): Promise<number[]> {
  for (let i = 0; i < Math.max(50, Math.floor(iterations / 10)); i++) await call(i);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await call(i);
    samples.push(performance.now() - started);
  }
  return samples;
}

const randomCart = (random: SeededRandom, skus: readonly string[], lines: number): string[] => {
  const cart = new Set<string>();
  while (cart.size < lines) cart.add(random.pick(skus));
  return [...cart];
};

/** Availability of a random cart through the query service in this process. */
async function benchInProcess(c: Collections, seeded: SeededInventory, options: InventoryBenchOptions) {
  const service = createAvailabilityService(c);
  const random = createSeededRandom(options.seed + 1);
  const carts = Array.from({ length: 500 }, () => randomCart(random, seeded.skus, options.cartLines));
  const availability = await timeSequential(options.iterations, async (i) => {
    const items = await service.skuAvailability({ skus: carts[i % carts.length]!, channel: 'web' });
    if (items.length !== options.cartLines || items[0]!.nodes.length !== options.nodes)
      throw new Error('availability answered the wrong shape');
  });
  // Baseline: the bare driver read of the same stock records by `_id` (what no availability read can beat).
  const cartIds = carts.map((cart) => cart.flatMap((sku) => seeded.nodeIds.map((n) => inventoryId(sku, n))));
  const rawRead = await timeSequential(options.iterations, async (i) => {
    await c.inventory
      .find({ _id: { $in: cartIds[i % cartIds.length]! } }, { projection: { available: 1, holds: 1 } })
      .toArray();
  });
  const destination = { postalCode: '75004', country: 'FR', lat: 48.8566, lon: 2.3522 };
  const deliveryOptions = await timeSequential(Math.ceil(options.iterations / 4), async (i) => {
    await service.deliveryOptions({
      lines: carts[i % carts.length]!.map((sku) => ({ sku, quantity: 1 })),
      destination,
      channel: 'web',
    });
  });
  return {
    availability: latency(availability),
    rawIdRead: latency(rawRead),
    ratioToRawIdRead: {
      p50: round2(percentile(availability, 50) / percentile(rawRead, 50)),
      p99: round2(percentile(availability, 99) / percentile(rawRead, 99)),
    },
    deliveryOptions: latency(deliveryOptions),
  };
}

/**
 * Supply reads and finding a SKU's records through the SKU directory (`_id` lookups) beside the query by
 * SKU they replaced, which the dev server answers by scanning the collection.
 */
async function benchDirectoryReads(c: Collections, seeded: SeededInventory, options: InventoryBenchOptions) {
  const random = createSeededRandom(options.seed + 3);
  const carts = Array.from({ length: 100 }, () => randomCart(random, seeded.skus, options.cartLines));
  const rounds = Math.max(100, Math.floor(options.iterations / 10));
  const nextInboundById = await timeSequential(rounds, async (i) => {
    await nextInbound(c, carts[i % carts.length]!);
  });
  const nextInboundBySku = await timeSequential(rounds, async (i) => {
    await c.inbound.find({ sku: { $in: carts[i % carts.length]! }, status: { $ne: 'received' } }).toArray();
  });
  // Reconciliation of one SKU starts by finding its records: through the directory now, by SKU before.
  const recordsViaDirectory = await timeSequential(rounds, async (i) => {
    const ids = (await readSkuDirectory(c, [seeded.skus[i % seeded.skus.length]!], 'nodeIds')).values();
    if ([...ids].flat().length !== options.nodes) throw new Error('the directory answered the wrong nodes');
  });
  const recordsBySku = await timeSequential(rounds, async (i) => {
    await c.inventory
      .find({ sku: seeded.skus[i % seeded.skus.length]! }, { projection: { _id: 1 } })
      .toArray();
  });
  return {
    nextInbound: { byIdViaDirectory: latency(nextInboundById), bySkuQuery: latency(nextInboundBySku) },
    recordsOfOneSku: { byIdViaDirectory: latency(recordsViaDirectory), bySkuQuery: latency(recordsBySku) },
  };
}

/** The same availability reads through the gateway on a real port (createApp, fetch). */
async function benchHttp(c: Collections, seeded: SeededInventory, options: InventoryBenchOptions) {
  const config = loadConfig({
    NODE_ENV: 'test',
    MONGODB_URI: options.mongoUri,
    TEMPORAL_ADDRESS: options.temporalAddress,
    LOG_LEVEL: 'silent',
  });
  const connection = await Connection.connect({ address: config.temporalAddress });
  const temporal = new Client({ connection, namespace: config.temporalNamespace });
  const app = createApp({ config, collections: c, temporal, logger: pino({ level: 'silent' }) });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const random = createSeededRandom(options.seed + 2);
  const carts = Array.from({ length: 500 }, () =>
    randomCart(random, seeded.skus, options.cartLines)
      .map((sku) => `sku=${sku}`)
      .join('&'),
  );
  try {
    const samples = await timeSequential(options.iterations, async (i) => {
      const response = await fetch(`${base}/v1/availability?${carts[i % carts.length]}&channel=web`, {
        headers: { authorization: 'Bearer dev-channel-key' },
      });
      if (response.status !== 200) throw new Error(`availability answered ${response.status}`);
      await response.arrayBuffer();
    });
    return latency(samples);
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await connection.close();
  }
}

const perSecond = (count: number, elapsedMs: number): number => Math.round((count / elapsedMs) * 1000);

/** N concurrent reservations of one hot SKU at one node, next to plain writes and reads of the same document. */
async function benchHotSku(c: Collections, options: InventoryBenchOptions) {
  const stock = createStockRepository(c);
  const sku = 'HOT-SKU';
  const nodeId = 'N001';
  await stock.setCount({ sku, nodeId, onHand: options.reservations, source: 'bench' });
  const id = inventoryId(sku, nodeId);
  const n = options.reservations;
  const plainIncrement = await runConcurrently(n, options.concurrency, async () => {
    await c.inventory.updateOne({ _id: id }, { $inc: { benchTouches: 1 } } as never);
  });
  const readById = await runConcurrently(n, options.concurrency, async () => {
    await c.inventory.findOne({ _id: id }, { projection: { available: 1 } });
  });
  let reserved = 0;
  const reserve = await runConcurrently(n + 100, options.concurrency, async (i) => {
    const outcome = await stock.reserve({ key: `bench:${i}:1`, sku, nodeId, quantity: 1, source: 'bench' });
    if (outcome === 'reserved') reserved++;
  });
  const record = await stock.getRecord(sku, nodeId);
  const reservationsPerSecond = perSecond(n + 100, reserve.elapsedMs);
  return {
    attempts: n + 100,
    stock: n,
    concurrency: options.concurrency,
    reserved,
    refused: n + 100 - reserved - reserve.failures,
    failures: reserve.failures,
    finalRecord: record && { onHand: record.onHand, reserved: record.reserved, available: record.available },
    reservationsPerSecond,
    reserveLatency: latency(reserve.latenciesMs),
    baselines: {
      plainIncrementPerSecond: perSecond(n, plainIncrement.elapsedMs),
      findByIdPerSecond: perSecond(n, readById.elapsedMs),
    },
    ratioToPlainIncrement: round2(reservationsPerSecond / perSecond(n, plainIncrement.elapsedMs)),
    ratioToFindById: round2(reservationsPerSecond / perSecond(n, readById.elapsedMs)),
  };
}

/** Seeds the network, measures availability (in process and over HTTP) and hot-SKU reservations; saves JSON. */
export async function runInventoryBench(options: InventoryBenchOptions): Promise<void> {
  const mongo = await new MongoClient(options.mongoUri, { maxPoolSize: options.concurrency }).connect();
  try {
    const db = mongo.db();
    await db.dropDatabase();
    const c = getCollections(db);
    await ensureIndexes(c);
    const loadBefore = loadavg().map(round2);
    console.log(`seeding ${options.skus} SKUs × ${options.nodes} nodes …`);
    const started = performance.now();
    const seeded = await seedInventory(c, options, createSeededRandom(options.seed));
    const seedSeconds = round2((performance.now() - started) / 1000);
    console.log(`seeded ${seeded.records} stock records in ${seedSeconds} s; measuring …`);
    const inProcess = await benchInProcess(c, seeded, options);
    const http = await benchHttp(c, seeded, options);
    const directoryReads = await benchDirectoryReads(c, seeded, options);
    const hotSku = await benchHotSku(c, options);
    const results = {
      benchmark: 'inventory',
      at: new Date().toISOString(),
      node: process.version,
      loadAverage: { before: loadBefore, after: loadavg().map(round2) },
      seed: {
        skus: options.skus,
        nodes: options.nodes,
        records: seeded.records,
        seconds: seedSeconds,
        recordsPerSecond: Math.round(seeded.records / seeded.seconds.inventory),
        parts: seeded.seconds,
      },
      availability: {
        cartLines: options.cartLines,
        inProcess: inProcess.availability,
        http,
        rawIdReadBaseline: inProcess.rawIdRead,
        ratioToRawIdRead: inProcess.ratioToRawIdRead,
        target: 'p99 < 20 ms',
      },
      deliveryOptionsInProcess: inProcess.deliveryOptions,
      directoryReads,
      hotSkuReservations: hotSku,
      // This process (availability service, gateway, reservations); the database server runs apart.
      peakRssMiB: peakResidentMiB(process.pid),
    };
    console.log(JSON.stringify(results, null, 2));
    const outDir = path.resolve('.bench');
    mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `inventory-${results.at.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(results, null, 2));
    console.log(`saved ${path.relative(process.cwd(), file)}`);
  } finally {
    await mongo.close();
  }
}
