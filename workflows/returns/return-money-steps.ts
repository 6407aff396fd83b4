import { sleep } from '@temporalio/workflow';
import { FAILURE_TYPES } from '../../src/domain/failure-types';
import {
  activeReplacements,
  receivedLines,
  returnNetMinor,
  settlementMinor,
  splitOverSources,
} from '../../src/domain/returns/return-money';
import type { ReturnPaymentView } from '../../src/domain/returns/return-view';
import { activities } from '../order-activity-proxies';
import { isFailureOfType, type RmaRun } from './rma-run';

/** How often a pending charge authorisation is asked about again. */
const PENDING_POLL = '5 seconds';

/**
 * Idempotency keys of an RMA's money: one per phase (`instant`, `difference`, `s<n>` for the n-th settlement)
 * and share, so a retried activity, a replayed workflow or a receipt sent twice moves money once.
 */
export const returnRefundKey = (rmaId: string, phase: string, share: number): string =>
  `refund:${rmaId}:${phase}:${share}`;
export const returnAuthorizationKey = (rmaId: string, phase: string): string => `auth:${rmaId}:${phase}`;
export const returnCaptureKey = (rmaId: string, phase: string): string => `capture:${rmaId}:${phase}`;

function addPayment(run: RmaRun, payment: Omit<ReturnPaymentView, 'at'>): void {
  run.view.payments.push({ ...payment, at: run.nowIso() });
}

/** Refunds up to `amountMinor` from the captured pots; answers what the provider refunded. */
export async function refundToCustomer(
  run: RmaRun,
  amountMinor: number,
  phase: string,
  reason: string,
): Promise<number> {
  let refunded = 0;
  for (const [share, source] of splitOverSources(run.sources, amountMinor).entries()) {
    const idempotencyKey = returnRefundKey(run.rmaId, phase, share);
    try {
      const outcome = await activities.refundPayment({
        idempotencyKey,
        authorizationId: source.authorizationId,
        amountMinor: source.amountMinor,
      });
      addPayment(run, {
        kind: 'refund',
        idempotencyKey,
        authorizationId: source.authorizationId,
        amountMinor: outcome.amountMinor,
        ...(source.fulfillmentId !== undefined ? { fulfillmentId: source.fulfillmentId } : {}),
        reason,
      });
      const pot = run.sources.find(
        (s) => s.authorizationId === source.authorizationId && s.fulfillmentId === source.fulfillmentId,
      );
      if (pot) pot.amountMinor -= outcome.amountMinor;
      refunded += outcome.amountMinor;
    } catch (error) {
      if (!isFailureOfType(error, FAILURE_TYPES.refundRejected)) throw error;
      run.record('refund_rejected', error.cause?.message, 'payment');
    }
  }
  run.view.refund.refundedMinor += refunded;
  run.view.refund.failedMinor = amountMinor - refunded;
  if (refunded > 0) {
    run.record('refunded', `${run.money(refunded)}: ${reason}`, 'payment');
    await run.notify(
      'refunded',
      { amountMinor: refunded, currency: run.input.currency },
      `${run.rmaId}:${phase}`,
    );
  }
  if (refunded < amountMinor)
    run.record('refund_failed', `${run.money(amountMinor - refunded)} not refunded`);
  return refunded;
}

/**
 * Charges the customer `amountMinor` with the order's payment token (authorise, then capture); answers what
 * was captured (0 when declined: recorded for an agent).
 */
export async function chargeCustomer(
  run: RmaRun,
  amountMinor: number,
  phase: string,
  reason: string,
): Promise<number> {
  const { input } = run;
  const failed = (why: string | undefined): number => {
    run.view.refund.failedMinor = amountMinor;
    run.record('charge_failed', `${run.money(amountMinor)}: ${why ?? 'declined'}`, 'payment');
    return 0;
  };
  let authorizationId: string;
  try {
    let outcome = await activities.authorizePayment({
      orderId: input.orderId,
      idempotencyKey: returnAuthorizationKey(run.rmaId, phase),
      token: input.paymentToken,
      amountMinor,
      currency: input.currency,
    });
    authorizationId = outcome.authorizationId;
    while (outcome.status === 'pending') {
      await sleep(PENDING_POLL);
      const state = await activities.getAuthorization({ authorizationId });
      if (state.status === 'declined') return failed(state.reason);
      outcome = state;
    }
  } catch (error) {
    if (!isFailureOfType(error, FAILURE_TYPES.paymentDeclined)) throw error;
    return failed(error.cause?.message);
  }
  const idempotencyKey = returnCaptureKey(run.rmaId, phase);
  try {
    const capture = await activities.capturePayment({ idempotencyKey, authorizationId, amountMinor });
    addPayment(run, {
      kind: 'charge',
      idempotencyKey,
      authorizationId,
      amountMinor: capture.amountMinor,
      reason,
    });
    run.view.refund.chargedMinor += capture.amountMinor;
    run.view.refund.failedMinor = 0;
    run.record('charged', `${run.money(capture.amountMinor)}: ${reason}`, 'payment');
    return capture.amountMinor;
  } catch (error) {
    if (
      !isFailureOfType(error, FAILURE_TYPES.captureRejected) &&
      !isFailureOfType(error, FAILURE_TYPES.authorizationExpired)
    )
      throw error;
    return failed(error.cause?.message);
  }
}

/** What the customer would be owed if every requested unit came back (an instant refund pays it in advance). */
export function expectedNetMinor(run: RmaRun): number {
  const { view } = run;
  return returnNetMinor({
    method: view.method,
    lines: view.lines,
    back: view.lines,
    replacements: activeReplacements(view),
    policy: run.input.terms.policy,
  }).netMinor;
}

/**
 * Brings the money in line with what came back and what went out: refunds what is owed, or charges what the
 * customer owes (an instant refund for a parcel that never came, a replacement kept without a return). Keys
 * are per settlement, and the amount is net of everything moved before, so money moves once.
 */
export async function settleReturn(run: RmaRun, reason: string): Promise<void> {
  const { view } = run;
  const { netMinor, feeMinor } = returnNetMinor({
    method: view.method,
    lines: view.lines,
    back: receivedLines(view.lines),
    replacements: activeReplacements(view),
    policy: run.input.terms.policy,
  });
  view.refund.feeMinor = feeMinor;
  const delta = settlementMinor(netMinor, view);
  if (delta === 0) return;
  const phase = `s${++run.settlements}`;
  if (delta > 0) await refundToCustomer(run, delta, phase, reason);
  else await chargeCustomer(run, -delta, phase, reason);
}
