import { allHandlersFinished, ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import type { FulfillmentView } from '../src/domain/order-view';
import { unitsValueMinor } from '../src/domain/returns/return-money';
import {
  applyReceipt,
  applyReturnCarrierEvent,
  receivedUnitsByCondition,
  refuseReceipt,
} from '../src/domain/returns/rma-state';
import type { ReturnRefusal } from '../src/domain/returns/return-rejections';
import type { ReturnView } from '../src/domain/returns/return-view';
import { activities, local } from './order-activity-proxies';
import { fulfillmentChangedSignal } from './order.messages';
import {
  getReturnQuery,
  receiveReturnUpdate,
  returnCarrierEventSignal,
  returnWorkflowId,
  type ReceiveReturnRequest,
  type ReturnWorkflowInput,
} from './return.messages';
import {
  applyReplacementReport,
  releaseReplacement,
  replacementUnderway,
  reserveReplacement,
  shipReplacement,
} from './returns/exchange-steps';
import { expectedNetMinor, refundToCustomer, settleReturn } from './returns/return-money-steps';
import { RmaRun, snapshotOf } from './returns/rma-run';

/** Throws the refusal as the non-retryable ApplicationFailure a validator answers with. */
function throwIfRefused(refusal: ReturnRefusal | undefined): void {
  if (refusal)
    throw ApplicationFailure.create({ type: refusal.type, message: refusal.message, nonRetryable: true });
}

const describeUnits = (units: readonly { quantity: number; sku: string }[]): string =>
  units.map((u) => `${u.quantity} × ${u.sku}`).join(', ') || 'nothing';

/**
 * One RMA (`return:<rmaId>`), a child of its order: a label for a mail or locker return, an instant refund for
 * trusted customers, the exchange's replacement reserved; then it waits for the parcel or the store visit
 * until it expires (a durable timer). The receipt puts sellable units back on sale at the receiving node at
 * once and damaged ones apart, records where the units should go, and settles the money exactly once. Every
 * change is published to the `returns` read model and signalled to the order (`returnChanged`).
 */
export async function returnWorkflow(input: ReturnWorkflowInput): Promise<ReturnView> {
  const run = new RmaRun(input);
  const { view } = run;
  /** A receipt was taken (its units are counted on the view). */
  let received = false;
  /** ... and its stock moves are done. */
  let stocked = false;
  const replacementReports: FulfillmentView[] = [];

  setHandler(getReturnQuery, () => view);

  setHandler(
    receiveReturnUpdate,
    async (request: ReceiveReturnRequest): Promise<ReturnView> => {
      throwIfRefused(refuseReceipt(view, request.lines));
      // Taken at once, before any await: a second receipt arriving meanwhile is refused by its validator.
      received = true;
      applyReceipt(view, {
        nodeId: request.nodeId,
        at: run.nowIso(),
        actor: request.actor,
        lines: request.lines,
      });
      const sellable = receivedUnitsByCondition(view, 'sellable');
      const damaged = receivedUnitsByCondition(view, 'damaged');
      run.record(
        'received',
        `at ${request.nodeId}: ${describeUnits(sellable)} sellable, ${describeUnits(damaged)} damaged`,
        request.actor,
      );
      await run.lock.run(async () => {
        const units = { rmaId: run.rmaId, nodeId: request.nodeId };
        if (sellable.length > 0) {
          await local.restockReturnedUnits({ ...units, lines: sellable });
          view.dispositions = await local.suggestReturnDispositions({ ...units, lines: sellable });
        }
        if (damaged.length > 0) await local.recordDamagedUnits({ ...units, lines: damaged });
        await run.publish();
      });
      stocked = true;
      return snapshotOf(view);
    },
    { validator: (request: ReceiveReturnRequest) => throwIfRefused(refuseReceipt(view, request.lines)) },
  );

  setHandler(returnCarrierEventSignal, (event) => {
    const entry = applyReturnCarrierEvent(view, event);
    if (entry) run.record(entry, `${event.trackingNumber} at ${event.at}`, 'carrier');
  });

  setHandler(fulfillmentChangedSignal, (report) => {
    replacementReports.push(report);
  });

  /** Applies what the replacement's fulfilment reported; settles again when the exchange fell through. */
  async function applyReplacementReports(): Promise<void> {
    while (replacementReports.length > 0) {
      const report = replacementReports.shift()!;
      if (await applyReplacementReport(run, report)) await settleReturn(run, 'the replacement fell through');
    }
    await run.publish();
  }

  await run.lock.run(() => open(run));

  // Waiting for the units: the carrier taking the parcel stops the expiry clock; a receipt ends the wait.
  let published = view.version;
  while (!received) {
    const remainingMs = Date.parse(view.expiresAt) - Date.now();
    if (view.status === 'awaiting_return' && remainingMs <= 0) break;
    const woken = () => received || view.version !== published || replacementReports.length > 0;
    if (view.status === 'awaiting_return') await condition(woken, remainingMs);
    else await condition(woken);
    if (received) break;
    await run.lock.run(applyReplacementReports);
    published = view.version;
  }

  await run.lock.run(async () => {
    if (!received) await expire(run);
  });
  if (received) {
    await condition(() => stocked);
    await run.lock.run(async () => {
      await run.notify('return_received', {
        items: describeUnits(
          view.lines.map((l) => ({
            sku: l.sku,
            quantity: (l.received?.sellable ?? 0) + (l.received?.damaged ?? 0),
          })),
        ),
      });
      await shipReplacement(run);
      await settleReturn(run, `return ${run.rmaId} received`);
      await run.publish();
    });
    while (replacementUnderway(view.exchange)) {
      await condition(() => replacementReports.length > 0);
      await run.lock.run(applyReplacementReports);
    }
    view.status = 'completed';
    run.record('completed');
  }
  await run.publish();
  await condition(allHandlersFinished);
  await run.flushed();
  return view;
}

/** What the RMA does when it is created: label, exchange reservation (and shipment for VIP), instant refund. */
async function open(run: RmaRun): Promise<void> {
  const { view, input } = run;
  if (input.method !== 'store') {
    const label = await activities.createReturnLabel({
      rmaId: run.rmaId,
      orderId: input.orderId,
      ...(input.from ? { from: input.from } : {}),
      workflowId: returnWorkflowId(run.rmaId),
    });
    if (label) {
      view.label = label;
      run.record('label_created', `${label.carrier} ${label.trackingNumber} to ${label.nodeId}`);
    } else {
      run.record('label_failed', 'no node takes returns: bring the items to a store');
    }
  }
  if (input.exchange) {
    const returned = view.lines.filter((l) => input.exchange!.some((x) => x.lineId === l.lineId));
    view.exchange = {
      status: 'reserved',
      lines: input.exchange.map((line) => ({ ...line })),
      differenceMinor: unitsValueMinor(input.exchange) - unitsValueMinor(returned),
    };
    await reserveReplacement(run);
    if (input.terms.customer.tier === 'vip') await shipReplacement(run);
  } else if (input.terms.customer.trustedReturns) {
    const amount = expectedNetMinor(run);
    view.refund.instant = true;
    if (amount > 0) await refundToCustomer(run, amount, 'instant', `instant refund of return ${run.rmaId}`);
  }
  await run.publish();
  await run.notify('return_created', {
    method: view.method,
    expiresAt: view.expiresAt,
    ...(view.label ? { labelUrl: view.label.labelUrl, trackingNumber: view.label.trackingNumber } : {}),
  });
}

/** Nothing arrived in time: the replacement is released (unless it left), the money settled, the customer told. */
async function expire(run: RmaRun): Promise<void> {
  const { view } = run;
  view.status = 'expired';
  run.record('expired', `nothing arrived by ${view.expiresAt}`);
  await releaseReplacement(run, 'cancelled', 'the return expired');
  const chargedBefore = view.refund.chargedMinor;
  await settleReturn(run, `return ${run.rmaId} expired`);
  const charged = view.refund.chargedMinor - chargedBefore;
  await run.notify(
    'return_expired',
    charged > 0 ? { chargedMinor: charged, currency: run.input.currency } : {},
  );
}
