import { z } from 'zod';
import { Delivery } from '../../domain/order-request';
import { SourcingResult } from '../../domain/sourcing/sourcing-result';
import {
  FULFILLMENT_STATUSES,
  HOLD_KINDS,
  LINE_STATUSES,
  ORDER_STATUSES,
  PAYMENT_STATUSES,
  type OrderView,
} from '../../domain/order-view';

/** The order view as a schema, for the OpenAPI document (the type itself lives in src/domain). */
export const OrderViewSchema = z
  .object({
    orderId: z.string(),
    status: z.enum(ORDER_STATUSES),
    channel: z.string(),
    customer: z.object({ id: z.string(), email: z.string(), name: z.string().optional() }),
    currency: z.string(),
    totalMinor: z.number().int(),
    delivery: Delivery,
    lines: z.array(
      z.object({
        lineId: z.string(),
        sku: z.string(),
        quantity: z.number().int(),
        unitPriceMinor: z.number().int(),
        status: z.enum(LINE_STATUSES),
        cancelledQuantity: z.number().int().optional().describe('Units that will not reach the customer'),
        promisedDate: z
          .string()
          .optional()
          .describe('While units are backordered: the date promised for them'),
      }),
    ),
    fulfillments: z.array(
      z.object({
        fulfillmentId: z.string(),
        nodeId: z.string(),
        lines: z.array(z.object({ lineId: z.string(), quantity: z.number().int() })),
        status: z.enum(FULFILLMENT_STATUSES),
        trackingNumber: z.string().optional(),
        method: z.enum(['ship', 'pickup']).optional(),
        carrier: z.string().optional(),
        pickupBy: z.string().optional(),
        reason: z.string().optional(),
        resolution: z
          .enum(['reship', 'refund'])
          .optional()
          .describe("An agent's decision after a carrier exception"),
      }),
    ),
    payment: z.object({
      status: z.enum(PAYMENT_STATUSES),
      authorizedMinor: z.number().int(),
      capturedMinor: z.number().int(),
      refundedMinor: z.number().int(),
      voidedMinor: z.number().int().optional(),
    }),
    returns: z.array(z.unknown()),
    timeline: z.array(
      z.object({
        at: z.string(),
        type: z.string(),
        detail: z.string().optional(),
        actor: z.string().optional(),
      }),
    ),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
    backorders: z
      .array(
        z.object({
          lineId: z.string(),
          sku: z.string(),
          quantity: z.number().int(),
          nodeId: z.string().optional(),
          expectedAt: z.string().optional(),
          promisedDate: z.string().optional(),
          since: z.string(),
        }),
      )
      .optional()
      .describe('Units waiting for inbound supply'),
    hold: z
      .object({
        kind: z.enum(HOLD_KINDS),
        reason: z.string(),
        since: z.string(),
        actor: z.string().optional(),
        escalatedAt: z.string().optional(),
      })
      .optional()
      .describe('Present while the order is on hold'),
    sourcing: SourcingResult.extend({ decidedAt: z.string(), attempt: z.number().int() })
      .optional()
      .describe('Where the order is served from and why: allocations, promised dates, the decision record'),
  })
  .describe('The live order view');

// Fails to compile when the schema and the OrderView type drift apart.
const _sameShape: (view: z.infer<typeof OrderViewSchema>) => OrderView = (view) => view;
void _sameShape;
