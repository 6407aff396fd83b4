import { setHandler } from '@temporalio/workflow';
import {
  cancelOrderUpdate,
  fulfillmentChangedSignal,
  getOrderQuery,
  modifyOrderUpdate,
  paymentEventSignal,
  placeHoldUpdate,
  releaseHoldUpdate,
  resolveExceptionUpdate,
  type CancelOrderRequest,
  type HoldRequest,
  type ModifyOrderRequest,
  type PaymentEvent,
  type ResolveExceptionRequest,
} from '../order.messages';
import { stockArrivedSignal } from '../stock.messages';
import type { OrderView } from '../../src/domain/order-view';
import { cancelUnits, unitsStillHere } from './cancel-order';
import { placeHold, releaseHold } from './holds';
import { modifyOrder } from './modify-order';
import { snapshotOf, type OrderRun } from './order-run';
import { resolveException } from './resolve-exception';
import { checkCancel, checkModify, checkPlaceHold, checkReleaseHold, checkResolve } from './validators';

type ReleaseRequest = { actor: string; reason?: string };

/** Payment events (and the operations they name) remembered: the provider may deliver a webhook more than once. */
const SEEN_PAYMENT_EVENTS = 100;

/**
 * Runs an agent's change under the lock, on a settled state: checked again there (the state may have moved
 * while it waited), applied, published (also when it stopped halfway), and answered with the view.
 */
function agentUpdate<R>(run: OrderRun, check: (request: R) => void, apply: (request: R) => Promise<void>) {
  return (request: R): Promise<OrderView> =>
    run.lock.run(async () => {
      check(request);
      try {
        await apply(request);
      } finally {
        await run.publish();
      }
      return snapshotOf(run.view);
    });
}

/** Adds a value to a bounded list of what was seen, dropping the oldest. */
function remember(list: string[], value: string): void {
  list.push(value);
  if (list.length > SEEN_PAYMENT_EVENTS) list.shift();
}

/** A provider event: recorded once; the answer to a pending authorisation makes the order look again. */
function onPaymentEvent(run: OrderRun, event: PaymentEvent): void {
  const seen = run.state.seenPaymentEvents;
  if (seen.includes(event.eventId)) return;
  remember(seen, event.eventId);
  // The webhook may beat the answer of an authorisation still being retried: kept for when it comes back.
  if (event.reference !== undefined) remember((run.state.paymentEventReferences ??= []), event.reference);
  run.record('payment_event', `${event.type}${event.reference ? ` for ${event.reference}` : ''}`, 'payment');
  const answers = (key: string) => event.reference === undefined || event.reference === key;
  if (run.state.account.authorizations.some((a) => a.status === 'pending' && answers(a.idempotencyKey))) {
    run.paymentNudged = true;
  }
}

/** The v2 order's query, agent Updates (validated, serialised by the lock) and signals. */
export function registerHandlers(run: OrderRun): void {
  setHandler(getOrderQuery, () => run.view);

  setHandler(
    cancelOrderUpdate,
    agentUpdate(
      run,
      (r: CancelOrderRequest) => checkCancel(run, r),
      (r: CancelOrderRequest) => cancelUnits(run, unitsStillHere(run, r.lineIds), r.reason, r.actor),
    ),
    { validator: (r: CancelOrderRequest) => checkCancel(run, r) },
  );
  setHandler(
    modifyOrderUpdate,
    agentUpdate(
      run,
      (r: ModifyOrderRequest) => checkModify(run, r),
      (r: ModifyOrderRequest) => modifyOrder(run, r),
    ),
    { validator: (r: ModifyOrderRequest) => checkModify(run, r) },
  );
  setHandler(
    placeHoldUpdate,
    agentUpdate(
      run,
      (r: HoldRequest) => checkPlaceHold(run, r),
      (r: HoldRequest) => placeHold(run, 'manual', r.reason, r.actor),
    ),
    { validator: (r: HoldRequest) => checkPlaceHold(run, r) },
  );
  setHandler(
    releaseHoldUpdate,
    agentUpdate(
      run,
      (_r: ReleaseRequest) => checkReleaseHold(run),
      (r: ReleaseRequest) => releaseHold(run, r.actor, r.reason),
    ),
    { validator: (_r: ReleaseRequest) => checkReleaseHold(run) },
  );
  setHandler(
    resolveExceptionUpdate,
    agentUpdate(
      run,
      (r: ResolveExceptionRequest) => checkResolve(run, r),
      (r: ResolveExceptionRequest) => resolveException(run, r),
    ),
    { validator: (r: ResolveExceptionRequest) => checkResolve(run, r) },
  );

  setHandler(fulfillmentChangedSignal, (view) => {
    run.childReports.push(view);
  });
  setHandler(paymentEventSignal, (event) => onPaymentEvent(run, event));
  setHandler(stockArrivedSignal, ({ sku }) => {
    if ((run.view.backorders ?? []).some((b) => b.sku === sku)) run.stockArrived = true;
  });
}
