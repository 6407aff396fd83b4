import { sourceOrder } from '../../../src/domain/sourcing/source-order';
import { line, node, parcelNodes, PLACES, shipRequest, store } from './fixtures';

const MONDAY_10AM = '2025-03-10T10:00:00Z';

describe('sourceOrder with inbound supply', () => {
  test('units no node has now are backordered against inbound supply', () => {
    const result = sourceOrder(
      shipRequest(
        [line('L1', 'A', 3)],
        [node('WH', PLACES.parisNorth)],
        { A: { WH: 1 } },
        {
          inbound: { A: [{ nodeId: 'WH', quantity: 10, expectedAt: MONDAY_10AM }] },
        },
      ),
    );
    expect(result.allocations).toHaveLength(1);
    expect(result.allocations[0]!.lines).toEqual([{ lineId: 'L1', sku: 'A', quantity: 1 }]);
    expect(result.backorders).toEqual([
      {
        lineId: 'L1',
        sku: 'A',
        quantity: 2,
        nodeId: 'WH',
        expectedAt: MONDAY_10AM,
        promisedDate: '2025-03-12',
      },
    ]);
    expect(result.totals).toMatchObject({ allocatedUnits: 1, backorderedUnits: 2, unfillableUnits: 0 });
  });

  test('the earliest inbound supply is used first', () => {
    const result = sourceOrder(
      shipRequest(
        [line('L1', 'A')],
        [node('WH-1', PLACES.paris), node('WH-2', PLACES.lyon)],
        {},
        {
          inbound: {
            A: [
              { nodeId: 'WH-1', quantity: 5, expectedAt: '2025-03-20T08:00:00Z' },
              { nodeId: 'WH-2', quantity: 5, expectedAt: '2025-03-12T08:00:00Z' },
            ],
          },
        },
      ),
    );
    expect(result.backorders.map((backorder) => backorder.nodeId)).toEqual(['WH-2']);
  });

  test('units beyond stock and inbound are unfillable', () => {
    const result = sourceOrder(
      shipRequest(
        [line('L1', 'A', 4), line('L2', 'B')],
        [node('WH', PLACES.paris)],
        { A: { WH: 1 } },
        {
          inbound: { A: [{ nodeId: 'WH', quantity: 2, expectedAt: MONDAY_10AM }] },
        },
      ),
    );
    expect(result.unfillable).toEqual([
      { lineId: 'L1', sku: 'A', quantity: 1 },
      { lineId: 'L2', sku: 'B', quantity: 1 },
    ]);
    expect(result.totals).toMatchObject({
      units: 5,
      allocatedUnits: 1,
      backorderedUnits: 2,
      unfillableUnits: 2,
    });
  });

  test('inbound supply at a node that cannot ship does not back an order', () => {
    const pickupOnly = store('ST', PLACES.paris, { capabilities: ['pickup'] });
    const result = sourceOrder(
      shipRequest(
        [line('L1', 'A')],
        [pickupOnly],
        {},
        {
          inbound: { A: [{ nodeId: 'ST', quantity: 5, expectedAt: MONDAY_10AM }] },
        },
      ),
    );
    expect(result.backorders).toEqual([]);
    expect(result.unfillable).toEqual([{ lineId: 'L1', sku: 'A', quantity: 1 }]);
    expect(result.decision.strategy).toBe('nothing-available');
  });
});

describe('sourceOrder with ship-complete', () => {
  const nodes = [
    node('WH-PARIS', PLACES.parisNorth),
    node('WH-LILLE', PLACES.lille),
    node('WH-MARSEILLE', PLACES.marseille),
  ];

  test('one node sends everything even when a split would be cheaper', () => {
    const availability = { A: { 'WH-PARIS': 1, 'WH-MARSEILLE': 1 }, B: { 'WH-LILLE': 1, 'WH-MARSEILLE': 1 } };
    const lines = [line('L1', 'A'), line('L2', 'B')];
    const result = sourceOrder(shipRequest(lines, nodes, availability, { shipComplete: true }));
    expect(parcelNodes(result)).toEqual(['WH-MARSEILLE']);
    expect(result.decision).toMatchObject({ strategy: 'ship-complete', shipComplete: 'met' });
  });

  test('inbound supply is not waited for when a node has everything now', () => {
    const result = sourceOrder(
      shipRequest(
        [line('L1', 'A'), line('L2', 'B')],
        nodes,
        { A: { 'WH-PARIS': 1, 'WH-LILLE': 1 }, B: { 'WH-LILLE': 1 } },
        {
          shipComplete: true,
          inbound: { B: [{ nodeId: 'WH-PARIS', quantity: 3, expectedAt: MONDAY_10AM }] },
        },
      ),
    );
    expect(parcelNodes(result)).toEqual(['WH-LILLE']);
    expect(result.backorders).toEqual([]);
  });

  test('when no node has everything now, the order waits at the node whose inbound completes it', () => {
    const result = sourceOrder(
      shipRequest(
        [line('L1', 'A'), line('L2', 'B')],
        nodes,
        { A: { 'WH-PARIS': 1 }, B: { 'WH-LILLE': 1 } },
        {
          shipComplete: true,
          inbound: { B: [{ nodeId: 'WH-PARIS', quantity: 3, expectedAt: MONDAY_10AM }] },
        },
      ),
    );
    expect(result.allocations).toEqual([
      expect.objectContaining({ nodeId: 'WH-PARIS', waitsForInbound: true, promisedDate: '2025-03-12' }),
    ]);
    expect(result.backorders).toEqual([
      expect.objectContaining({ lineId: 'L2', nodeId: 'WH-PARIS', quantity: 1 }),
    ]);
    expect(result.decision.shipComplete).toBe('awaiting-inbound');
  });

  test('when no single node can ever complete the order, one node sends what it can and the rest is unfillable', () => {
    const availability = { A: { 'WH-PARIS': 1 }, B: { 'WH-LILLE': 1 }, C: { 'WH-LILLE': 1 } };
    const result = sourceOrder(
      shipRequest([line('L1', 'A'), line('L2', 'B'), line('L3', 'C')], nodes, availability, {
        shipComplete: true,
      }),
    );
    expect(parcelNodes(result)).toEqual(['WH-LILLE']);
    expect(result.unfillable).toEqual([{ lineId: 'L1', sku: 'A', quantity: 1 }]);
    expect(result.decision.shipComplete).toBe('not-possible');
    expect(result.decision.candidates.find((candidate) => candidate.nodeId === 'WH-PARIS')?.reason).toBe(
      'cannot-ship-complete',
    );
  });
});
