import { loadConfig } from '../config';
import { getCollections } from '../db/collections';
import { connectDatabase } from '../db/connect';
import { reconcileInventory, type ReconcileOptions, type ReconciliationReport } from './reconcile';

/** `--repair` and `--sku A --sku B` from the command line. */
export function parseReconcileArgs(args: string[]): ReconcileOptions {
  const skus = args.flatMap((arg, i) => (arg === '--sku' && args[i + 1] ? [args[i + 1] as string] : []));
  return { repair: args.includes('--repair'), ...(skus.length > 0 ? { skus } : {}) };
}

/** The report as a plain-text table, one line per drift found. */
export function formatReconciliation(report: ReconciliationReport): string {
  const summary =
    `checked ${report.checked} stock records, ${report.drift.length} drift, ` +
    `${report.unflushed} movements in flight, ${report.repaired} repaired (${report.at})`;
  if (report.drift.length === 0)
    return `${summary}\nno drift: counters, reservations, holds and ledger agree`;
  const rows = [
    ['sku', 'node', 'check', 'expected', 'actual', 'detail'],
    ...report.drift.map((d) => [d.sku, d.nodeId, d.check, String(d.expected), String(d.actual), d.detail]),
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length)));
  const lines = rows.map((row) =>
    row
      .map((cell, col) => cell.padEnd(widths[col] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  return [summary, lines[0], widths.map((w) => '-'.repeat(w)).join('  '), ...lines.slice(1)].join('\n');
}

async function main(): Promise<void> {
  const config = loadConfig();
  const { client, db } = await connectDatabase(config.mongoUri);
  try {
    const report = await reconcileInventory(getCollections(db), parseReconcileArgs(process.argv.slice(2)));
    console.log(formatReconciliation(report));
    process.exitCode = report.drift.length > 0 ? 1 : 0;
  } finally {
    await client.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`Reconciliation failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  });
}
