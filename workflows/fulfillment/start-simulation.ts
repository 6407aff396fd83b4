import { startChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { FulfillmentWorkflowInput } from '../fulfillment.messages';
import { simulateFulfillmentWorkflow, simulationWorkflowId } from '../simulate-fulfillment.workflow';

const DEFAULT_SIM_STEP_MS = 3000;

/**
 * Auto simulation: `sim:<fulfillmentId>` plays node staff, customer and carrier over HTTP; it outlives this
 * run. `transfer`: a pickup part from another node, whose leg to the store is shipped and tracked first.
 */
export async function startFulfillmentSimulation(
  input: FulfillmentWorkflowInput,
  transfer = false,
): Promise<void> {
  try {
    await startChild(simulateFulfillmentWorkflow, {
      workflowId: simulationWorkflowId(input.fulfillmentId),
      args: [
        {
          orderId: input.orderId,
          fulfillmentId: input.fulfillmentId,
          stepMs: input.simStepMs ?? DEFAULT_SIM_STEP_MS,
          method: input.method,
          ...(transfer ? { transfer } : {}),
        },
      ],
      parentClosePolicy: 'ABANDON',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
