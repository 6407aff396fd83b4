import fc from 'fast-check';
import { createSeededRandom } from '../../../src/bench/seeded-random';
import { generateNetwork, generateShipRequest } from '../../../src/bench/sourcing-instances';
import { NODE_TYPES, type NodeType } from '../../../src/db/documents';
import { NODE_KINDS, type NodeKind } from '../../../src/domain/promise/promise-defaults';
import { sourceOrder } from '../../../src/domain/sourcing/source-order';
import { SourcingRequest } from '../../../src/domain/sourcing/sourcing-request';
import { SourcingResult } from '../../../src/domain/sourcing/sourcing-result';
import { line, node, PLACES, shipRequest, store, WEDNESDAY_9AM } from './fixtures';

const nodes = [
  node('WH-NORTH', PLACES.parisNorth, { priority: 1 }),
  node('WH-LYON', PLACES.lyon, { priority: 2 }),
  store('ST-PARIS', PLACES.paris, { dailyOrderCapacity: 10, usedToday: 10 }),
  store('ST-LILLE', PLACES.lille, { capabilities: ['pickup'] }),
  node('WH-MARSEILLE', PLACES.marseille),
  node('DS-MILANO', PLACES.milano, { type: 'dropship' }),
];
const request = shipRequest([line('L1', 'A', 2), line('L2', 'B')], nodes, {
  A: { 'WH-NORTH': 5, 'WH-LYON': 5, 'ST-PARIS': 5, 'WH-MARSEILLE': 1, 'DS-MILANO': 5 },
  B: { 'WH-NORTH': 5, 'WH-LYON': 5, 'ST-LILLE': 5 },
});

describe('the decision record', () => {
  const result = sourceOrder(request);

  test('accounts for every node exactly once', () => {
    const listed = result.decision.candidates.map((candidate) => candidate.nodeId);
    const excluded = Object.values(result.decision.excluded).flat();
    expect([...listed, ...excluded].sort()).toEqual(nodes.map((entry) => entry.nodeId).sort());
  });

  test('gives each node the reason it was taken or left out', () => {
    const reasons = Object.fromEntries(result.decision.candidates.map((c) => [c.nodeId, c.reason]));
    expect(reasons).toEqual({
      'WH-NORTH': 'taken',
      'WH-LYON': 'higher-cost',
      'WH-MARSEILLE': 'partial-stock',
    });
    expect(result.decision.excluded).toEqual({
      'capacity-exhausted': ['ST-PARIS'],
      'no-capability': ['ST-LILLE'],
      'own-stock-first': ['DS-MILANO'],
    });
  });

  test('scores candidates on their own and ranks them', () => {
    const [first, second] = result.decision.candidates;
    expect(first).toMatchObject({ nodeId: 'WH-NORTH', rank: 1, units: 3, taken: true });
    expect(second).toMatchObject({ nodeId: 'WH-LYON', rank: 2, units: 3, taken: false });
    expect(second!.costMinor).toBeGreaterThan(first!.costMinor);
    expect(second!.note).toMatch(/could serve all 3 units alone for \d+\.\d\d \(chosen: \d+\.\d\d\)/);
  });

  test('summarises the outcome in one line', () => {
    expect(result.decision.summary).toBe(
      `1 parcel (WH-NORTH×3) for ${(result.totals.costMinor / 100).toFixed(2)}, promised 2025-03-07; single-node over 3 candidates`,
    );
  });

  test('names the node that dominates a pruned candidate', () => {
    const split = sourceOrder(
      shipRequest(
        [line('L1', 'A'), line('L2', 'B')],
        [node('WH-NEAR', PLACES.parisNorth), node('WH-FAR', PLACES.lyon), node('WH-B', PLACES.lille)],
        { A: { 'WH-NEAR': 1, 'WH-FAR': 1 }, B: { 'WH-B': 1 } },
      ),
    );
    const far = split.decision.candidates.find((candidate) => candidate.nodeId === 'WH-FAR');
    expect(split.decision).toMatchObject({ strategy: 'exact-search', search: { pruned: 1 } });
    expect(far).toMatchObject({ reason: 'dominated', taken: false });
    expect(far!.note).toMatch(/^WH-NEAR holds the whole need/);
  });

  test('lists only the best candidates in full and names the others', () => {
    const brief = sourceOrder(request, { maxListedCandidates: 1 });
    expect(brief.decision.candidates.map((c) => c.nodeId)).toEqual(['WH-NORTH']);
    expect(brief.decision.excluded['not-listed']).toEqual(['WH-LYON', 'WH-MARSEILLE']);
  });
});

describe('sourceOrder is deterministic and serialisable', () => {
  test('the same request gives the same result', () => {
    expect(sourceOrder(structuredClone(request))).toEqual(sourceOrder(request));
  });

  test('the order of nodes in the request does not change the result', () => {
    expect(sourceOrder({ ...request, nodes: [...nodes].reverse() })).toEqual(sourceOrder(request));
  });

  test('requests and results pass their strict schemas and survive JSON', () => {
    expect(SourcingRequest.parse(request)).toEqual(request);
    const result = sourceOrder(request);
    expect(SourcingResult.parse(result)).toEqual(result);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  test('the request schema refuses unknown fields', () => {
    expect(SourcingRequest.safeParse({ ...request, rush: true }).success).toBe(false);
  });

  test('the request schema refuses a node listed twice', () => {
    expect(SourcingRequest.safeParse({ ...request, nodes: [...nodes, nodes[0]] }).success).toBe(false);
  });

  test('node kinds are the network API’s node types', () => {
    const kind: NodeKind = 'warehouse' as NodeType;
    const type: NodeType = kind;
    expect([...NODE_KINDS]).toEqual([...NODE_TYPES]);
    expect(type).toBe('warehouse');
  });

  test('on random networks every unit is allocated, backordered or unfillable, within stock', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 3, max: 40 }),
        (seed, nodeCount) => {
          const random = createSeededRandom(seed);
          const generated = generateShipRequest(random, generateNetwork(random, nodeCount), 6, WEDNESDAY_9AM);
          const result = sourceOrder(generated);
          SourcingResult.parse(result);
          const { totals } = result;
          expect(totals.allocatedUnits + totals.backorderedUnits + totals.unfillableUnits).toBe(totals.units);
          const used = new Map<string, number>();
          for (const allocation of result.allocations) {
            for (const share of allocation.lines) {
              const key = `${share.sku}@${allocation.nodeId}`;
              used.set(key, (used.get(key) ?? 0) + share.quantity);
            }
          }
          for (const [key, units] of used) {
            const [sku, nodeId] = key.split('@') as [string, string];
            expect(units).toBeLessThanOrEqual(generated.availability[sku]?.[nodeId] ?? 0);
          }
          if (generated.shipComplete) expect(totals.parcels).toBeLessThanOrEqual(1);
          expect(sourceOrder(generated)).toEqual(result);
        },
      ),
      { numRuns: 150 },
    );
  });
});
