import { z } from 'zod';
import { Identifier } from '../../domain/order-request';
import { runOrderReturnsUpdate } from '../../returns/return-updates';
import { AppeasementViewSchema } from '../../returns/return-view.schema';
import { grantAppeasementUpdate } from '../../../workflows/return.messages';
import { actorOf } from '../fulfillment-owner';
import { OrderIdParams } from '../order-requests';
import { defineRoute } from '../route';

export const GrantAppeasementBody = z
  .object({
    lineId: Identifier.optional().describe('The line it is for; the whole order when absent'),
    amountMinor: z.number().int().positive().max(1_000_000_000),
    reasonCode: Identifier.describe('e.g. late_delivery, damaged_item, service_failure, goodwill'),
  })
  .strict();

/** `POST /v1/orders/{orderId}/appeasements`: a goodwill credit, capped per role, refunded at once. */
export const grantAppeasementRoute = defineRoute({
  method: 'post',
  path: '/v1/orders/{orderId}/appeasements',
  operationId: 'grantAppeasement',
  tag: 'Customer service',
  summary: 'Grant a goodwill credit (appeasement) on an order or one of its lines',
  description:
    'Capped per granting role (OMS_APPEASEMENT_CAPS; agent 50.00 and admin 500.00 by default), never above ' +
    'what was captured minus what was refunded (less what open returns will refund). Refunded at once through ' +
    'the payment provider and recorded on the order timeline with the agent. 409 with the reason ' +
    '(`appeasement-above-cap`, `above-refundable`, `appeasement-not-allowed`).',
  roles: ['agent', 'admin'],
  params: OrderIdParams,
  body: GrantAppeasementBody,
  idempotencyKey: true,
  responses: {
    201: { description: 'The appeasement, refunded', schema: AppeasementViewSchema },
    404: { description: 'No such order' },
    409: { description: 'Above the cap or the refundable money, or the order is closed' },
    422: { description: 'Unknown line' },
    503: { description: 'The order workflow did not answer in time' },
  },
  async handle({ params, body, principal, deps }) {
    const appeasement = await runOrderReturnsUpdate(deps, params.orderId, grantAppeasementUpdate, {
      ...(body.lineId !== undefined ? { lineId: body.lineId } : {}),
      amountMinor: body.amountMinor,
      reasonCode: body.reasonCode,
      actor: actorOf(principal),
      role: principal.role,
    });
    return { status: 201, body: appeasement };
  },
});
