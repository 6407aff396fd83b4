import { sourceOrder } from '../../../src/domain/sourcing/source-order';
import type { SourcingRequest } from '../../../src/domain/sourcing/sourcing-request';
import { line, node, parcelNodes, PLACES, shipRequest, store } from './fixtures';

const network = [
  store('ST-PARIS', PLACES.paris),
  store('ST-LILLE', PLACES.lille),
  store('ST-NORTH', PLACES.parisNorth, { capabilities: ['pickup'] }),
  node('WH-LYON', PLACES.lyon),
];

const pickupAt = (
  pickupNodeId: string,
  availability: SourcingRequest['availability'],
  extra: { allowStoreChange?: boolean; nodes?: SourcingRequest['nodes'] } = {},
): SourcingRequest =>
  shipRequest([line('L1', 'A'), line('L2', 'B')], extra.nodes ?? network, availability, {
    delivery: { method: 'pickup', pickupNodeId, allowStoreChange: extra.allowStoreChange },
  });

describe('sourceOrder for click-and-collect', () => {
  test('the chosen store holding everything serves it from its own stock, ready today', () => {
    const result = sourceOrder(
      pickupAt('ST-PARIS', { A: { 'ST-PARIS': 1, 'WH-LYON': 9 }, B: { 'ST-PARIS': 1 } }),
    );
    expect(result.allocations).toEqual([
      expect.objectContaining({
        nodeId: 'ST-PARIS',
        distanceKm: 0,
        promisedDate: '2025-03-05',
        costMinor: 350,
      }),
    ]);
    expect(result.allocations[0]!.transferTo).toBeUndefined();
    expect(result).toMatchObject({ pickupNodeId: 'ST-PARIS', decision: { strategy: 'pickup-at-store' } });
  });

  test('otherwise stock is transferred to the chosen store, ready when it arrives', () => {
    const result = sourceOrder(
      pickupAt('ST-PARIS', { A: { 'ST-PARIS': 1, 'WH-LYON': 9 }, B: { 'WH-LYON': 9 } }),
    );
    expect(result.allocations).toEqual([
      expect.objectContaining({ nodeId: 'WH-LYON', transferTo: 'ST-PARIS', promisedDate: '2025-03-11' }),
    ]);
    expect(result.pickupNodeId).toBe('ST-PARIS');
  });

  test('the store’s own stock and a transfer combine when no node holds everything', () => {
    const result = sourceOrder(pickupAt('ST-PARIS', { A: { 'ST-PARIS': 1 }, B: { 'WH-LYON': 9 } }));
    expect(parcelNodes(result)).toEqual(['ST-PARIS', 'WH-LYON']);
    expect(result.totals.promisedDate).toBe('2025-03-11');
  });

  test('with a store change allowed, the nearest other store holding everything takes the order', () => {
    const availability = {
      A: { 'ST-NORTH': 1, 'ST-LILLE': 1, 'WH-LYON': 9 },
      B: { 'ST-NORTH': 1, 'ST-LILLE': 1, 'WH-LYON': 9 },
    };
    const result = sourceOrder(pickupAt('ST-PARIS', availability, { allowStoreChange: true }));
    expect(result.pickupNodeId).toBe('ST-NORTH');
    expect(parcelNodes(result)).toEqual(['ST-NORTH']);
    expect(result.decision.strategy).toBe('pickup-store-change');
    expect(result.decision.summary).toMatch(/moved from ST-PARIS to ST-NORTH/);
  });

  test('a store without pickup takes no pickup order', () => {
    const result = sourceOrder(pickupAt('WH-LYON', { A: { 'WH-LYON': 9 }, B: { 'WH-LYON': 9 } }));
    expect(result.allocations).toEqual([]);
    expect(result.unfillable).toHaveLength(2);
    expect(result.decision.summary).toMatch(/WH-LYON does not offer pickup/);
  });

  test('an unknown store takes nothing', () => {
    const result = sourceOrder(pickupAt('ST-NOWHERE', { A: { 'WH-LYON': 9 }, B: { 'WH-LYON': 9 } }));
    expect(result.totals.unfillableUnits).toBe(2);
    expect(result.decision.summary).toMatch(/ST-NOWHERE is unknown/);
  });

  test('a store at capacity takes no pickup order', () => {
    const nodes = [
      store('ST-PARIS', PLACES.paris, { dailyOrderCapacity: 5, usedToday: 5 }),
      node('WH-LYON', PLACES.lyon),
    ];
    const result = sourceOrder(
      pickupAt('ST-PARIS', { A: { 'ST-PARIS': 1 }, B: { 'ST-PARIS': 1 } }, { nodes }),
    );
    expect(result.decision.summary).toMatch(/ST-PARIS is at capacity/);
    expect(result.allocations).toEqual([]);
  });

  test('now is an input: a pickup after the store cut-off is ready the next day', () => {
    const request = {
      ...pickupAt('ST-PARIS', { A: { 'ST-PARIS': 1 }, B: { 'ST-PARIS': 1 } }),
      now: '2025-03-05T17:00:00Z',
    };
    expect(sourceOrder(request).totals.promisedDate).toBe('2025-03-06');
  });
});
