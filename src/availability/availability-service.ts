import type { Collections } from '../db/collections';
import type { PoolCaller } from '../inventory/stock-repository';
import { planDeliveryOptions, type DeliveryOptions, type DeliveryOptionsInput } from './delivery-options';
import { readNetworkSnapshot } from '../sourcing-snapshot/network-snapshot';
import { readSkuAvailability, type SkuAvailability, type SkuAvailabilityQuery } from './sku-availability';

export type { CartLine, DeliveryOption, DeliveryOptions, OptionSource } from './delivery-options';
export type {
  NodeAvailabilityView,
  NextInboundView,
  SkuAvailability,
  SkuAvailabilityQuery,
} from './sku-availability';

/** A delivery-options request: the cart, the destination and who asks. */
export type DeliveryOptionsQuery = Omit<DeliveryOptionsInput, 'now'> & PoolCaller;

/** The ATP query service: availability per SKU, and delivery options with promised dates for a cart. */
export interface AvailabilityService {
  /** Per SKU, in the order asked: what the caller may sell now, per node and in total, and the next inbound. */
  skuAvailability(query: SkuAvailabilityQuery): Promise<SkuAvailability[]>;
  /** Ship standard/express and pickup stores for a cart, each with its promised date and source nodes. */
  deliveryOptions(query: DeliveryOptionsQuery): Promise<DeliveryOptions>;
}

/** Creates the query service over the database; `now` is injectable so promises can be tested on fixed days. */
export function createAvailabilityService(
  c: Collections,
  now: () => Date = () => new Date(),
): AvailabilityService {
  return {
    skuAvailability: (query) => readSkuAvailability(c, query),
    async deliveryOptions({ channel, segment, ...input }) {
      const caller: PoolCaller = {
        ...(channel !== undefined ? { channel } : {}),
        ...(segment !== undefined ? { segment } : {}),
      };
      const at = now().toISOString();
      const snapshot = await readNetworkSnapshot(c, {
        skus: input.lines.map((line) => line.sku),
        caller,
        now: at,
      });
      return planDeliveryOptions({ ...input, now: at }, snapshot);
    },
  };
}
