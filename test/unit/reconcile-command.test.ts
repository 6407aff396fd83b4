import { formatReconciliation, parseReconcileArgs } from '../../src/inventory/reconcile-command';
import type { ReconciliationReport } from '../../src/inventory/reconcile';

const clean: ReconciliationReport = {
  checked: 3,
  drift: [],
  unflushed: 0,
  repaired: 0,
  at: '2030-01-01T00:00:00.000Z',
};

describe('the reconcile command', () => {
  test('reads --repair and repeated --sku', () => {
    expect(parseReconcileArgs(['--repair', '--sku', 'A', '--sku', 'B'])).toEqual({
      repair: true,
      skus: ['A', 'B'],
    });
    expect(parseReconcileArgs([])).toEqual({ repair: false });
  });

  test('says so when nothing drifted', () => {
    expect(formatReconciliation(clean)).toContain('no drift');
  });

  test('prints one aligned row per drift under a header', () => {
    const text = formatReconciliation({
      ...clean,
      drift: [
        { sku: 'A', nodeId: 'N1', check: 'on_hand_vs_ledger', expected: 10, actual: 11, detail: 'onHand' },
        { sku: 'LONG-SKU', nodeId: 'N2', check: 'held_vs_holds', expected: 0, actual: 2, detail: 'held' },
      ],
    });
    const lines = text.split('\n');
    expect(lines[0]).toContain('2 drift');
    expect(lines[1]).toMatch(/^sku\s+node\s+check\s+expected\s+actual\s+detail$/);
    expect(lines[3]).toMatch(/^A\s+N1\s+on_hand_vs_ledger\s+10\s+11\s+onHand$/);
    expect(lines[4]?.indexOf('N2')).toBe(lines[3]?.indexOf('N1'));
  });
});
