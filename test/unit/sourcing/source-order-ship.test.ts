import { sourceOrder } from '../../../src/domain/sourcing/source-order';
import { line, node, parcelNodes, PLACES, shipRequest, store } from './fixtures';

describe('sourceOrder for shipped orders', () => {
  test('the nearest of two otherwise equal warehouses wins', () => {
    const result = sourceOrder(
      shipRequest([line('L1', 'A')], [node('WH-LYON', PLACES.lyon), node('WH-NORTH', PLACES.parisNorth)], {
        A: { 'WH-LYON': 5, 'WH-NORTH': 5 },
      }),
    );
    expect(parcelNodes(result)).toEqual(['WH-NORTH']);
    expect(result.allocations[0]).toMatchObject({ lines: [{ lineId: 'L1', sku: 'A', quantity: 1 }] });
  });

  test('at equal parcels the cheapest node wins, even when it is farther', () => {
    // A store 17 km away pays store handling; the warehouse 17 km farther still costs less.
    const nearStore = store('ST-NEAR', { lat: 48.71, lon: 2.3522 });
    const fartherWarehouse = node('WH-FAR', { lat: 49.1, lon: 2.3522 });
    const result = sourceOrder(
      shipRequest([line('L1', 'A')], [nearStore, fartherWarehouse], { A: { 'ST-NEAR': 3, 'WH-FAR': 3 } }),
    );
    const [storeVerdict] = result.decision.candidates.filter((candidate) => candidate.nodeId === 'ST-NEAR');
    expect(parcelNodes(result)).toEqual(['WH-FAR']);
    expect(storeVerdict).toMatchObject({ taken: false, reason: 'higher-cost' });
    expect(storeVerdict!.distanceKm).toBeLessThan(result.allocations[0]!.distanceKm);
  });

  test('one node with everything is preferred to a cheaper split', () => {
    const nodes = [
      node('WH-PARIS-1', PLACES.paris),
      node('WH-PARIS-2', PLACES.parisNorth),
      node('WH-MARSEILLE', PLACES.marseille),
    ];
    const result = sourceOrder(
      shipRequest([line('L1', 'A'), line('L2', 'B')], nodes, {
        A: { 'WH-PARIS-1': 1, 'WH-MARSEILLE': 1 },
        B: { 'WH-PARIS-2': 1, 'WH-MARSEILLE': 1 },
      }),
    );
    const costAlone = (nodeId: string) =>
      result.decision.candidates.find((candidate) => candidate.nodeId === nodeId)!.costMinor;
    expect(costAlone('WH-PARIS-1') + costAlone('WH-PARIS-2')).toBeLessThan(result.totals.costMinor);
    expect(parcelNodes(result)).toEqual(['WH-MARSEILLE']);
    expect(result.totals).toMatchObject({ parcels: 1, allocatedUnits: 2 });
    expect(result.decision.strategy).toBe('single-node');
  });

  test('without a node holding everything, the split uses the fewest parcels', () => {
    const nodes = [
      node('N-AB', PLACES.lyon),
      node('N-C', PLACES.lille),
      node('N-A', PLACES.paris),
      node('N-B', PLACES.parisNorth),
    ];
    const result = sourceOrder(
      shipRequest([line('L1', 'A'), line('L2', 'B'), line('L3', 'C')], nodes, {
        A: { 'N-AB': 1, 'N-A': 1 },
        B: { 'N-AB': 1, 'N-B': 1 },
        C: { 'N-C': 1 },
      }),
    );
    expect(parcelNodes(result)).toEqual(['N-AB', 'N-C']);
    expect(result.decision.strategy).toBe('exact-search');
  });

  test('a line is split across nodes when no node has its whole quantity', () => {
    const result = sourceOrder(
      shipRequest([line('L1', 'A', 5)], [node('WH-1', PLACES.paris), node('WH-2', PLACES.lyon)], {
        A: { 'WH-1': 3, 'WH-2': 4 },
      }),
    );
    expect(result.allocations.map((allocation) => allocation.lines[0]!.quantity)).toEqual([3, 2]);
    expect(result.totals).toMatchObject({ allocatedUnits: 5, parcels: 2, unfillableUnits: 0 });
  });

  test('nodes at their daily capacity are excluded', () => {
    const full = node('WH-NEAR', PLACES.paris, { dailyOrderCapacity: 100, usedToday: 100 });
    const result = sourceOrder(
      shipRequest([line('L1', 'A')], [full, node('WH-FAR', PLACES.lyon)], {
        A: { 'WH-NEAR': 9, 'WH-FAR': 9 },
      }),
    );
    expect(parcelNodes(result)).toEqual(['WH-FAR']);
    expect(result.decision.excluded['capacity-exhausted']).toEqual(['WH-NEAR']);
  });

  test('nodes that cannot ship are excluded', () => {
    const pickupOnly = store('ST-PARIS', PLACES.paris, { capabilities: ['pickup'] });
    const result = sourceOrder(
      shipRequest([line('L1', 'A')], [pickupOnly, node('WH-LYON', PLACES.lyon)], {
        A: { 'ST-PARIS': 9, 'WH-LYON': 9 },
      }),
    );
    expect(parcelNodes(result)).toEqual(['WH-LYON']);
    expect(result.decision.excluded['no-capability']).toEqual(['ST-PARIS']);
  });

  test('a SKU only a drop-ship vendor holds is sent by the vendor', () => {
    const vendor = node('DS-MILANO', PLACES.milano, { type: 'dropship' });
    const result = sourceOrder(
      shipRequest(
        [line('L1', 'A'), line('L2', 'VENDOR-ONLY')],
        [node('WH-PARIS', PLACES.parisNorth), vendor],
        {
          A: { 'WH-PARIS': 2 },
          'VENDOR-ONLY': { 'DS-MILANO': 2 },
        },
      ),
    );
    expect(
      result.allocations.map((allocation) => [allocation.nodeId, allocation.lines.map((l) => l.lineId)]),
    ).toEqual([
      ['DS-MILANO', ['L2']],
      ['WH-PARIS', ['L1']],
    ]);
    expect(result.allocations[0]!.dispatchDate).toBe('2025-03-10');
  });

  test('a vendor is not used for what the retailer’s own nodes can send', () => {
    const vendor = node('DS-NEAR', PLACES.paris, { type: 'dropship' });
    const result = sourceOrder(
      shipRequest([line('L1', 'A')], [node('WH-LYON', PLACES.lyon), vendor], {
        A: { 'WH-LYON': 1, 'DS-NEAR': 5 },
      }),
    );
    expect(parcelNodes(result)).toEqual(['WH-LYON']);
    expect(result.decision.excluded['own-stock-first']).toEqual(['DS-NEAR']);
  });

  test('at equal cost the earlier promise wins', () => {
    const slow = node('WH-SLOW', PLACES.parisNorth, { processingDays: 3 });
    const quick = node('WH-QUICK', PLACES.parisNorth);
    const result = sourceOrder(
      shipRequest([line('L1', 'A')], [slow, quick], { A: { 'WH-SLOW': 1, 'WH-QUICK': 1 } }),
    );
    expect(parcelNodes(result)).toEqual(['WH-QUICK']);
    expect(result.decision.candidates.find((candidate) => candidate.nodeId === 'WH-SLOW')?.reason).toBe(
      'later-promise',
    );
  });

  test('at equal cost and promise the better priority wins', () => {
    const second = node('WH-A', PLACES.parisNorth, { priority: 2 });
    const first = node('WH-B', PLACES.parisNorth, { priority: 1 });
    const result = sourceOrder(
      shipRequest([line('L1', 'A')], [second, first], { A: { 'WH-A': 1, 'WH-B': 1 } }),
    );
    expect(parcelNodes(result)).toEqual(['WH-B']);
    expect(result.decision.candidates.find((candidate) => candidate.nodeId === 'WH-A')?.reason).toBe(
      'lower-priority',
    );
  });

  test('express promises sooner and costs more than standard', () => {
    const request = shipRequest([line('L1', 'A')], [node('WH-LYON', PLACES.lyon)], { A: { 'WH-LYON': 1 } });
    const standard = sourceOrder(request);
    const express = sourceOrder({
      ...request,
      delivery: { method: 'ship', speed: 'express', destination: PLACES.paris },
    });
    expect(express.totals.promisedDate! < standard.totals.promisedDate!).toBe(true);
    expect(express.totals.costMinor).toBeGreaterThan(standard.totals.costMinor);
  });

  test('an address without coordinates is placed by country and postcode', () => {
    const paris = node('WH-PARIS', { lat: 48.99, lon: 2.45 }, { priority: 2 });
    paris.location = { ...paris.location, postalCode: '95500', country: 'FR' };
    const lyon = node('WH-LYON', PLACES.lyon, { priority: 1 });
    lyon.location = { ...lyon.location, postalCode: '69800', country: 'FR' };
    const result = sourceOrder(
      shipRequest(
        [line('L1', 'A')],
        [paris, lyon],
        { A: { 'WH-PARIS': 1, 'WH-LYON': 1 } },
        {
          delivery: { method: 'ship', destination: { postalCode: '95100', country: 'FR' } },
        },
      ),
    );
    expect(parcelNodes(result)).toEqual(['WH-PARIS']);
  });

  test('a parcel costs its handling plus carrier rates by distance and weight', () => {
    const result = sourceOrder(
      shipRequest([line('L1', 'A', 2, 1500)], [node('WH', PLACES.paris)], { A: { WH: 2 } }),
    );
    // 0 km, 3 kg: handling 150 + base 450 + 3 × 90 per kg.
    expect(result.allocations[0]).toMatchObject({ weightGrams: 3000, costMinor: 870, distanceKm: 0 });
    expect(result.totals.costMinor).toBe(870);
  });
});
