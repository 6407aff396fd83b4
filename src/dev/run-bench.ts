import { BENCH_PHASES, runBench, type BenchPhase } from '../bench/main';
import { withDevServers } from './dev-servers';
import { findFreePort } from './free-port';
import { describeFailure } from './setup-error';

// `npm run bench`: the benchmark (src/bench) against throw-away in-memory servers started like the tests'
// (or TEMPORAL_ADDRESS / MONGODB_URI when set). Options: --orders N --concurrency C --phases intake,complete
// (or BENCH_ORDERS, BENCH_CONCURRENCY, BENCH_PHASES).

function readCount(flag: string, envName: string, fallback: number): number {
  const index = process.argv.indexOf(flag);
  const raw = index >= 0 ? process.argv[index + 1] : process.env[envName];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${flag} (${envName}) must be a positive integer, got ${raw}`);
  return value;
}

function readPhases(): BenchPhase[] {
  const index = process.argv.indexOf('--phases');
  const raw = (index >= 0 ? process.argv[index + 1] : process.env.BENCH_PHASES) ?? BENCH_PHASES.join(',');
  const phases = raw.split(',').filter(Boolean);
  const unknown = phases.filter((phase) => !(BENCH_PHASES as readonly string[]).includes(phase));
  if (phases.length === 0 || unknown.length > 0)
    throw new Error(`--phases (BENCH_PHASES) takes ${BENCH_PHASES.join(', ')}; got ${raw}`);
  return phases as BenchPhase[];
}

async function main(): Promise<void> {
  const orders = readCount('--orders', 'BENCH_ORDERS', 200);
  const concurrency = readCount('--concurrency', 'BENCH_CONCURRENCY', 20);
  const phases = readPhases();
  await withDevServers(async (servers) => {
    await runBench({
      temporalAddress: servers.temporalAddress,
      mongoUri: servers.mongoUri,
      orders,
      concurrency,
      phases,
      gatewayPort: await findFreePort(),
    });
  });
}

main().catch((error: unknown) => {
  console.error(`\n${describeFailure(error)}\n`);
  process.exit(1);
});
