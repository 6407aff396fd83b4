// A workflow bundle of its own for the fulfilment child's tests: the child, its simulation, and a tiny parent.
import {
  condition,
  defineQuery,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { OrderActivities } from '../../../activities';
import type { FulfillmentChangeOutcome } from '../../../activities/fulfillment.activities';
import type { FulfillmentView } from '../../../src/domain/order-view';
import { fulfillmentWorkflow } from '../../../workflows/fulfillment.workflow';
import {
  fulfillmentWorkflowId,
  type CancelLinesRequest,
  type FulfillmentWorkflowInput,
} from '../../../workflows/fulfillment.messages';
import { fulfillmentChangedSignal } from '../../../workflows/order.messages';

export { fulfillmentWorkflow } from '../../../workflows/fulfillment.workflow';
export { simulateFulfillmentWorkflow } from '../../../workflows/simulate-fulfillment.workflow';

/** The views the test parent has received so far, in order. */
export const receivedViewsQuery = defineQuery<FulfillmentView[]>('receivedViews');

export interface TestParentResult {
  /** Every `fulfillmentChanged` signal the child sent, in order. */
  views: FulfillmentView[];
  /** What the child returned. */
  result: FulfillmentView;
}

/** Stands in for the order: starts the child under its business id and records each view it reports. */
export async function fulfillmentTestParent(
  input: Omit<FulfillmentWorkflowInput, 'parentWorkflowId'>,
): Promise<TestParentResult> {
  const views: FulfillmentView[] = [];
  setHandler(fulfillmentChangedSignal, (view) => {
    views.push(view);
  });
  setHandler(receivedViewsQuery, () => views);
  const child = await startChild(fulfillmentWorkflow, {
    workflowId: fulfillmentWorkflowId(input.fulfillmentId),
    args: [{ ...input, parentWorkflowId: workflowInfo().workflowId }],
  });
  const result = await child.result();
  // The child sends its last view before it returns; wait for it all the same, it is what the order acts on.
  await condition(() => views.at(-1)?.status === result.status);
  return { views, result };
}

const { cancelFulfillmentLines } = proxyActivities<OrderActivities>({ startToCloseTimeout: '30 seconds' });

/** Sends the child a cancellation the way the order does: through the activity, from a workflow. */
export async function cancelThroughActivity(
  fulfillmentId: string,
  request: CancelLinesRequest,
): Promise<FulfillmentChangeOutcome> {
  return cancelFulfillmentLines({ fulfillmentId, request });
}
