import { z } from 'zod';
import { NODE_CAPABILITIES, NODE_TYPES, type NodeDoc } from '../../db/documents';
import { Identifier } from '../../domain/order-request';
import { NotFoundError } from '../../errors';
import { defineRoute } from '../route';

export const NodeBody = z
  .object({
    name: z.string().min(1).max(200),
    type: z.enum(NODE_TYPES),
    location: z
      .object({
        lat: z.number().min(-90).max(90),
        lon: z.number().min(-180).max(180),
        postalCode: z.string().min(1).max(20),
        country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as FR'),
      })
      .strict(),
    capabilities: z
      .array(z.enum(NODE_CAPABILITIES))
      .max(NODE_CAPABILITIES.length)
      .refine((list) => new Set(list).size === list.length, 'list each capability once'),
    dailyOrderCapacity: z.number().int().positive().max(1_000_000).optional(),
    priority: z.number().int().min(0).max(1000).optional().describe('lower is preferred when sourcing ties'),
  })
  .strict();
export type NodeBody = z.infer<typeof NodeBody>;

export const NodeView = NodeBody.extend({ nodeId: z.string(), updatedAt: z.string() });
export const NodeIdParams = z.object({ nodeId: Identifier }).strict();

/** The API shape of a stored node. */
export const toNodeView = ({ _id, ...node }: NodeDoc): z.infer<typeof NodeView> => ({ nodeId: _id, ...node });

/** `PUT /v1/nodes/{nodeId}`: creates or replaces a fulfilment node. */
export const putNodeRoute = defineRoute({
  method: 'put',
  path: '/v1/nodes/{nodeId}',
  operationId: 'putNode',
  tag: 'Network',
  summary: 'Create or replace a fulfilment node',
  roles: ['admin'],
  params: NodeIdParams,
  body: NodeBody,
  responses: {
    201: { description: 'Created', schema: NodeView, headers: { Location: 'the node URL' } },
    200: { description: 'Replaced', schema: NodeView },
  },
  async handle({ params, body, deps }) {
    const doc: NodeDoc = { _id: params.nodeId, ...body, updatedAt: new Date().toISOString() };
    const result = await deps.collections.nodes.replaceOne({ _id: params.nodeId }, doc, { upsert: true });
    return {
      status: result.upsertedCount === 1 ? 201 : 200,
      headers: { Location: `/v1/nodes/${encodeURIComponent(params.nodeId)}` },
      body: toNodeView(doc),
    };
  },
});

/** `GET /v1/nodes`: every node, by id. */
export const listNodesRoute = defineRoute({
  method: 'get',
  path: '/v1/nodes',
  operationId: 'listNodes',
  tag: 'Network',
  summary: 'List fulfilment nodes',
  roles: ['admin'],
  responses: { 200: { description: 'All nodes', schema: z.object({ items: z.array(NodeView) }) } },
  async handle({ deps }) {
    const docs = await deps.collections.nodes.find().sort({ _id: 1 }).toArray();
    return { status: 200, body: { items: docs.map(toNodeView) } };
  },
});

/** `GET /v1/nodes/{nodeId}`: one node. */
export const readNodeRoute = defineRoute({
  method: 'get',
  path: '/v1/nodes/{nodeId}',
  operationId: 'getNode',
  tag: 'Network',
  summary: 'Read a fulfilment node',
  roles: ['admin'],
  params: NodeIdParams,
  responses: { 200: { description: 'The node', schema: NodeView }, 404: { description: 'No such node' } },
  async handle({ params, deps }) {
    const doc = await deps.collections.nodes.findOne({ _id: params.nodeId });
    if (!doc) throw new NotFoundError(`Node ${params.nodeId} does not exist.`);
    return { status: 200, body: toNodeView(doc) };
  },
});
