import { z } from 'zod';
import type { ProductDoc } from '../../db/documents';
import { Currency, Identifier, MinorUnits } from '../../domain/order-request';
import { NotFoundError } from '../../errors';
import { defineRoute } from '../route';

export const ProductBody = z
  .object({
    name: z.string().min(1).max(200),
    priceMinor: MinorUnits.describe('integer minor units: 12900 is 129.00'),
    currency: Currency,
    weightGrams: z.number().int().positive().max(1_000_000),
    returnWindowDays: z.number().int().min(0).max(365).optional(),
  })
  .strict();

export const ProductView = ProductBody.extend({ sku: z.string(), updatedAt: z.string() });
export const SkuParams = z.object({ sku: Identifier }).strict();

/** The API shape of a stored product. */
export const toProductView = ({ _id, ...product }: ProductDoc): z.infer<typeof ProductView> => ({
  sku: _id,
  ...product,
});

/** `PUT /v1/products/{sku}`: creates or replaces a catalogue entry. */
export const putProductRoute = defineRoute({
  method: 'put',
  path: '/v1/products/{sku}',
  operationId: 'putProduct',
  tag: 'Catalogue',
  summary: 'Create or replace a product',
  roles: ['admin'],
  params: SkuParams,
  body: ProductBody,
  responses: {
    201: { description: 'Created', schema: ProductView, headers: { Location: 'the product URL' } },
    200: { description: 'Replaced', schema: ProductView },
  },
  async handle({ params, body, deps }) {
    const doc: ProductDoc = { _id: params.sku, ...body, updatedAt: new Date().toISOString() };
    const result = await deps.collections.products.replaceOne({ _id: params.sku }, doc, { upsert: true });
    return {
      status: result.upsertedCount === 1 ? 201 : 200,
      headers: { Location: `/v1/products/${encodeURIComponent(params.sku)}` },
      body: toProductView(doc),
    };
  },
});

/** `GET /v1/products/{sku}`: one product. */
export const readProductRoute = defineRoute({
  method: 'get',
  path: '/v1/products/{sku}',
  operationId: 'getProduct',
  tag: 'Catalogue',
  summary: 'Read a product',
  roles: ['admin'],
  params: SkuParams,
  responses: {
    200: { description: 'The product', schema: ProductView },
    404: { description: 'No such SKU' },
  },
  async handle({ params, deps }) {
    const doc = await deps.collections.products.findOne({ _id: params.sku });
    if (!doc) throw new NotFoundError(`Product ${params.sku} does not exist.`);
    return { status: 200, body: toProductView(doc) };
  },
});
