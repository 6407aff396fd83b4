import { z } from 'zod';
import { Identifier } from '../domain/order-request';
import type { ResponseSpec } from './route';

/** Path parameters of `/v1/fulfillments/{fulfillmentId}/…`. */
export const FulfillmentIdParams = z.object({ fulfillmentId: Identifier }).strict();

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
