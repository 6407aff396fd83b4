import { ApplicationFailure, condition, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { NotificationEvent } from '../../activities/notification.activities';
import { FAILURE_TYPES } from '../../src/domain/failure-types';
import type { Delivery } from '../../src/domain/order-request';
import type { OrderView } from '../../src/domain/order-view';
import {
  capturedMinor,
  recordAuthorization,
  recordCapture,
  recordRefund,
  refundedMinor,
  type PaymentAccount,
} from '../../src/domain/payment-account';
import { refuseAppeasement, type RefundRoom } from '../../src/domain/returns/appeasement';
import { markReturnedLines, returnedOrderStatus } from '../../src/domain/returns/order-returns-status';
import {
  committedToReturnsMinor,
  priceReplacements,
  refundSources,
  splitOverSources,
} from '../../src/domain/returns/return-money';
import { createReturnView } from '../../src/domain/returns/rma-state';
import type { ReturnTerms } from '../../src/domain/returns/return-policy';
import { RETURN_REJECTIONS, type ReturnRefusal } from '../../src/domain/returns/return-rejections';
import {
  deliveredAtFromTimeline,
  deliveredUnits,
  refuseReturn,
  returnsOf,
  returnWindowEndsAt,
  type DeliveredAt,
} from '../../src/domain/returns/returnable-units';
import {
  isOpenReturn,
  type AppeasementView,
  type ReturnPaymentView,
  type ReturnView,
} from '../../src/domain/returns/return-view';
import { activities, local } from '../order-activity-proxies';
import type { SimulationMode } from '../order.messages';
import {
  appeasementIdFor,
  grantAppeasementUpdate,
  requestReturnUpdate,
  returnChangedSignal,
  returnWorkflowId,
  rmaIdFor,
  RETURN_WORKFLOW_TYPE,
  type GrantAppeasementRequest,
  type RequestReturnRequest,
  type ReturnWorkflowInput,
} from '../return.messages';
import { isFailureOfType, snapshotOf } from './rma-run';

/**
 * Returns and appeasements as a plug-in of the order workflow: one call registers the `requestReturn` and
 * `grantAppeasement` Updates and the `returnChanged` signal of the RMA children.
 *
 *   const returns = registerReturnHandlers(ctx);   // once, before the order's first await
 *   await returns.indexCustomer();                 // once per order: customer 360 and search find it
 *   …                                              // after `completed`, before the workflow returns:
 *   await returns.waitUntilSettled();              // return windows passed and no RMA open
 *
 * For the v2 order, `orderReturnsContext(run)` (order-run-returns.ts) builds the context from its OrderRun.
 *
 * What the order gives it (OrderReturnsContext), all read when needed, never copied:
 * - `view()`: the live order view. Read: lines, fulfilments, customer, channel, delivery, currency, timeline.
 *   Written: `returns` (the RMA views), `appeasements`, line statuses (`returned`), `status`
 *   (`partially_returned`/`returned`, see returnedOrderStatus) and timeline entries through `record`.
 * - `account()`: the order's payment account. Refunds draw on its captured pots; every refund and charge of
 *   an RMA or an appeasement is recorded on it, so `payment.refundedMinor` follows.
 * - `paymentToken()`: charges (a price difference, an instant refund reversed) use the order's token.
 * - `record(type, detail, actor)`, `publish()`, `notify(event, data, subject)`: the order's own helpers.
 * - `lock` (optional): the order's mutex; each handler runs its steps inside it, never across a wait.
 * - `simulation`, `simStepMs`: passed to the exchange's replacement fulfilment.
 * - `deliveredAt` (optional): when a fulfilment reached the customer; the timeline entry
 *   `fulfillment_delivered|fulfillment_picked_up <fulfillmentId> …` by default.
 */
export interface OrderReturnsContext {
  view(): OrderView;
  account(): PaymentAccount;
  paymentToken(): string;
  record(type: string, detail?: string, actor?: string): void;
  publish(): Promise<void>;
  notify(event: NotificationEvent, data: Record<string, string | number>, subject?: string): Promise<void>;
  lock?: { run<T>(step: () => Promise<T>): Promise<T> };
  simulation: SimulationMode;
  simStepMs?: number;
  deliveredAt?: DeliveredAt;
  /**
   * Whether a receipt may set the order status (`partially_returned`/`returned`) now; always by default. The
   * v2 order answers false while parts still travel (their status wins then; closing shows the returns).
   */
  statusFollowsReturns?: () => boolean;
}

/** What the order asks of its returns. */
export interface OrderReturns {
  /** True while an RMA waits for its units or is being settled (the order must stay open). */
  hasOpenReturns(): boolean;
  /**
   * Waits (durable timers) until every delivered unit's return window has passed and no RMA is open: true.
   * False as soon as `interrupt()` holds (e.g. the history is long: the order continues as new, then waits again).
   */
  waitUntilSettled(interrupt?: () => boolean): Promise<boolean>;
  /** Lists the order under its customer and email for customer service (idempotent; call once per order). */
  indexCustomer(): Promise<void>;
}

/** How long `requestReturn` waits for the new RMA's first report (its label) before answering without it. */
const FIRST_REPORT_WAIT = '10 seconds';

function throwIfRefused(refusal: ReturnRefusal | undefined): void {
  if (refusal)
    throw ApplicationFailure.create({ type: refusal.type, message: refusal.message, nonRetryable: true });
}

const refused = (type: ReturnRefusal['type'], message: string): never => {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
};

/** Registers the returns Updates and signal on the order workflow; see OrderReturnsContext. */
export function registerReturnHandlers(ctx: OrderReturnsContext): OrderReturns {
  const view = (): OrderView => ctx.view();
  const deliveredAt: DeliveredAt = (fulfillmentId) =>
    (ctx.deliveredAt ?? deliveredAtFromTimeline(view()))(fulfillmentId);
  const locked = <T>(step: () => Promise<T>): Promise<T> => (ctx.lock ? ctx.lock.run(step) : step());
  let creating = 0;
  /** RMAs that have reported since this run started (a new RMA's first report carries its label). */
  const reported = new Set<string>();
  const money = (amountMinor: number) => `${amountMinor} ${view().currency}`;
  const situation = (terms?: ReturnTerms) => ({
    view: view(),
    deliveredAt,
    nowMs: Date.now(),
    ...(terms ? { terms } : {}),
  });
  const readTerms = (skus: string[]) => local.readReturnTerms({ customerId: view().customer.id, skus });

  const hasOpenReturns = (): boolean =>
    creating > 0 || returnsOf(view()).some((rma) => isOpenReturn(rma.status));

  /** Exchange lines must name returned lines, another SKU of the same family, that the catalogue sells. */
  function refuseExchange(request: RequestReturnRequest, terms: ReturnTerms): ReturnRefusal | undefined {
    for (const asked of request.exchange?.lines ?? []) {
      const returned = request.lines.find((l) => l.lineId === asked.lineId);
      const line = view().lines.find((l) => l.lineId === asked.lineId);
      if (!returned || !line)
        return {
          type: RETURN_REJECTIONS.invalidRequest,
          message: `The exchange names line ${asked.lineId}, which is not returned.`,
        };
      const wanted = terms.products[asked.sku];
      const family = terms.products[line.sku]?.family;
      if (!wanted || asked.sku === line.sku || (family !== undefined && wanted.family !== family)) {
        return {
          type: RETURN_REJECTIONS.exchangeNotAllowed,
          message: `${asked.sku} cannot replace ${line.sku}: a replacement is another catalogued SKU of the same product family.`,
        };
      }
    }
    return undefined;
  }

  async function openReturn(request: RequestReturnRequest): Promise<string> {
    const order = view();
    const returnedSkus = request.lines.map(
      (l) => order.lines.find((line) => line.lineId === l.lineId)?.sku ?? '',
    );
    const terms = await readTerms([...returnedSkus, ...(request.exchange?.lines.map((l) => l.sku) ?? [])]);
    throwIfRefused(refuseReturn(request.lines, situation(terms)) ?? refuseExchange(request, terms));
    const rmaId = rmaIdFor(order.orderId, returnsOf(order).length + 1);
    const lines = request.lines.map((asked) => {
      const line = order.lines.find((l) => l.lineId === asked.lineId)!;
      return {
        lineId: asked.lineId,
        sku: line.sku,
        quantity: asked.quantity,
        reason: asked.reason,
        unitPriceMinor: line.unitPriceMinor,
      };
    });
    const exchange = request.exchange
      ? priceReplacements(
          request.exchange.lines.map((x) => ({
            ...x,
            quantity: lines.find((l) => l.lineId === x.lineId)!.quantity,
          })),
          terms.products,
        )
      : undefined;
    const fromFulfillments = deliveredUnits(order, deliveredAt)
      .filter((d) => lines.some((l) => l.lineId === d.lineId))
      .map((d) => d.fulfillmentId);
    const delivery = order.delivery as Delivery;
    const input: ReturnWorkflowInput = {
      rmaId,
      orderId: order.orderId,
      parentWorkflowId: workflowInfo().workflowId,
      customer: { ...order.customer },
      currency: order.currency,
      channel: order.channel,
      method: request.method,
      lines,
      actor: request.actor,
      requestedAt: new Date().toISOString(),
      ...(delivery.address ? { from: delivery.address } : {}),
      delivery,
      paymentToken: ctx.paymentToken(),
      refundSources: refundSources(ctx.account(), fromFulfillments),
      terms,
      ...(exchange ? { exchange } : {}),
      simulation: ctx.simulation,
      ...(ctx.simStepMs !== undefined ? { simStepMs: ctx.simStepMs } : {}),
    };
    order.returns.push(
      createReturnView({ ...input, customerId: order.customer.id, expiryDays: terms.policy.expiryDays }),
    );
    const units = lines.map((l) => `${l.quantity} × ${l.lineId} (${l.reason})`).join(', ');
    ctx.record(
      'return_requested',
      `${rmaId}: ${units} by ${request.method}${exchange ? ', exchange' : ''}`,
      request.actor,
    );
    try {
      await startChild(RETURN_WORKFLOW_TYPE, {
        workflowId: returnWorkflowId(rmaId),
        args: [input],
        // The RMA outlives a continue-as-new of the order; it signals the order by workflow id.
        parentClosePolicy: 'ABANDON',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    await ctx.publish();
    return rmaId;
  }

  const findReturn = (rmaId: string): ReturnView | undefined =>
    returnsOf(view()).find((r) => r.rmaId === rmaId);

  /** Records an RMA's new money movement on the order's account (each key once). */
  function recordMovement(payment: ReturnPaymentView): void {
    const account = ctx.account();
    const movement = {
      idempotencyKey: payment.idempotencyKey,
      authorizationId: payment.authorizationId,
      amountMinor: payment.amountMinor,
      ...(payment.fulfillmentId !== undefined ? { fulfillmentId: payment.fulfillmentId } : {}),
      reason: payment.reason,
      at: payment.at,
    };
    if (payment.kind === 'refund') {
      recordRefund(account, movement);
    } else {
      // A charge is an authorisation captured at once: authorised, and nothing of it left open.
      recordAuthorization(account, {
        authorizationId: payment.authorizationId,
        idempotencyKey: payment.idempotencyKey,
        amountMinor: payment.amountMinor,
        status: 'authorized',
      });
      recordCapture(account, movement);
    }
    ctx.record(
      payment.kind === 'refund' ? 'return_refunded' : 'return_charged',
      `${money(payment.amountMinor)}: ${payment.reason}`,
      'payment',
    );
  }

  /** Merges an RMA's report: its view, its money, the lines and order status it changes. */
  function applyReturnReport(report: ReturnView): boolean {
    const returns = returnsOf(view());
    const index = returns.findIndex((r) => r.rmaId === report.rmaId);
    const before = returns[index];
    if (!before || report.version <= before.version) return false;
    returns[index] = report;
    const known = new Set(before.payments.map((p) => p.idempotencyKey));
    for (const payment of report.payments.filter((p) => !known.has(p.idempotencyKey)))
      recordMovement(payment);
    if (report.status !== before.status) {
      const actor = report.status === 'received' ? report.receipt?.actor : undefined;
      ctx.record(`return_${report.status}`, report.rmaId, actor);
    }
    markReturnedLines(view());
    const status = returnedOrderStatus(view());
    if (status && status !== view().status && (ctx.statusFollowsReturns?.() ?? true)) {
      view().status = status;
      ctx.record(status, report.rmaId);
    }
    return true;
  }

  setHandler(returnChangedSignal, async (report: ReturnView) => {
    reported.add(report.rmaId);
    await locked(async () => {
      if (applyReturnReport(report)) await ctx.publish();
    });
  });

  setHandler(
    requestReturnUpdate,
    async (request: RequestReturnRequest): Promise<ReturnView> => {
      creating += 1;
      let rmaId: string;
      try {
        rmaId = await locked(() => openReturn(request));
      } finally {
        creating -= 1;
      }
      // The RMA's first report carries its label (or instant refund); answer with it when it comes in time.
      await condition(() => reported.has(rmaId), FIRST_REPORT_WAIT);
      return snapshotOf(findReturn(rmaId)!);
    },
    {
      validator: (request: RequestReturnRequest) => throwIfRefused(refuseReturn(request.lines, situation())),
    },
  );

  const roomFor = (terms?: ReturnTerms): RefundRoom => ({
    capturedMinor: capturedMinor(ctx.account()),
    refundedMinor: refundedMinor(ctx.account()),
    committedMinor: terms ? committedToReturnsMinor(returnsOf(view()), terms.policy) : 0,
  });

  async function grantAppeasement(request: GrantAppeasementRequest): Promise<AppeasementView> {
    const order = view();
    const terms = await readTerms([]);
    throwIfRefused(refuseAppeasement(request, order, roomFor(terms), terms.policy.appeasementCaps));
    const appeasementId = appeasementIdFor(order.orderId, (order.appeasements?.length ?? 0) + 1);
    const reason = `appeasement ${appeasementId}: ${request.reasonCode}`;
    const fromFulfillments = deliveredUnits(order, deliveredAt)
      .filter((d) => request.lineId === undefined || d.lineId === request.lineId)
      .map((d) => d.fulfillmentId);
    let refunded = 0;
    for (const [share, source] of splitOverSources(
      refundSources(ctx.account(), fromFulfillments),
      request.amountMinor,
    ).entries()) {
      const idempotencyKey = `refund:${appeasementId}:${share}`;
      try {
        const outcome = await activities.refundPayment({
          idempotencyKey,
          authorizationId: source.authorizationId,
          amountMinor: source.amountMinor,
        });
        recordRefund(ctx.account(), {
          idempotencyKey,
          authorizationId: source.authorizationId,
          amountMinor: outcome.amountMinor,
          ...(source.fulfillmentId !== undefined ? { fulfillmentId: source.fulfillmentId } : {}),
          reason,
          at: new Date().toISOString(),
        });
        refunded += outcome.amountMinor;
      } catch (error) {
        if (!isFailureOfType(error, FAILURE_TYPES.refundRejected)) throw error;
        ctx.record('payment_refund_rejected', error.cause?.message, 'payment');
      }
    }
    if (refunded === 0)
      refused(
        RETURN_REJECTIONS.aboveRefundable,
        `The provider refused to refund ${money(request.amountMinor)}.`,
      );
    const appeasement: AppeasementView = {
      appeasementId,
      ...(request.lineId !== undefined ? { lineId: request.lineId } : {}),
      amountMinor: request.amountMinor,
      reasonCode: request.reasonCode,
      actor: request.actor,
      role: request.role,
      at: new Date().toISOString(),
      refundedMinor: refunded,
    };
    (order.appeasements ??= []).push(appeasement);
    const on = request.lineId === undefined ? 'on the order' : `on line ${request.lineId}`;
    ctx.record(
      'appeasement_granted',
      `${appeasementId}: ${money(refunded)} ${on} (${request.reasonCode})`,
      request.actor,
    );
    await ctx.notify('refunded', { amountMinor: refunded, currency: order.currency }, appeasementId);
    await ctx.publish();
    return appeasement;
  }

  setHandler(
    grantAppeasementUpdate,
    (request: GrantAppeasementRequest): Promise<AppeasementView> => locked(() => grantAppeasement(request)),
    {
      validator: (request: GrantAppeasementRequest) =>
        throwIfRefused(refuseAppeasement(request, view(), roomFor(), undefined)),
    },
  );

  async function waitUntilSettled(interrupt: () => boolean = () => false): Promise<boolean> {
    // Nothing reached the customer (cancelled, declined): nothing can come back.
    if (!hasOpenReturns() && deliveredUnits(view(), deliveredAt).length === 0) return true;
    const terms = await readTerms(view().lines.map((l) => l.sku));
    for (;;) {
      if (interrupt()) return false;
      if (hasOpenReturns()) {
        await condition(() => !hasOpenReturns() || interrupt());
        continue;
      }
      const end = returnWindowEndsAt(view(), deliveredAt, terms);
      const remainingMs = end ? Date.parse(end) - Date.now() : 0;
      if (remainingMs <= 0) return true;
      const count = returnsOf(view()).length;
      await condition(() => creating > 0 || returnsOf(view()).length !== count || interrupt(), remainingMs);
    }
  }

  const indexCustomer = async (): Promise<void> => {
    const { customer, orderId } = view();
    await local.indexCustomerOrder({ customerId: customer.id, email: customer.email, orderId });
  };

  return { hasOpenReturns, waitUntilSettled, indexCustomer };
}
