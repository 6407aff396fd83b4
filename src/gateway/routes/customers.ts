import { z } from 'zod';
import { setCustomerProfile } from '../../customers/customer-index';
import { readCustomer360 } from '../../customers/customer-360';
import { CUSTOMER_TIERS } from '../../db/documents';
import { Identifier } from '../../domain/order-request';
import { NotFoundError } from '../../errors';
import { ReturnViewSchema } from '../../returns/return-view.schema';
import { defineRoute } from '../route';

export const CustomerIdParams = z.object({ customerId: Identifier }).strict();

const Standing = z.object({ tier: z.enum(CUSTOMER_TIERS), trustedReturns: z.boolean() });

export const Customer360Schema = z
  .object({
    customerId: z.string(),
    name: z.string().optional(),
    emails: z.array(z.string()),
    standing: Standing,
    totals: z.object({
      orders: z.number().int(),
      byChannel: z.record(z.string(), z.number().int()),
      byStatus: z.record(z.string(), z.number().int()),
      openReturns: z.number().int(),
    }),
    lifetimeValue: z.array(
      z.object({
        currency: z.string(),
        orders: z.number().int(),
        capturedMinor: z.number().int(),
        refundedMinor: z.number().int(),
        netMinor: z.number().int(),
      }),
    ),
    orders: z.array(
      z.object({
        orderId: z.string(),
        channel: z.string(),
        status: z.string(),
        currency: z.string(),
        totalMinor: z.number().int(),
        capturedMinor: z.number().int(),
        refundedMinor: z.number().int(),
        createdAt: z.string(),
        returns: z.number().int(),
      }),
    ),
    openReturns: z.array(ReturnViewSchema),
  })
  .describe('A customer across every channel: orders, totals, open returns, lifetime value');

/** `GET /v1/customers/{customerId}`: the customer 360 view for customer service. */
export const readCustomerRoute = defineRoute({
  method: 'get',
  path: '/v1/customers/{customerId}',
  operationId: 'getCustomer',
  tag: 'Customer service',
  summary: 'A customer across every channel (customer 360)',
  description:
    'Every order of the customer whatever the channel (newest first), totals by channel and status, open ' +
    'returns, lifetime value per currency (captured − refunded) and the standing the return rules use.',
  roles: ['agent', 'admin'],
  params: CustomerIdParams,
  responses: {
    200: { description: 'The customer', schema: Customer360Schema },
    404: { description: 'No orders and no profile for this customer' },
  },
  async handle({ params, deps }) {
    const customer = await readCustomer360(deps.collections, params.customerId);
    if (!customer) throw new NotFoundError(`Customer ${params.customerId} has no orders.`);
    return { status: 200, body: customer };
  },
});

export const CustomerProfileBody = z
  .object({
    tier: z.enum(CUSTOMER_TIERS).optional().describe('vip: the VIP return window, exchanges ship at once'),
    trustedReturns: z
      .boolean()
      .optional()
      .describe('refunded when a return is created, before the parcel arrives'),
  })
  .strict()
  .refine(
    (body) => body.tier !== undefined || body.trustedReturns !== undefined,
    'name tier or trustedReturns',
  );

/** `PUT /v1/customers/{customerId}`: the customer's standing for the return rules. */
export const putCustomerProfileRoute = defineRoute({
  method: 'put',
  path: '/v1/customers/{customerId}',
  operationId: 'putCustomerProfile',
  tag: 'Customer service',
  summary: 'Set a customer’s tier and whether their returns are refunded at once',
  roles: ['admin'],
  params: CustomerIdParams,
  body: CustomerProfileBody,
  responses: { 200: { description: 'The standing now', schema: Standing } },
  async handle({ params, body, deps }) {
    const standing = await setCustomerProfile(deps.collections, params.customerId, {
      ...(body.tier !== undefined ? { tier: body.tier } : {}),
      ...(body.trustedReturns !== undefined ? { trustedReturns: body.trustedReturns } : {}),
    });
    return { status: 200, body: standing };
  },
});
