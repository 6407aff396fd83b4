import { z } from 'zod';
import {
  EXCHANGE_STATUSES,
  RETURN_METHODS,
  RETURN_STATUSES,
  UNIT_CONDITIONS,
  type AppeasementView,
  type ReturnView,
} from '../domain/returns/return-view';

const Timeline = z.array(
  z.object({ at: z.string(), type: z.string(), detail: z.string().optional(), actor: z.string().optional() }),
);

/** The RMA view as a schema, for the OpenAPI document (the type itself lives in src/domain/returns). */
export const ReturnViewSchema = z
  .object({
    rmaId: z.string(),
    orderId: z.string(),
    customerId: z.string(),
    currency: z.string(),
    status: z.enum(RETURN_STATUSES),
    method: z.enum(RETURN_METHODS),
    lines: z.array(
      z.object({
        lineId: z.string(),
        sku: z.string(),
        quantity: z.number().int(),
        reason: z.string(),
        unitPriceMinor: z.number().int(),
        received: z.object({ sellable: z.number().int(), damaged: z.number().int() }).optional(),
      }),
    ),
    actor: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    expiresAt: z.string(),
    label: z
      .object({ carrier: z.string(), trackingNumber: z.string(), labelUrl: z.string(), nodeId: z.string() })
      .optional(),
    receipt: z
      .object({
        nodeId: z.string(),
        at: z.string(),
        actor: z.string(),
        lines: z.array(
          z.object({ lineId: z.string(), quantity: z.number().int(), condition: z.enum(UNIT_CONDITIONS) }),
        ),
      })
      .optional(),
    dispositions: z.array(
      z.object({
        sku: z.string(),
        nodeId: z.string(),
        quantity: z.number().int(),
        action: z.enum(['keep', 'transfer']),
        toNodeId: z.string().optional(),
        reason: z.string(),
      }),
    ),
    refund: z.object({
      instant: z.boolean(),
      feeMinor: z.number().int(),
      refundedMinor: z.number().int(),
      chargedMinor: z.number().int(),
      failedMinor: z.number().int(),
    }),
    payments: z.array(
      z.object({
        kind: z.enum(['refund', 'charge']),
        idempotencyKey: z.string(),
        authorizationId: z.string(),
        amountMinor: z.number().int(),
        fulfillmentId: z.string().optional(),
        reason: z.string(),
        at: z.string(),
      }),
    ),
    exchange: z
      .object({
        status: z.enum(EXCHANGE_STATUSES),
        lines: z.array(
          z.object({
            lineId: z.string(),
            sku: z.string(),
            quantity: z.number().int(),
            unitPriceMinor: z.number().int(),
          }),
        ),
        differenceMinor: z.number().int(),
        nodeId: z.string().optional(),
        fulfillmentId: z.string().optional(),
        trackingNumber: z.string().optional(),
        reason: z.string().optional(),
      })
      .optional(),
    timeline: Timeline,
    version: z.number().int(),
  })
  .describe('A return (RMA): its units, label, receipt, dispositions, money and exchange');

export const AppeasementViewSchema = z
  .object({
    appeasementId: z.string(),
    lineId: z.string().optional(),
    amountMinor: z.number().int(),
    reasonCode: z.string(),
    actor: z.string(),
    role: z.string(),
    at: z.string(),
    refundedMinor: z.number().int(),
  })
  .describe('A goodwill credit, refunded at once');

// Fail to compile when the schemas and the types drift apart.
const _sameReturn: (view: z.infer<typeof ReturnViewSchema>) => ReturnView = (view) => view;
const _sameAppeasement: (view: z.infer<typeof AppeasementViewSchema>) => AppeasementView = (view) => view;
void _sameReturn;
void _sameAppeasement;
