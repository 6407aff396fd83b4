import { runInventoryBench } from '../bench/inventory-bench';
import { withDevServers } from './dev-servers';
import { describeFailure } from './setup-error';

// `npm run bench:inventory [-- --skus 2000 --nodes 50 --iterations 3000 --reservations 2000 --concurrency 64]`:
// seeds the stock records into throw-away in-memory servers (or MONGODB_URI / TEMPORAL_ADDRESS when set), then
// measures availability reads and hot-SKU reservations.

function readCount(flag: string, fallback: number): number {
  const index = process.argv.indexOf(flag);
  const raw = index >= 0 ? process.argv[index + 1] : undefined;
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${flag} must be a positive integer, got ${raw}`);
  return value;
}

async function main(): Promise<void> {
  const options = {
    skus: readCount('--skus', 2_000),
    nodes: readCount('--nodes', 50),
    cartLines: readCount('--lines', 10),
    iterations: readCount('--iterations', 3_000),
    reservations: readCount('--reservations', 2_000),
    concurrency: readCount('--concurrency', 64),
    seed: readCount('--seed', 7),
  };
  await withDevServers(
    (servers) =>
      runInventoryBench({ ...options, mongoUri: servers.mongoUri, temporalAddress: servers.temporalAddress }),
    'couture_inventory_bench',
  );
}

main().catch((error: unknown) => {
  console.error(`\n${describeFailure(error)}\n`);
  process.exit(1);
});
