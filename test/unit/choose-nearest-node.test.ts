import {
  canServeWholeOrder,
  rankSourcingNodes,
  type NodeAvailability,
  type SourcingNode,
} from '../../src/domain/choose-nearest-node';

const PARIS: SourcingNode = {
  nodeId: 'PARIS',
  location: { lat: 48.8566, lon: 2.3522, postalCode: '75001', country: 'FR' },
  capabilities: ['ship'],
};
const LYON: SourcingNode = {
  nodeId: 'LYON',
  location: { lat: 45.764, lon: 4.8357, postalCode: '69001', country: 'FR' },
  capabilities: ['ship'],
};
const MARSEILLE: SourcingNode = {
  nodeId: 'MARSEILLE',
  location: { lat: 43.2965, lon: 5.3698, postalCode: '13001', country: 'FR' },
  capabilities: ['ship', 'pickup'],
};
const BERLIN: SourcingNode = {
  nodeId: 'BERLIN',
  location: { lat: 52.52, lon: 13.405, postalCode: '10115', country: 'DE' },
  capabilities: ['ship'],
};
const NODES = [PARIS, LYON, MARSEILLE, BERLIN];

const stockEverywhere = (sku: string, units: number): NodeAvailability =>
  new Map([[sku, NODES.map((node) => ({ nodeId: node.nodeId, available: units }))]]);

const nearLyon = {
  method: 'ship' as const,
  address: { postalCode: '69100', country: 'FR', lat: 45.7719, lon: 4.8902 },
};

describe('rankSourcingNodes', () => {
  test('ranks nodes nearest first from the delivery coordinates', () => {
    const ranked = rankSourcingNodes({
      nodes: NODES,
      lines: [{ sku: 'A', quantity: 1 }],
      availability: stockEverywhere('A', 5),
      destination: nearLyon,
    });
    expect(ranked).toEqual(['LYON', 'MARSEILLE', 'PARIS', 'BERLIN']);
  });

  test('leaves out nodes that cannot serve every line', () => {
    const availability: NodeAvailability = new Map([
      [
        'A',
        [
          { nodeId: 'LYON', available: 5 },
          { nodeId: 'PARIS', available: 5 },
        ],
      ],
      ['B', [{ nodeId: 'PARIS', available: 1 }]],
    ]);
    const lines = [
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 1 },
    ];
    expect(rankSourcingNodes({ nodes: NODES, lines, availability, destination: nearLyon })).toEqual([
      'PARIS',
    ]);
  });

  test('adds up lines that share a SKU before checking stock', () => {
    const availability: NodeAvailability = new Map([['A', [{ nodeId: 'LYON', available: 3 }]]]);
    const lines = [
      { sku: 'A', quantity: 2 },
      { sku: 'A', quantity: 2 },
    ];
    expect(canServeWholeOrder('LYON', lines, availability)).toBe(false);
    expect(rankSourcingNodes({ nodes: NODES, lines, availability, destination: nearLyon })).toEqual([]);
  });

  test('leaves out nodes without the ship capability', () => {
    const storeOnly: SourcingNode = { ...LYON, nodeId: 'LYON-STORE', capabilities: ['pickup'] };
    const availability: NodeAvailability = new Map([['A', [{ nodeId: 'LYON-STORE', available: 5 }]]]);
    expect(
      rankSourcingNodes({
        nodes: [storeOnly],
        lines: [{ sku: 'A', quantity: 1 }],
        availability,
        destination: nearLyon,
      }),
    ).toEqual([]);
  });

  test('without coordinates prefers the same country, then the longest shared postal-code prefix', () => {
    const ranked = rankSourcingNodes({
      nodes: NODES,
      lines: [{ sku: 'A', quantity: 1 }],
      availability: stockEverywhere('A', 5),
      destination: { method: 'ship', address: { postalCode: '13008', country: 'FR' } },
    });
    expect(ranked[0]).toBe('MARSEILLE');
    expect(ranked.at(-1)).toBe('BERLIN');
  });

  test('breaks ties on the lower priority, then the node id', () => {
    const twinA: SourcingNode = { ...LYON, nodeId: 'A-TWIN', priority: 2 };
    const twinB: SourcingNode = { ...LYON, nodeId: 'B-TWIN', priority: 1 };
    const twinC: SourcingNode = { ...LYON, nodeId: 'C-TWIN' };
    const availability: NodeAvailability = new Map([
      ['A', ['A-TWIN', 'B-TWIN', 'C-TWIN'].map((nodeId) => ({ nodeId, available: 1 }))],
    ]);
    const ranked = rankSourcingNodes({
      nodes: [twinC, twinA, twinB],
      lines: [{ sku: 'A', quantity: 1 }],
      availability,
      destination: nearLyon,
    });
    expect(ranked).toEqual(['B-TWIN', 'A-TWIN', 'C-TWIN']);
  });

  test('a pickup is served only by the pickup node, when it has the pickup capability and the stock', () => {
    const lines = [{ sku: 'A', quantity: 1 }];
    const availability = stockEverywhere('A', 5);
    expect(
      rankSourcingNodes({
        nodes: NODES,
        lines,
        availability,
        destination: { method: 'pickup', pickupNodeId: 'MARSEILLE' },
      }),
    ).toEqual(['MARSEILLE']);
    expect(
      rankSourcingNodes({
        nodes: NODES,
        lines,
        availability,
        destination: { method: 'pickup', pickupNodeId: 'LYON' },
      }),
    ).toEqual([]);
  });
});
