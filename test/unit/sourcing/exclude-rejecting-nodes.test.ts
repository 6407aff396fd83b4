import { markRejectingNodes, withoutStockAt } from '../../../src/domain/sourcing/exclude-rejecting-nodes';
import { sourceOrder } from '../../../src/domain/sourcing/source-order';
import { SourcingResult } from '../../../src/domain/sourcing/sourcing-result';
import { line, node, parcelNodes, PLACES, shipRequest } from './fixtures';

// After a node rejects a fulfilment, its stock of those units must not count when they are sourced again.
const nodes = [node('WH-NORTH', PLACES.parisNorth), node('WH-LYON', PLACES.lyon)];
const request = shipRequest([line('L1', 'A', 2)], nodes, { A: { 'WH-NORTH': 5, 'WH-LYON': 5 } });
const source = (excluded: string[]) =>
  markRejectingNodes(sourceOrder(withoutStockAt(request, excluded)), excluded);

describe('sourcing again without the nodes that rejected the units', () => {
  test('the nearest node is chosen while it has not rejected anything', () => {
    expect(parcelNodes(source([]))).toEqual(['WH-NORTH']);
  });

  test('a node that rejected the units is not chosen again, though it still lists stock', () => {
    expect(parcelNodes(source(['WH-NORTH']))).toEqual(['WH-LYON']);
  });

  test('the decision record names it as excluded for having rejected them, and nowhere else', () => {
    const result = source(['WH-NORTH']);
    expect(result.decision.excluded).toEqual({ rejected: ['WH-NORTH'] });
    expect(result.decision.candidates.map((c) => c.nodeId)).toEqual(['WH-LYON']);
    expect(SourcingResult.safeParse(result).error).toBeUndefined();
  });

  test('units only the rejecting node holds are unfillable', () => {
    const alone = shipRequest([line('L1', 'A', 2)], nodes, { A: { 'WH-NORTH': 5 } });
    const result = sourceOrder(withoutStockAt(alone, ['WH-NORTH']));
    expect(result.allocations).toEqual([]);
    expect(result.unfillable).toEqual([{ lineId: 'L1', sku: 'A', quantity: 2 }]);
  });

  test('nothing changes when no node is excluded', () => {
    expect(withoutStockAt(request, [])).toBe(request);
    const plain = sourceOrder(request);
    expect(markRejectingNodes(plain, [])).toBe(plain);
  });
});
