import { z } from 'zod';
import type { ResponseSpec } from './route';

/**
 * A fulfilment id: `<orderId>-F<n>`, or `<rmaId>-X1` for an exchange, so longer than the 64 characters an
 * orderId may have.
 */
export const FulfillmentId = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'a fulfilment id such as o-1001-F1');

/** Path parameters of `/v1/fulfillments/{fulfillmentId}/…`. */
export const FulfillmentIdParams = z.object({ fulfillmentId: FulfillmentId }).strict();

/** What node staff's empty-bodied actions on a fulfilment (ship, ready, picked up) declare alike. */
export const FULFILLMENT_ACTION = {
  roles: ['admin', 'node'] as const,
  params: FulfillmentIdParams,
  body: z.object({}).strict(),
  bodyOptional: true,
  idempotencyKey: true,
} as const;

/** The answers of a fulfilment action: `ok`, 404, the workflow's refusal (409, described) and its timeout. */
export function fulfillmentActionResponses(ok: ResponseSpec, refused: string): Record<number, ResponseSpec> {
  return {
    200: ok,
    404: { description: 'No such fulfilment' },
    409: { description: refused },
    503: { description: 'The workflow did not answer in time.' },
  };
}
