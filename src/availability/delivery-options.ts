import { roundKm } from '../domain/sourcing/write-result';
import { distanceToDestinationKm } from '../domain/sourcing/destination-distance';
import { sourceOrder } from '../domain/sourcing/source-order';
import type { NetworkNode, ShipDestination } from '../domain/sourcing/sourcing-request';
import type { SourcingResult } from '../domain/sourcing/sourcing-result';
import { requestOnSnapshot, type NetworkSnapshot } from '../sourcing-snapshot/network-snapshot';

/** One cart line: a SKU and how many units. */
export interface CartLine {
  sku: string;
  quantity: number;
}

/** What a checkout asks: the cart, where it goes, and how many pickup stores to offer at most. */
export interface DeliveryOptionsInput {
  /** ISO 8601 instant the promises are computed from. */
  now: string;
  lines: CartLine[];
  destination: ShipDestination;
  shipComplete?: boolean;
  maxPickupStores?: number;
}

/** Units of the cart leaving one node (or waiting there for inbound supply). */
export interface OptionSource {
  nodeId: string;
  nodeType: NetworkNode['type'];
  lines: CartLine[];
  /** Delivery day for a shipped parcel, ready day for a pickup. */
  promisedDate: string;
  dispatchDate?: string;
  distanceKm?: number;
  /** The units travel to this pickup store first. */
  transferTo?: string;
  /** True when the units come from inbound supply (expected at `expectedAt`), not from stock on hand. */
  fromInbound: boolean;
  expectedAt?: string;
}

/** A way to get the whole cart, with its promised date and the nodes it would come from. */
export interface DeliveryOption {
  /** `ship-standard`, `ship-express` or `pickup:<nodeId>`. */
  optionId: string;
  method: 'ship' | 'pickup';
  speed?: 'standard' | 'express';
  pickupNode?: { nodeId: string; name: string; distanceKm: number; postalCode: string; country: string };
  /** When the customer has everything (delivered, or ready at the store). */
  promisedDate: string;
  /** When the first parcel arrives (or the first units are ready). */
  earliestDate: string;
  parcels: number;
  shippingCostMinor: number;
  waitsForInbound: boolean;
  sources: OptionSource[];
}

/** The options, ship standard and express first, then pickup stores nearest first; and what none can serve. */
export interface DeliveryOptions {
  now: string;
  options: DeliveryOption[];
  unavailable: CartLine[];
}

/** Pickup stores offered at most by default, and the nearest stores examined to find them. */
export const DEFAULT_PICKUP_STORES = 3;
const PICKUP_STORES_EXAMINED = 20;

const latest = (dates: string[]): string => dates.reduce((a, b) => (b > a ? b : a));
const earliest = (dates: string[]): string => dates.reduce((a, b) => (b < a ? b : a));

/** Sums units per SKU, in first-seen order (lines of one SKU merge). */
function unitsBySku(lines: readonly { sku: string; quantity: number }[]): CartLine[] {
  const bySku = new Map<string, number>();
  for (const line of lines) bySku.set(line.sku, (bySku.get(line.sku) ?? 0) + line.quantity);
  return [...bySku].map(([sku, quantity]) => ({ sku, quantity }));
}

function sourcesOf(result: SourcingResult, nodes: ReadonlyMap<string, NetworkNode>): OptionSource[] {
  const now: OptionSource[] = result.allocations.map((allocation) => ({
    nodeId: allocation.nodeId,
    nodeType: allocation.nodeType,
    lines: unitsBySku(allocation.lines),
    promisedDate: allocation.promisedDate,
    dispatchDate: allocation.dispatchDate,
    distanceKm: allocation.distanceKm,
    ...(allocation.transferTo !== undefined ? { transferTo: allocation.transferTo } : {}),
    fromInbound: allocation.waitsForInbound,
  }));
  const waiting = new Map<string, OptionSource>();
  for (const backorder of result.backorders) {
    const key = `${backorder.nodeId}|${backorder.expectedAt}`;
    const source = waiting.get(key) ?? {
      nodeId: backorder.nodeId,
      nodeType: nodes.get(backorder.nodeId)?.type ?? 'warehouse',
      lines: [],
      promisedDate: backorder.promisedDate,
      fromInbound: true,
      expectedAt: backorder.expectedAt,
    };
    source.lines = unitsBySku([...source.lines, backorder]);
    source.promisedDate = latest([source.promisedDate, backorder.promisedDate]);
    waiting.set(key, source);
  }
  return [...now, ...waiting.values()];
}

/** The option a sourcing result makes, or undefined when it leaves units unserved. */
function toOption(
  result: SourcingResult,
  base: Pick<DeliveryOption, 'optionId' | 'method' | 'speed' | 'pickupNode'>,
  nodes: ReadonlyMap<string, NetworkNode>,
): DeliveryOption | undefined {
  if (result.unfillable.length > 0) return undefined;
  const sources = sourcesOf(result, nodes);
  if (sources.length === 0) return undefined;
  const dates = sources.map((source) => source.promisedDate);
  return {
    ...base,
    promisedDate: latest(dates),
    earliestDate: earliest(dates),
    parcels: result.totals.parcels,
    shippingCostMinor: result.totals.costMinor,
    waitsForInbound: sources.some((source) => source.fromInbound),
    sources,
  };
}

/** Pickup-capable stores nearest the destination first (a postcode without a country counts as domestic). */
function pickupStoresByDistance(
  nodes: readonly NetworkNode[],
  destination: ShipDestination,
): { node: NetworkNode; km: number }[] {
  return nodes
    .filter((node) => node.capabilities.includes('pickup'))
    .map((node) => ({
      node,
      km: distanceToDestinationKm(node.location, {
        ...destination,
        country: destination.country ?? node.location.country,
      }),
    }))
    .sort((a, b) => a.km - b.km || (a.node.nodeId < b.node.nodeId ? -1 : 1));
}

/**
 * Delivery options for a cart: ship standard, ship express (only when it is not later than standard) and
 * pickup at the nearest stores that can have everything, each sourced by the same engine the order uses,
 * so the promise shown at checkout is what the order will do with the same stock. Pure: `now` is an input.
 */
export function planDeliveryOptions(input: DeliveryOptionsInput, snapshot: NetworkSnapshot): DeliveryOptions {
  const base = requestOnSnapshot(snapshot, {
    ...input,
    lines: input.lines.map((line, index) => ({ lineId: `L${index + 1}`, ...line })),
  });
  const nodes = new Map(snapshot.nodes.map((node) => [node.nodeId, node]));
  const ship = (speed: 'standard' | 'express'): SourcingResult =>
    sourceOrder({ ...base, delivery: { method: 'ship', speed, destination: input.destination } });

  const standardResult = ship('standard');
  const standard = toOption(
    standardResult,
    { optionId: 'ship-standard', method: 'ship', speed: 'standard' },
    nodes,
  );
  const express =
    standard &&
    toOption(ship('express'), { optionId: 'ship-express', method: 'ship', speed: 'express' }, nodes);
  const options: DeliveryOption[] = [];
  if (standard) options.push(standard);
  // Express that would arrive later than standard (another plan won on cost) is no option to offer.
  if (express && express.promisedDate <= standard.promisedDate) options.push(express);

  const wanted = input.maxPickupStores ?? DEFAULT_PICKUP_STORES;
  const stores = pickupStoresByDistance(snapshot.nodes, input.destination).slice(0, PICKUP_STORES_EXAMINED);
  let pickups = 0;
  for (const { node, km } of stores) {
    if (pickups >= wanted) break;
    const doc = snapshot.nodeDocs.get(node.nodeId);
    const result = sourceOrder({ ...base, delivery: { method: 'pickup', pickupNodeId: node.nodeId } });
    const option = toOption(
      result,
      {
        optionId: `pickup:${node.nodeId}`,
        method: 'pickup',
        pickupNode: {
          nodeId: node.nodeId,
          name: doc?.name ?? node.nodeId,
          distanceKm: roundKm(km),
          postalCode: node.location.postalCode ?? '',
          country: node.location.country ?? '',
        },
      },
      nodes,
    );
    if (option) {
      options.push(option);
      pickups++;
    }
  }
  // Units no option serves: what even standard shipping leaves out, when nothing else takes the whole cart.
  return {
    now: input.now,
    options,
    unavailable: options.length > 0 ? [] : unitsBySku(standardResult.unfillable),
  };
}
