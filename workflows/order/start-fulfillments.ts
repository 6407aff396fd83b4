import { getExternalWorkflowHandle, patched, startChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { local } from '../order-activity-proxies';
import {
  FULFILLMENT_WORKFLOW_TYPE,
  fulfillmentWorkflowId,
  holdSignal,
  type FulfillmentWorkflowInput,
} from '../fulfillment.messages';
import type { OrderRun } from './order-run';
import type { PartRecord } from './run-state';

const FINAL = ['delivered', 'picked_up', 'not_collected', 'cancelled', 'rejected'];

/**
 * The pickup store a pickup part travels to when its units come from another node (a transfer), else
 * undefined. Runs before this patch let the source node make the part ready itself.
 */
function transferTargetOf(run: OrderRun, part: PartRecord): string | undefined {
  if (part.method !== 'pickup') return undefined;
  const store = run.view.sourcing?.pickupNodeId ?? run.order.delivery.pickupNodeId;
  if (!store || store === part.nodeId || !patched('order-v2-pickup-transfer')) return undefined;
  return store;
}

/** The child's input: its units with their reservation keys, where it goes, whether the order is held. */
function childInput(
  run: OrderRun,
  part: PartRecord,
  transferTo: string | undefined,
): FulfillmentWorkflowInput {
  const address = run.order.delivery.address;
  return {
    orderId: run.orderId,
    parentWorkflowId: run.workflowId,
    fulfillmentId: part.fulfillmentId,
    nodeId: part.nodeId,
    method: part.method,
    lines: part.lines.map((l) => ({ ...l })),
    ...(part.method === 'ship' && address ? { address } : {}),
    ...(transferTo ? { transferTo } : {}),
    onHold: run.view.hold !== undefined,
    pickupWindowDays: run.times.pickupWindowDays,
    simulation: run.input.simulation,
    ...(run.input.simStepMs !== undefined ? { simStepMs: run.input.simStepMs } : {}),
  };
}

/**
 * Starts one child workflow per reserved fulfilment (`fulfillment:<id>`), recorded first so the gateway
 * can find it; children outlive a continue-as-new of the order (they signal it by workflow id).
 */
export async function startFulfillments(run: OrderRun): Promise<PartRecord[]> {
  const started: PartRecord[] = [];
  for (const part of run.state.parts.filter((p) => !p.started && !p.settled)) {
    const workflowId = fulfillmentWorkflowId(part.fulfillmentId);
    const transferTo = transferTargetOf(run, part);
    await local.recordFulfillment({
      fulfillmentId: part.fulfillmentId,
      orderId: run.orderId,
      nodeId: part.nodeId,
      lines: part.lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity })),
      workflowId,
      method: part.method,
    });
    try {
      await startChild(FULFILLMENT_WORKFLOW_TYPE, {
        workflowId,
        args: [childInput(run, part, transferTo)],
        parentClosePolicy: 'ABANDON',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    part.started = true;
    run.view.fulfillments.push({
      fulfillmentId: part.fulfillmentId,
      nodeId: part.nodeId,
      method: part.method,
      lines: part.lines.map(({ lineId, quantity }) => ({ lineId, quantity })),
      status: 'created',
      ...(transferTo ? { transfer: { toNodeId: transferTo, status: 'pending' as const } } : {}),
    });
    run.record('fulfillment_created', `${part.fulfillmentId} at ${part.nodeId} (${part.method})`);
    started.push(part);
  }
  return started;
}

/** Tells every running child that the order is held or released: nothing ships or is handed over while held. */
export async function signalHold(run: OrderRun, onHold: boolean): Promise<void> {
  for (const part of run.state.parts.filter((p) => p.started)) {
    if (FINAL.includes(run.fulfillment(part.fulfillmentId)?.status ?? 'created')) continue;
    try {
      await getExternalWorkflowHandle(fulfillmentWorkflowId(part.fulfillmentId)).signal(holdSignal, {
        onHold,
      });
    } catch {
      // The child has just ended: nothing left to hold.
    }
  }
}
