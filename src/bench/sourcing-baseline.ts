import { haversineKm } from '../domain/geo';
import { parcelCostMinor, parcelRate, resolveCostModel } from '../domain/sourcing/shipping-cost';
import type { NetworkNode, SourcingRequest } from '../domain/sourcing/sourcing-request';

/** What the naive rule decided, scored with the engine's cost model. */
export interface BaselineOutcome {
  parcels: number;
  costMinor: number;
  units: number;
}

/**
 * The naive rule the engine replaces: the nearest node that has the whole order, else line by line
 * the nearest node that has the line. Ship orders with destination coordinates only.
 */
export function sourceNearestBaseline(request: SourcingRequest): BaselineOutcome {
  if (request.delivery.method !== 'ship') throw new Error('the baseline handles ship orders only');
  const { destination, speed } = request.delivery;
  const to = { lat: destination.lat ?? 0, lon: destination.lon ?? 0 };
  const usable = request.nodes
    .filter(
      (node) =>
        node.capabilities.includes('ship') &&
        (node.dailyOrderCapacity === undefined || node.usedToday < node.dailyOrderCapacity),
    )
    .map((node) => ({ node, km: haversineKm(node.location, to) }))
    .sort((a, b) => a.km - b.km);
  const left = new Map<string, number>();
  const stockAt = (sku: string, nodeId: string): number =>
    left.get(`${sku}@${nodeId}`) ?? request.availability[sku]?.[nodeId] ?? 0;
  const parcels = new Map<NetworkNode, { km: number; grams: number }>();
  const ship = (node: NetworkNode, km: number, sku: string, quantity: number, grams: number): void => {
    left.set(`${sku}@${node.nodeId}`, stockAt(sku, node.nodeId) - quantity);
    const parcel = parcels.get(node) ?? { km, grams: 0 };
    parcel.grams += quantity * grams;
    parcels.set(node, parcel);
  };
  const whole = usable.find(({ node }) =>
    request.lines.every((line) => stockAt(line.sku, node.nodeId) >= line.quantity),
  );
  let units = 0;
  for (const line of request.lines) {
    const from = whole ?? usable.find(({ node }) => stockAt(line.sku, node.nodeId) >= line.quantity);
    if (!from) continue;
    ship(from.node, from.km, line.sku, line.quantity, line.weightGrams);
    units += line.quantity;
  }
  let costMinor = 0;
  for (const [node, parcel] of parcels) {
    const rate = parcelRate(
      resolveCostModel(node.type, node.costModel),
      parcel.km,
      speed === 'express' ? 'express' : 'ship',
    );
    costMinor += parcelCostMinor(rate, parcel.grams);
  }
  return { parcels: parcels.size, costMinor, units };
}
