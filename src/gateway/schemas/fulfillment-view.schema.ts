import { z } from 'zod';
import { FULFILLMENT_STATUSES, TRANSFER_STATUSES } from '../../domain/order-view';

/** A fulfilment as its child workflow answers it (the same shape the order view lists), for the OpenAPI document. */
export const FulfillmentViewSchema = z
  .object({
    fulfillmentId: z.string(),
    nodeId: z.string(),
    lines: z.array(z.object({ lineId: z.string(), quantity: z.number().int() }).strict()),
    status: z.enum(FULFILLMENT_STATUSES),
    trackingNumber: z.string().optional(),
    method: z.enum(['ship', 'pickup']).optional(),
    carrier: z.string().optional(),
    pickupBy: z.string().optional().describe('When a pickup parcel stops waiting at the store'),
    reason: z.string().optional().describe('Why the node rejected it or the carrier reported an exception'),
    transfer: z
      .object({
        toNodeId: z.string(),
        status: z.enum(TRANSFER_STATUSES),
        trackingNumber: z.string().optional(),
      })
      .strict()
      .optional()
      .describe('A pickup part served from another node: its leg to the pickup store (`toNodeId`)'),
  })
  .strict();
