import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { sourceOrder } from '../domain/sourcing/source-order';
import type { SourcingRequest } from '../domain/sourcing/sourcing-request';
import type { SourcingStrategy } from '../domain/sourcing/sourcing-result';
import { createSeededRandom } from './seeded-random';
import { sourceNearestBaseline } from './sourcing-baseline';
import { generateNetwork, generateShipRequest } from './sourcing-instances';
import { peakResidentMiB } from './process-memory';
import { percentile } from './stats';

/** `npm run bench:sourcing [-- --iterations N --seed S]`: engine vs the naive nearest-node rule. */
const NOW = '2025-03-05T09:00:00Z';
const SIZES = [
  { lines: 10, nodes: 200 },
  { lines: 10, nodes: 50 },
];
const DISTINCT_INSTANCES = 500;

const argument = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

const round3 = (value: number): number => Math.round(value * 1000) / 1000;
const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * Wall-clock and process CPU time of each call, in ms. Process CPU time leaves out time spent waiting
 * for a core on a busy machine, but counts V8's background GC and compiler threads, so it can exceed
 * the wall-clock time of a call.
 */
function timeEach(
  requests: readonly SourcingRequest[],
  iterations: number,
  run: (request: SourcingRequest) => unknown,
): { wallMs: number[]; cpuMs: number[] } {
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const request = requests[i % requests.length]!;
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    run(request);
    wallMs.push(Number(process.hrtime.bigint() - start) / 1e6);
    const cpu = process.cpuUsage(cpuStart);
    cpuMs.push((cpu.user + cpu.system) / 1000);
  }
  return { wallMs, cpuMs };
}

const latency = (samples: { wallMs: number[]; cpuMs: number[] }) => ({
  p50Ms: round3(percentile(samples.wallMs, 50)),
  p99Ms: round3(percentile(samples.wallMs, 99)),
  maxMs: round3(Math.max(...samples.wallMs)),
  meanMs: round3(mean(samples.wallMs)),
  processCpuP50Ms: round3(percentile(samples.cpuMs, 50)),
  processCpuP99Ms: round3(percentile(samples.cpuMs, 99)),
});

function benchSize(size: { lines: number; nodes: number }, iterations: number, seed: number) {
  const random = createSeededRandom(seed + size.nodes);
  const network = generateNetwork(random, size.nodes);
  const requests = Array.from({ length: DISTINCT_INSTANCES }, () =>
    generateShipRequest(random, network, size.lines, NOW),
  );
  const warmUp = Math.min(1000, iterations);
  timeEach(requests, warmUp, (request) => sourceOrder(request));
  timeEach(requests, warmUp, sourceNearestBaseline);
  const engineTimes = timeEach(requests, iterations, (request) => sourceOrder(request));
  const baselineTimes = timeEach(requests, iterations, sourceNearestBaseline);

  // Quality on the ship orders without ship-complete (the baseline knows no ship-complete).
  const strategies: Partial<Record<SourcingStrategy, number>> = {};
  const engine = { parcels: [] as number[], costMinor: [] as number[], units: [] as number[] };
  const baseline = { parcels: [] as number[], costMinor: [] as number[], units: [] as number[] };
  let fewerParcels = 0;
  let cheaper = 0;
  for (const request of requests) {
    const result = sourceOrder(request);
    strategies[result.decision.strategy] = (strategies[result.decision.strategy] ?? 0) + 1;
    if (request.shipComplete) continue;
    const naive = sourceNearestBaseline(request);
    engine.parcels.push(result.totals.parcels);
    engine.costMinor.push(result.totals.costMinor);
    engine.units.push(result.totals.allocatedUnits);
    baseline.parcels.push(naive.parcels);
    baseline.costMinor.push(naive.costMinor);
    baseline.units.push(naive.units);
    if (result.totals.parcels < naive.parcels) fewerParcels++;
    if (result.totals.costMinor < naive.costMinor) cheaper++;
  }
  const engineLatency = latency(engineTimes);
  const baselineLatency = latency(baselineTimes);
  return {
    lines: size.lines,
    nodes: size.nodes,
    iterations,
    distinctInstances: DISTINCT_INSTANCES,
    engine: engineLatency,
    baseline: baselineLatency,
    ratioEngineToBaseline: {
      p50: round3(engineLatency.p50Ms / baselineLatency.p50Ms),
      p99: round3(engineLatency.p99Ms / baselineLatency.p99Ms),
    },
    strategies,
    quality: {
      orders: engine.parcels.length,
      unitsServedMean: { engine: round3(mean(engine.units)), baseline: round3(mean(baseline.units)) },
      parcelsMean: { engine: round3(mean(engine.parcels)), baseline: round3(mean(baseline.parcels)) },
      costMinorMean: { engine: round3(mean(engine.costMinor)), baseline: round3(mean(baseline.costMinor)) },
      ordersWithFewerParcels: fewerParcels,
      ordersCheaper: cheaper,
    },
  };
}

function main(): void {
  const iterations = argument('iterations', 5000);
  const seed = argument('seed', 20250305);
  const results = {
    benchmark: 'sourcing',
    at: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    seed,
    // Wall-clock tails depend on what else the machine runs: the 1-minute load average before the run.
    loadAverage1m: round3(loadavg()[0]!),
    sizes: SIZES.map((size) => benchSize(size, iterations, seed)),
    peakRssMiB: peakResidentMiB(process.pid),
  };
  console.log(JSON.stringify(results, null, 2));
  const outDir = path.resolve('.bench');
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `sourcing-${results.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));
  console.log(`saved ${path.relative(process.cwd(), file)}`);
}

main();
