import {
  indexCustomerOrder,
  readCustomerStanding,
  type CustomerOrderRef,
} from '../src/customers/customer-index';
import type { Address } from '../src/domain/order-request';
import { suggestDisposition } from '../src/domain/returns/disposition';
import {
  DEFAULT_RETURN_POLICY,
  familyOfSku,
  type ProductTerms,
  type ReturnTerms,
} from '../src/domain/returns/return-policy';
import type { DispositionView, ReturnLabelView, ReturnView } from '../src/domain/returns/return-view';
import { returnLinesToStock } from '../src/inventory/counts';
import { recordDamagedUnits } from '../src/returns/damaged-stock';
import { createReturnLabel } from '../src/returns/return-label';
import { publishReturn } from '../src/returns/return-read-model';
import { shippedByNode } from '../src/returns/sales-by-node';
import type { ActivityDeps } from './deps';

export interface ReadReturnTermsInput {
  customerId: string;
  /** SKUs returned and SKUs asked for as replacements. */
  skus: string[];
}

export interface CreateReturnLabelInput {
  rmaId: string;
  orderId: string;
  from?: Address;
  workflowId: string;
}

/** Units of one returned line received at a node. */
export interface ReceivedLine {
  lineId: string;
  sku: string;
  quantity: number;
}

export interface ReceivedUnitsInput {
  rmaId: string;
  nodeId: string;
  lines: ReceivedLine[];
}

export interface PublishReturnViewInput {
  view: ReturnView;
}

/** Returns and customer-service activities: terms, labels, restock, damaged units, dispositions, read models. */
export function createReturnActivities({ collections, carrier, config }: ActivityDeps) {
  const policy = config.returnPolicy ?? DEFAULT_RETURN_POLICY;
  const receiptKey = (rmaId: string, lineId: string) => `${rmaId}:${lineId}`;

  return {
    /** The return policy, the catalogue entries of these SKUs and the customer's standing (VIP, trusted). */
    async readReturnTerms(input: ReadReturnTermsInput): Promise<ReturnTerms> {
      const skus = [...new Set(input.skus)];
      const docs = await collections.products.find({ _id: { $in: skus } }).toArray();
      const products: Record<string, ProductTerms> = {};
      for (const doc of docs) {
        products[doc._id] = {
          priceMinor: doc.priceMinor,
          currency: doc.currency,
          family: familyOfSku(doc._id),
          ...(doc.returnWindowDays !== undefined ? { returnWindowDays: doc.returnWindowDays } : {}),
        };
      }
      return { policy, products, customer: await readCustomerStanding(collections, input.customerId) };
    },

    /** Books the return label once per RMA, addressed to the nearest node that takes returns; null when none does. */
    async createReturnLabel(input: CreateReturnLabelInput): Promise<ReturnLabelView | null> {
      return (await createReturnLabel(collections, carrier, input)) ?? null;
    },

    /** Sellable returned units back in stock at the receiving node at once (ledger `return`), once per RMA line. */
    async restockReturnedUnits(input: ReceivedUnitsInput): Promise<void> {
      await returnLinesToStock(collections, {
        nodeId: input.nodeId,
        lines: input.lines,
        reason: `return ${input.rmaId}`,
        source: `return:${input.rmaId}`,
        movementKeyOf: (lineId) => receiptKey(input.rmaId, lineId),
      });
    },

    /** Damaged returned units into the node's non-sellable bucket, once per RMA line. */
    async recordDamagedUnits(input: ReceivedUnitsInput): Promise<void> {
      for (const line of input.lines) {
        await recordDamagedUnits(collections, {
          sku: line.sku,
          nodeId: input.nodeId,
          quantity: line.quantity,
          key: receiptKey(input.rmaId, line.lineId),
        });
      }
    },

    /** Per returned SKU: keep at the receiving node, or transfer to where it sells most (from the ledger's ships). */
    async suggestReturnDispositions(input: ReceivedUnitsInput): Promise<DispositionView[]> {
      const suggestions: DispositionView[] = [];
      for (const line of input.lines) {
        const sales = await shippedByNode(collections, line.sku);
        suggestions.push(
          suggestDisposition({
            sku: line.sku,
            nodeId: input.nodeId,
            quantity: line.quantity,
            shippedByNode: sales,
          }),
        );
      }
      return suggestions;
    },

    /** The RMA read model (`returns`, `_id` = rmaId), never backwards. */
    publishReturnView(input: PublishReturnViewInput): Promise<'published' | 'stale'> {
      return publishReturn(collections, input.view);
    },

    /** Lists the order under its customer and email (idempotent), for the customer 360 view and search. */
    indexCustomerOrder(input: CustomerOrderRef): Promise<void> {
      return indexCustomerOrder(collections, input);
    },
  };
}
