import { z } from 'zod';
import { Identifier } from '../../domain/order-request';
import { DRIFT_CHECKS, reconcileInventory } from '../../inventory/reconcile';
import { defineRoute } from '../route';

export const ReconciliationQuery = z
  .object({
    sku: z
      .union([Identifier, z.array(Identifier).min(1).max(100)])
      .transform((sku) => (Array.isArray(sku) ? [...new Set(sku)] : [sku]))
      .optional()
      .describe('only these SKUs (repeat for several); every stock record when absent'),
  })
  .strict();

export const ReconciliationView = z
  .object({
    checked: z.number().int().describe('stock records checked'),
    drift: z.array(
      z
        .object({
          sku: z.string(),
          nodeId: z.string(),
          check: z.enum(DRIFT_CHECKS),
          expected: z.union([z.number(), z.string()]),
          actual: z.union([z.number(), z.string()]),
          detail: z.string(),
        })
        .strict(),
    ),
    unflushed: z.number().int().describe('movements whose ledger lines were still in flight (counted)'),
    repaired: z.number().int().describe('records where interrupted follow-up writes were completed'),
    at: z.string(),
  })
  .strict();

const CHECKS_DESCRIPTION =
  'For every SKU and node: reserved = the live reservations, heldTotal = the holds, available = onHand - ' +
  'reserved - safetyStock - held, 0 <= reserved and reserved + held <= onHand, onHand/reserved/each hold = ' +
  'the sums of the stock ledger, the reservation documents match the live reservations, and every receipt ' +
  'of inbound supply is counted. A record that changes while it is read is looked at again before drift is reported.';

/** `GET /v1/inventory/reconciliation`: counters against reservations, holds, ledger and receipts. */
export const reconciliationRoute = defineRoute({
  method: 'get',
  path: '/v1/inventory/reconciliation',
  operationId: 'reconcileInventory',
  tag: 'Inventory',
  summary: 'Check stock for drift',
  description: `${CHECKS_DESCRIPTION} Read-only.`,
  roles: ['admin'],
  query: ReconciliationQuery,
  responses: {
    200: { description: 'The report; `drift` is empty when all agree', schema: ReconciliationView },
  },
  async handle({ query, deps }) {
    const report = await reconcileInventory(deps.collections, query.sku ? { skus: query.sku } : {});
    return { status: 200, body: report };
  },
});

/** `POST /v1/inventory/reconciliation/repair`: complete interrupted follow-up writes, then check. */
export const repairReconciliationRoute = defineRoute({
  method: 'post',
  path: '/v1/inventory/reconciliation/repair',
  operationId: 'repairInventory',
  tag: 'Inventory',
  summary: 'Complete interrupted stock writes, then check for drift',
  description:
    'Writes what a crash left undone (ledger lines still in a record’s outbox, reservation documents, ' +
    `receipts not yet counted), every write idempotent, then reports as the GET does. ${CHECKS_DESCRIPTION}`,
  roles: ['admin'],
  query: ReconciliationQuery,
  idempotencyKey: true,
  responses: { 200: { description: 'The report after the repair', schema: ReconciliationView } },
  async handle({ query, deps }) {
    const report = await reconcileInventory(deps.collections, {
      repair: true,
      ...(query.sku ? { skus: query.sku } : {}),
    });
    return { status: 200, body: report };
  },
});
