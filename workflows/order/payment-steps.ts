import { ActivityFailure, ApplicationFailure, condition, patched } from '@temporalio/workflow';
import type { AuthorizationState } from '../../activities/payment.activities';
import { FAILURE_TYPES } from '../../src/domain/failure-types';
import {
  allocateCapture,
  allocateRefund,
  allocateVoid,
  capturableMinor,
  expireAuthorizations,
  findAuthorization,
  recordAuthorization,
  recordCapture,
  recordRefund,
  recordVoid,
  voidableMinor,
} from '../../src/domain/payment-account';
import { isActivePart } from '../../src/domain/order-progress';
import { activities } from '../order-activity-proxies';
import { authorizationKeyOf, captureShareKey, refundKey, voidKey } from './keys';
import type { OrderRun } from './order-run';
import type { PartRecord } from './run-state';

/** True when the activity failed with this business type. */
export const isFailureOfType = (error: unknown, type: string): error is ActivityFailure =>
  error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === type;

const priceOf = (run: OrderRun, lineId: string): number => run.line(lineId)?.unitPriceMinor ?? 0;

/** What a set of line units is worth. */
export const valueOf = (run: OrderRun, units: readonly { lineId: string; quantity: number }[]): number =>
  units.reduce((total, u) => total + priceOf(run, u.lineId) * u.quantity, 0);

/** What the order may still capture: fulfilments not paid yet that still carry units, and backorders. */
export function dueMinor(run: OrderRun): number {
  const unpaid = run.state.parts.filter((p) => {
    if (p.paid || p.settled) return false;
    const view = run.fulfillment(p.fulfillmentId);
    return !view || isActivePart(view);
  });
  return (
    valueOf(
      run,
      unpaid.flatMap((p) => p.lines),
    ) + valueOf(run, run.view.backorders ?? [])
  );
}

const money = (run: OrderRun, amountMinor: number): string => `${amountMinor} ${run.order.currency}`;

/** The provider's answer to an authorisation: granted, flagged for review, still pending, or declined. */
export type AuthorizationAnswer = AuthorizationState['status'];

/** Applies what the provider says about an authorisation to the account; answers its status. */
function applyAuthorization(
  run: OrderRun,
  key: string,
  amountMinor: number,
  state: AuthorizationState,
): AuthorizationAnswer {
  if (state.status === 'declined') return 'declined';
  const record = recordAuthorization(run.state.account, {
    authorizationId: state.authorizationId,
    idempotencyKey: key,
    amountMinor: state.status === 'pending' ? amountMinor : state.amountMinor,
    status: state.status,
    ...(state.status !== 'pending' ? { expiresAt: state.expiresAt } : {}),
  });
  if (state.status !== 'pending') {
    run.record(
      state.status === 'review' ? 'payment_review' : 'payment_authorized',
      `${money(run, record.amountMinor)} until ${state.expiresAt}`,
      'payment',
    );
  }
  return state.status;
}

/** The patch that looks a pending authorisation up at once when its webhook came before its answer. */
export const EARLY_PAYMENT_EVENT_PATCH = 'order-v2-early-payment-event';

/** True when a provider event already named this operation (by our key or the provider's id). */
const hasEventFor = (run: OrderRun, key: string, authorizationId: string): boolean =>
  (run.state.paymentEventReferences ?? []).some(
    (reference) => reference === key || reference === authorizationId,
  );

/**
 * Asks the provider to authorise `amountMinor` under the order's next authorisation key. A decline is an
 * answer, not an error: the caller decides what it means (payment_failed, or a refused change).
 */
export async function authorize(
  run: OrderRun,
  amountMinor: number,
): Promise<{ answer: AuthorizationAnswer; reason?: string; authorizationId?: string }> {
  const key = authorizationKeyOf(run.orderId, ++run.state.counters.authorization);
  try {
    const outcome = await activities.authorizePayment({
      orderId: run.orderId,
      idempotencyKey: key,
      token: run.order.payment.token,
      amountMinor,
      currency: run.order.currency,
    });
    if (outcome.status === 'pending') {
      run.record('payment_pending', `${money(run, amountMinor)}, the provider decides later`, 'payment');
      run.state.paymentPollAt = new Date(run.nowMs() + run.times.paymentPollMs).toISOString();
      if (hasEventFor(run, key, outcome.authorizationId) && patched(EARLY_PAYMENT_EVENT_PATCH))
        run.paymentNudged = true;
    }
    return {
      answer: applyAuthorization(run, key, amountMinor, outcome),
      authorizationId: outcome.authorizationId,
    };
  } catch (error) {
    if (!isFailureOfType(error, FAILURE_TYPES.paymentDeclined)) throw error;
    // The provider gave no authorisation id: the key stands for it in the account.
    recordAuthorization(run.state.account, {
      authorizationId: key,
      idempotencyKey: key,
      amountMinor,
      status: 'declined',
    });
    run.record('payment_declined', error.cause?.message, 'payment');
    return { answer: 'declined', ...(error.cause?.message ? { reason: error.cause.message } : {}) };
  }
}

/** The pending authorisation (this one when named), if one is waiting for the provider. */
export const pendingAuthorization = (run: OrderRun, authorizationId?: string) =>
  run.state.account.authorizations.find(
    (a) => a.status === 'pending' && (authorizationId === undefined || a.authorizationId === authorizationId),
  );

/** Asks the provider about a pending authorisation (a missed webhook, or one that just arrived). */
export async function checkPendingAuthorization(
  run: OrderRun,
  authorizationId?: string,
): Promise<AuthorizationAnswer> {
  const pending = pendingAuthorization(run, authorizationId);
  if (!pending) return 'authorized';
  run.paymentNudged = false;
  const state = await activities.getAuthorization({ authorizationId: pending.authorizationId });
  const answer = applyAuthorization(run, pending.idempotencyKey, pending.amountMinor, state);
  if (answer === 'declined') {
    pending.status = 'declined';
    run.record('payment_declined', state.status === 'declined' ? state.reason : undefined, 'payment');
  }
  run.state.paymentPollAt =
    answer === 'pending' ? new Date(run.nowMs() + run.times.paymentPollMs).toISOString() : undefined;
  return answer;
}

/**
 * Authorises again (an expiry, or a raised quantity) and waits for the provider when it is pending;
 * answers whether the money is there. A review on a later authorisation is accepted: the order passed
 * its fraud check at confirmation.
 */
export async function authorizeAndWait(run: OrderRun, amountMinor: number): Promise<boolean> {
  const asked = await authorize(run, amountMinor);
  let answer = asked.answer;
  while (answer === 'pending') {
    const pollAt = Date.parse(run.state.paymentPollAt ?? run.nowIso());
    await condition(() => run.paymentNudged, Math.max(1, pollAt - run.nowMs()));
    answer = await checkPendingAuthorization(run, asked.authorizationId);
  }
  if (answer === 'review') {
    for (const auth of run.state.account.authorizations)
      if (auth.status === 'review') auth.status = 'authorized';
  }
  return answer !== 'declined';
}

const capturedFor = (run: OrderRun, fulfillmentId: string): number =>
  run.state.account.captures
    .filter((c) => c.fulfillmentId === fulfillmentId)
    .reduce((total, c) => total + c.amountMinor, 0);

/**
 * Captures a fulfilment's share when it ships or is picked up. An authorisation past its expiry (by the
 * workflow clock, or as the provider says: AuthorizationExpired) lapses, and what the order still owes is
 * authorised again under a new key first.
 */
export async function captureShare(run: OrderRun, part: PartRecord): Promise<void> {
  if (part.paid) return;
  const amountMinor = valueOf(run, part.lines);
  const account = run.state.account;
  for (let round = 0; round < 3; round++) {
    const owed = amountMinor - capturedFor(run, part.fulfillmentId);
    if (owed <= 0) break;
    if (expireAuthorizations(account, run.nowMs()) > 0)
      run.record('payment_authorization_expired', undefined, 'payment');
    let shares = allocateCapture(account, owed, run.nowMs());
    if (!shares) {
      const shortfall = Math.max(owed, dueMinor(run)) - capturableMinor(account, run.nowMs());
      if (!(await authorizeAndWait(run, shortfall))) break;
      shares = allocateCapture(account, owed, run.nowMs());
      if (!shares) break;
    }
    try {
      for (const [index, share] of shares.entries()) {
        const idempotencyKey = captureShareKey(run.orderId, part.fulfillmentId, round, index);
        const capture = await activities.capturePayment({ idempotencyKey, ...share });
        recordCapture(account, {
          idempotencyKey,
          authorizationId: share.authorizationId,
          amountMinor: capture.amountMinor,
          fulfillmentId: part.fulfillmentId,
          at: run.nowIso(),
        });
      }
    } catch (error) {
      if (!isFailureOfType(error, FAILURE_TYPES.authorizationExpired)) throw error;
      // The provider's clock is ahead of ours: treat every authorisation it refused as expired now.
      for (const share of shares) {
        const auth = findAuthorization(account, share.authorizationId);
        if (auth) auth.expiresAt = run.nowIso();
      }
    }
  }
  const captured = capturedFor(run, part.fulfillmentId);
  if (captured >= amountMinor) {
    part.paid = true;
    run.record('payment_captured', `${money(run, captured)} for ${part.fulfillmentId}`, 'payment');
  } else {
    run.record(
      'payment_capture_failed',
      `${money(run, amountMinor - captured)} for ${part.fulfillmentId} not captured`,
    );
  }
}

/** Gives back authorised money not yet captured (a partial void when less than an authorisation). */
export async function voidAmount(run: OrderRun, amountMinor: number, reason: string): Promise<number> {
  let voided = 0;
  for (const share of allocateVoid(run.state.account, amountMinor, run.nowMs())) {
    const idempotencyKey = voidKey(run.orderId, ++run.state.counters.void);
    try {
      const outcome = await activities.voidPayment({ idempotencyKey, ...share });
      recordVoid(run.state.account, {
        idempotencyKey,
        authorizationId: share.authorizationId,
        amountMinor: outcome.voidedMinor,
        reason,
        at: run.nowIso(),
      });
      voided += outcome.voidedMinor;
    } catch (error) {
      if (!isFailureOfType(error, FAILURE_TYPES.voidRejected)) throw error;
      run.record('payment_void_rejected', error.cause?.message, 'payment');
    }
  }
  if (voided > 0) run.record('payment_voided', `${money(run, voided)}: ${reason}`);
  return voided;
}

/** Voids whatever the authorisations hold beyond what the order may still capture. */
export async function voidExcess(run: OrderRun, reason: string): Promise<number> {
  const excess = voidableMinor(run.state.account, run.nowMs()) - dueMinor(run);
  return excess > 0 ? voidAmount(run, excess, reason) : 0;
}

/** Refunds captured money (of one fulfilment's share when named) and tells the customer. */
export async function refundAmount(
  run: OrderRun,
  amountMinor: number,
  reason: string,
  fulfillmentId?: string,
): Promise<number> {
  let refunded = 0;
  for (const share of allocateRefund(run.state.account, amountMinor, fulfillmentId)) {
    const idempotencyKey = refundKey(run.orderId, ++run.state.counters.refund);
    try {
      const outcome = await activities.refundPayment({
        idempotencyKey,
        authorizationId: share.authorizationId,
        amountMinor: share.amountMinor,
      });
      recordRefund(run.state.account, {
        idempotencyKey,
        authorizationId: share.authorizationId,
        amountMinor: outcome.amountMinor,
        ...(share.fulfillmentId !== undefined ? { fulfillmentId: share.fulfillmentId } : {}),
        reason,
        at: run.nowIso(),
      });
      refunded += outcome.amountMinor;
    } catch (error) {
      if (!isFailureOfType(error, FAILURE_TYPES.refundRejected)) throw error;
      run.record('payment_refund_rejected', error.cause?.message, 'payment');
    }
  }
  if (refunded > 0) {
    run.record('payment_refunded', `${money(run, refunded)}: ${reason}`);
    await run.notify(
      'refunded',
      { amountMinor: refunded, currency: run.order.currency },
      refundKey(run.orderId, run.state.counters.refund),
    );
  }
  return refunded;
}
