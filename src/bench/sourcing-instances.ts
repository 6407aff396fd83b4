import type { NetworkNode, SourcingRequest } from '../domain/sourcing/sourcing-request';
import type { SeededRandom } from './seeded-random';

/** Mainland France, roughly: where generated nodes and customers live. */
const AREA = { minLat: 43.3, maxLat: 50.9, minLon: -1.2, maxLon: 7.5 };

const randomPlace = (random: SeededRandom): { lat: number; lon: number } => ({
  lat: AREA.minLat + random.next() * (AREA.maxLat - AREA.minLat),
  lon: AREA.minLon + random.next() * (AREA.maxLon - AREA.minLon),
});

/**
 * A retailer's network of `count` nodes: about 4% warehouses, 3% drop-ship vendors, the rest stores
 * (most ship and offer pickup, some only pickup; a few are at their daily capacity).
 */
export function generateNetwork(random: SeededRandom, count: number): NetworkNode[] {
  const warehouses = Math.max(2, Math.round(count * 0.04));
  const vendors = Math.max(1, Math.round(count * 0.03));
  return Array.from({ length: count }, (_, index): NetworkNode => {
    const nodeId = `N${String(index).padStart(4, '0')}`;
    if (index < warehouses) {
      return {
        nodeId,
        type: 'warehouse',
        location: randomPlace(random),
        capabilities: ['ship', 'return'],
        dailyOrderCapacity: 5000,
        usedToday: random.int(0, 4000),
        priority: random.int(1, 3),
      };
    }
    if (index < warehouses + vendors) {
      return {
        nodeId,
        type: 'dropship',
        location: randomPlace(random),
        capabilities: ['ship'],
        usedToday: 0,
        priority: 9,
      };
    }
    const dailyOrderCapacity = random.int(40, 150);
    return {
      nodeId,
      type: 'store',
      location: randomPlace(random),
      capabilities: random.chance(0.85) ? ['ship', 'pickup', 'return'] : ['pickup', 'return'],
      dailyOrderCapacity,
      usedToday: random.chance(0.05) ? dailyOrderCapacity : random.int(0, dailyOrderCapacity - 1),
      priority: random.int(4, 7),
    };
  });
}

/**
 * A ship order of `lineCount` lines over `network`, with stock spread as in fashion retail: warehouses
 * hold most SKUs deeply, stores a few units of some, and about one SKU in ten only a vendor holds.
 */
export function generateShipRequest(
  random: SeededRandom,
  network: NetworkNode[],
  lineCount: number,
  now: string,
): SourcingRequest {
  const lines = Array.from({ length: lineCount }, (_, index) => ({
    lineId: `L${index + 1}`,
    sku: `SKU-${random.int(1, 1_000_000)}`,
    quantity: random.chance(0.8) ? 1 : random.int(2, 3),
    weightGrams: random.int(150, 2500),
  }));
  const availability: SourcingRequest['availability'] = {};
  const inbound: NonNullable<SourcingRequest['inbound']> = {};
  for (const { sku } of lines) {
    const vendorOnly = random.chance(0.1);
    const atNodes: Record<string, number> = {};
    for (const node of network) {
      const holds =
        node.type === 'dropship'
          ? random.chance(vendorOnly ? 0.6 : 0.1)
          : !vendorOnly && random.chance(node.type === 'warehouse' ? 0.75 : 0.3);
      if (holds) atNodes[node.nodeId] = node.type === 'store' ? random.int(1, 4) : random.int(1, 60);
    }
    availability[sku] = atNodes;
    if (random.chance(0.3)) {
      const warehouse = network.find((node) => node.type === 'warehouse')!;
      inbound[sku] = [
        { nodeId: warehouse.nodeId, quantity: random.int(5, 50), expectedAt: '2025-03-12T08:00:00Z' },
      ];
    }
  }
  return {
    now,
    lines,
    delivery: {
      method: 'ship',
      speed: random.chance(0.2) ? 'express' : 'standard',
      destination: randomPlace(random),
    },
    shipComplete: random.chance(0.1),
    availability,
    inbound,
    nodes: network,
  };
}
