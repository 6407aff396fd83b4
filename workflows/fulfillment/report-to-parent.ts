import { getExternalWorkflowHandle, log } from '@temporalio/workflow';
import type { FulfillmentView } from '../../src/domain/order-view';
import type { ReportedFulfillmentView } from '../fulfillment.messages';
import { fulfillmentChangedSignal } from '../order.messages';

/** Sends views to the parent in the order they were taken, one signal at a time. */
export interface ParentReporter {
  /** Queues a snapshot of the view now (later changes to the view do not alter what is sent), with who changed it. */
  report(view: FulfillmentView, actor?: string): void;
  /** Resolves once every queued view has been sent. */
  flushed(): Promise<void>;
}

/**
 * Signals `fulfillmentChangedSignal` to the parent after each change. Signals are chained so the parent
 * receives the views in order; a parent that has already closed cannot be told and is skipped.
 */
export function createParentReporter(parentWorkflowId: string): ParentReporter {
  const parent = getExternalWorkflowHandle(parentWorkflowId);
  let chain: Promise<void> = Promise.resolve();
  return {
    report(view, actor) {
      const snapshot = JSON.parse(JSON.stringify(view)) as ReportedFulfillmentView;
      if (actor !== undefined) snapshot.actor = actor;
      chain = chain.then(async () => {
        try {
          await parent.signal(fulfillmentChangedSignal, snapshot);
        } catch (error) {
          log.warn('the parent order could not be told of a fulfilment change', {
            parentWorkflowId,
            status: snapshot.status,
            error: error instanceof Error ? error.message : String(error),
          });
        }
      });
    },
    flushed: () => chain,
  };
}
