import { runBench } from '../bench/main';
import { withDevServers } from './dev-servers';
import { findFreePort } from './free-port';
import { describeFailure } from './setup-error';

// `npm run bench`: the benchmark (src/bench) against throw-away in-memory servers started like the tests'
// (or TEMPORAL_ADDRESS / MONGODB_URI when set). Options: --orders N --concurrency C (or BENCH_ORDERS,
// BENCH_CONCURRENCY).

function readCount(flag: string, envName: string, fallback: number): number {
  const index = process.argv.indexOf(flag);
  const raw = index >= 0 ? process.argv[index + 1] : process.env[envName];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${flag} (${envName}) must be a positive integer, got ${raw}`);
  return value;
}

async function main(): Promise<void> {
  const orders = readCount('--orders', 'BENCH_ORDERS', 200);
  const concurrency = readCount('--concurrency', 'BENCH_CONCURRENCY', 20);
  await withDevServers(async (servers) => {
    await runBench({
      temporalAddress: servers.temporalAddress,
      mongoUri: servers.mongoUri,
      orders,
      concurrency,
      gatewayPort: await findFreePort(),
    });
  });
}

main().catch((error: unknown) => {
  console.error(`\n${describeFailure(error)}\n`);
  process.exit(1);
});
