import { startChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { FulfillmentView } from '../../src/domain/order-view';
import type { ExchangeView } from '../../src/domain/returns/return-view';
import {
  FULFILLMENT_WORKFLOW_TYPE,
  fulfillmentWorkflowId,
  type FulfillmentLine,
  type FulfillmentWorkflowInput,
} from '../fulfillment.messages';
import { local } from '../order-activity-proxies';
import { returnWorkflowId } from '../return.messages';
import { chargeCustomer } from './return-money-steps';
import type { RmaRun } from './rma-run';

/** The replacement's parcel: one fulfilment of the RMA (`<rmaId>-X1`), a child of the RMA workflow. */
export const replacementFulfillmentId = (rmaId: string): string => `${rmaId}-X1`;

/** The replacement's reservation at its node, keyed by the RMA (never collides with the order's keys). */
function replacementLines(run: RmaRun, exchange: ExchangeView, nodeId: string): FulfillmentLine[] {
  return exchange.lines.map((line) => ({
    lineId: line.lineId,
    sku: line.sku,
    quantity: line.quantity,
    reservationKey: `${run.rmaId}:${line.lineId}:${nodeId}`,
  }));
}

const reservationOf = (run: RmaRun, exchange: ExchangeView, nodeId: string) => ({
  orderId: run.input.orderId,
  nodeId,
  lines: replacementLines(run, exchange, nodeId).map(({ reservationKey, sku, quantity }) => ({
    key: reservationKey,
    sku,
    quantity,
  })),
  source: `return:${run.rmaId}`,
});

/**
 * Sources and reserves the replacement when the exchange is created (one node that has it all, like a
 * parcel of the order), then charges a positive price difference. Without stock the exchange is
 * `unavailable`, without payment `payment_declined`: the RMA goes on as a plain return.
 */
export async function reserveReplacement(run: RmaRun): Promise<void> {
  const exchange = run.view.exchange;
  if (!exchange) return;
  const plan = await local.planSourcing({
    lines: exchange.lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity })),
    delivery: run.input.delivery,
    channel: run.input.channel,
    now: run.nowIso(),
  });
  const [allocation] = plan.allocations;
  const covered =
    plan.allocations.length === 1 &&
    allocation !== undefined &&
    exchange.lines.every(
      (line) => allocation.lines.find((l) => l.lineId === line.lineId)?.quantity === line.quantity,
    );
  const reserved =
    covered &&
    (await local.reserveOrderAtNode(reservationOf(run, exchange, allocation.nodeId))) === 'reserved';
  if (!reserved || !allocation) {
    exchange.status = 'unavailable';
    exchange.reason = 'the replacement is not in stock at one node';
    run.record('exchange_unavailable', exchange.reason);
    return;
  }
  exchange.nodeId = allocation.nodeId;
  exchange.status = 'reserved';
  run.record('exchange_reserved', `${describe(exchange)} at ${allocation.nodeId}`);
  if (exchange.differenceMinor > 0) {
    const charged = await chargeCustomer(
      run,
      exchange.differenceMinor,
      'difference',
      'exchange price difference',
    );
    if (charged < exchange.differenceMinor)
      await releaseReplacement(run, 'payment_declined', 'the price difference was not paid');
  }
}

const describe = (exchange: ExchangeView): string =>
  exchange.lines.map((line) => `${line.quantity} × ${line.sku}`).join(', ');

/** Gives the replacement's stock back (the exchange fell through before it shipped). */
export async function releaseReplacement(
  run: RmaRun,
  status: Extract<ExchangeView['status'], 'cancelled' | 'payment_declined'>,
  reason: string,
): Promise<void> {
  const exchange = run.view.exchange;
  if (!exchange?.nodeId || exchange.status !== 'reserved') return;
  await local.releaseReservedLines(reservationOf(run, exchange, exchange.nodeId));
  exchange.status = status;
  exchange.reason = reason;
  run.record(`exchange_${status}`, reason);
}

/** Hands the reserved replacement to a fulfilment child of the RMA (recorded first, so the routes find it). */
export async function shipReplacement(run: RmaRun): Promise<void> {
  const exchange = run.view.exchange;
  if (!exchange?.nodeId || exchange.status !== 'reserved') return;
  const fulfillmentId = replacementFulfillmentId(run.rmaId);
  const workflowId = fulfillmentWorkflowId(fulfillmentId);
  const { delivery } = run.input;
  const method = delivery.method;
  const lines = replacementLines(run, exchange, exchange.nodeId);
  await local.recordFulfillment({
    fulfillmentId,
    orderId: run.input.orderId,
    nodeId: exchange.nodeId,
    lines: lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity })),
    workflowId,
    method,
  });
  const input: FulfillmentWorkflowInput = {
    orderId: run.input.orderId,
    parentWorkflowId: returnWorkflowId(run.rmaId),
    fulfillmentId,
    nodeId: exchange.nodeId,
    method,
    lines,
    ...(method === 'ship' && delivery.address ? { address: delivery.address } : {}),
    onHold: false,
    simulation: run.input.simulation,
    ...(run.input.simStepMs !== undefined ? { simStepMs: run.input.simStepMs } : {}),
  };
  try {
    await startChild(FULFILLMENT_WORKFLOW_TYPE, { workflowId, args: [input], parentClosePolicy: 'ABANDON' });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  exchange.status = 'shipping';
  exchange.fulfillmentId = fulfillmentId;
  run.record('exchange_shipping', `${describe(exchange)} from ${exchange.nodeId} as ${fulfillmentId}`);
}

/**
 * True while the replacement is at its node: it may still fall through (rejected, cancelled). Once it has
 * left, the RMA need not wait for it (a lost parcel is an agent's matter on the order).
 */
export const replacementUnderway = (exchange: ExchangeView | undefined): boolean =>
  exchange?.status === 'shipping';

/**
 * Applies the replacement fulfilment's report: shipped (the customer is told), delivered, or fallen through
 * (the node could not find it: written off; not collected: released) — then the exchange replaces nothing.
 * Answers whether the money must be settled again.
 */
export async function applyReplacementReport(run: RmaRun, report: FulfillmentView): Promise<boolean> {
  const exchange = run.view.exchange;
  if (!exchange || report.fulfillmentId !== exchange.fulfillmentId || !exchange.nodeId) return false;
  const reservation = reservationOf(run, exchange, exchange.nodeId);
  switch (report.status) {
    case 'shipped':
    case 'in_transit':
    case 'picked_up':
    case 'delivered': {
      const wasShipped = exchange.status === 'shipped' || exchange.status === 'delivered';
      exchange.status =
        report.status === 'delivered' || report.status === 'picked_up' ? 'delivered' : 'shipped';
      if (report.trackingNumber) exchange.trackingNumber = report.trackingNumber;
      if (!wasShipped) {
        run.record(
          'exchange_shipped',
          `${report.fulfillmentId} ${report.trackingNumber ?? ''}`.trim(),
          'node',
        );
        if (report.trackingNumber)
          await run.notify(
            'shipped',
            { carrier: report.carrier ?? 'carrier', trackingNumber: report.trackingNumber },
            report.fulfillmentId,
          );
      }
      if (exchange.status === 'delivered') run.record('exchange_delivered', report.fulfillmentId, 'carrier');
      return false;
    }
    case 'rejected':
      await local.writeOffMissingStock({ ...reservation, reason: report.reason ?? 'not found on the shelf' });
      break;
    case 'not_collected':
    case 'cancelled':
      await local.releaseReservedLines(reservation);
      break;
    default:
      return false;
  }
  exchange.status = 'cancelled';
  exchange.reason = `${report.fulfillmentId} ${report.status}${report.reason ? `: ${report.reason}` : ''}`;
  run.record('exchange_cancelled', exchange.reason);
  return true;
}
