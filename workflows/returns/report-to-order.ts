import { getExternalWorkflowHandle, log } from '@temporalio/workflow';
import type { ReturnView } from '../../src/domain/returns/return-view';
import { returnChangedSignal } from '../return.messages';

/** Sends views to the order in the order they were taken, one signal at a time. */
export interface OrderReporter {
  /** Queues a snapshot of the view now (later changes do not alter what is sent). */
  report(view: ReturnView): void;
  /** Resolves once every queued view has been sent. */
  flushed(): Promise<void>;
}

/**
 * Signals `returnChangedSignal` to the order after each change, chained so the order receives the views in
 * order; an order that has already closed cannot be told and is skipped (the read model still has the RMA).
 */
export function createOrderReporter(orderWorkflowId: string): OrderReporter {
  const order = getExternalWorkflowHandle(orderWorkflowId);
  let chain: Promise<void> = Promise.resolve();
  return {
    report(view) {
      const snapshot = JSON.parse(JSON.stringify(view)) as ReturnView;
      chain = chain.then(async () => {
        try {
          await order.signal(returnChangedSignal, snapshot);
        } catch (error) {
          log.warn('the order could not be told of a return change', {
            orderWorkflowId,
            rmaId: snapshot.rmaId,
            status: snapshot.status,
            error: error instanceof Error ? error.message : String(error),
          });
        }
      });
    },
    flushed: () => chain,
  };
}
