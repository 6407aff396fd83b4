import type { PaymentStatus, PaymentView } from './order-view';

/**
 * The order's money at the payment provider, kept by the order workflow: every authorisation, capture,
 * void and refund it made, each with the idempotency key it sent. Pure bookkeeping: the workflow asks it
 * what to capture, void or refund from, calls the provider, then records what the provider answered.
 */

export const AUTHORIZATION_STATUSES = ['pending', 'review', 'authorized', 'declined', 'expired'] as const;
export type AuthorizationStatus = (typeof AUTHORIZATION_STATUSES)[number];

/** One authorisation: its amount, and how much of it was captured, voided or lapsed (expired unused). */
export interface AuthorizationRecord {
  authorizationId: string;
  idempotencyKey: string;
  amountMinor: number;
  status: AuthorizationStatus;
  /** When the provider lets it lapse; absent while pending. */
  expiresAt?: string;
  capturedMinor: number;
  voidedMinor: number;
  /** What was still open when it expired: it lapsed at the provider, nothing to void. */
  lapsedMinor: number;
}

/** One capture, void or refund the provider confirmed. */
export interface MoneyMovement {
  idempotencyKey: string;
  amountMinor: number;
  at: string;
  authorizationId?: string;
  /** The fulfilment whose share it is (captures, and refunds of a fulfilment's share). */
  fulfillmentId?: string;
  reason?: string;
}

export interface PaymentAccount {
  authorizations: AuthorizationRecord[];
  captures: MoneyMovement[];
  voids: MoneyMovement[];
  refunds: MoneyMovement[];
}

/** An account with no money moved yet. */
export const createPaymentAccount = (): PaymentAccount => ({
  authorizations: [],
  captures: [],
  voids: [],
  refunds: [],
});

const sum = (amounts: readonly number[]): number => amounts.reduce((total, amount) => total + amount, 0);

/** What an authorisation still holds for us: its amount less what was captured, voided or lapsed. */
export const openMinor = (auth: AuthorizationRecord): number =>
  auth.amountMinor - auth.capturedMinor - auth.voidedMinor - auth.lapsedMinor;

/** True when the provider no longer honours it at `nowMs` (workflow time). */
export const hasExpired = (auth: AuthorizationRecord, nowMs: number): boolean =>
  auth.expiresAt !== undefined && Date.parse(auth.expiresAt) <= nowMs;

/** Authorised, not expired at `nowMs`, with money left. */
const isLive = (auth: AuthorizationRecord, nowMs: number): boolean =>
  auth.status === 'authorized' && !hasExpired(auth, nowMs) && openMinor(auth) > 0;

/** Money we may give back: live, or still in fraud review. */
const isVoidable = (auth: AuthorizationRecord, nowMs: number): boolean =>
  (auth.status === 'authorized' || auth.status === 'review') &&
  !hasExpired(auth, nowMs) &&
  openMinor(auth) > 0;

/** Adds an authorisation (or replaces the one with the same id, e.g. pending → authorized). */
export function recordAuthorization(
  account: PaymentAccount,
  auth: Omit<AuthorizationRecord, 'capturedMinor' | 'voidedMinor' | 'lapsedMinor'>,
): AuthorizationRecord {
  const existing = account.authorizations.find((a) => a.authorizationId === auth.authorizationId);
  if (existing) {
    Object.assign(existing, auth);
    return existing;
  }
  const record: AuthorizationRecord = { ...auth, capturedMinor: 0, voidedMinor: 0, lapsedMinor: 0 };
  account.authorizations.push(record);
  return record;
}

/** The authorisation with this id. */
export const findAuthorization = (
  account: PaymentAccount,
  authorizationId: string,
): AuthorizationRecord | undefined =>
  account.authorizations.find((a) => a.authorizationId === authorizationId);

/** Marks authorisations past their expiry as expired; answers what lapsed with them (to authorise again). */
export function expireAuthorizations(account: PaymentAccount, nowMs: number): number {
  let lapsed = 0;
  for (const auth of account.authorizations) {
    if (auth.status !== 'authorized' || !hasExpired(auth, nowMs)) continue;
    const open = openMinor(auth);
    auth.lapsedMinor += open;
    lapsed += open;
    auth.status = 'expired';
  }
  return lapsed;
}

/** What could be given back without a refund at `nowMs`: open money of live and in-review authorisations. */
export const voidableMinor = (account: PaymentAccount, nowMs: number): number =>
  sum(account.authorizations.filter((a) => isVoidable(a, nowMs)).map(openMinor));

/** What can still be captured at `nowMs` without a new authorisation. */
export const capturableMinor = (account: PaymentAccount, nowMs: number): number =>
  sum(account.authorizations.filter((a) => isLive(a, nowMs)).map(openMinor));

/** One provider call against one authorisation. */
export interface AuthorizationShare {
  authorizationId: string;
  amountMinor: number;
}

/**
 * Splits an amount over the live authorisations, the one expiring first first (the provider takes one
 * authorisation per call); undefined when they do not hold enough (authorise the shortfall first).
 */
export function allocateCapture(
  account: PaymentAccount,
  amountMinor: number,
  nowMs: number,
): AuthorizationShare[] | undefined {
  const live = account.authorizations
    .filter((a) => isLive(a, nowMs))
    .sort((a, b) => (a.expiresAt ?? '').localeCompare(b.expiresAt ?? ''));
  return splitOver(live, amountMinor);
}

/**
 * What to void to give back `amountMinor` not yet captured: the newest authorisations first (an extra
 * authorisation for an increase is the first to go). Expired ones are skipped: their money lapsed already.
 * Answers at most what is open.
 */
export function allocateVoid(
  account: PaymentAccount,
  amountMinor: number,
  nowMs: number,
): AuthorizationShare[] {
  const voidable = account.authorizations.filter((a) => isVoidable(a, nowMs)).reverse();
  const open = sum(voidable.map(openMinor));
  return splitOver(voidable, Math.min(amountMinor, open)) ?? [];
}

function splitOver(
  auths: readonly AuthorizationRecord[],
  amountMinor: number,
): AuthorizationShare[] | undefined {
  const shares: AuthorizationShare[] = [];
  let left = amountMinor;
  for (const auth of auths) {
    if (left === 0) break;
    const take = Math.min(left, openMinor(auth));
    if (take > 0) shares.push({ authorizationId: auth.authorizationId, amountMinor: take });
    left -= take;
  }
  return left === 0 ? shares : undefined;
}

function authorizationOf(account: PaymentAccount, authorizationId: string | undefined): AuthorizationRecord {
  const auth = account.authorizations.find((a) => a.authorizationId === authorizationId);
  if (!auth) throw new RangeError(`unknown authorisation ${String(authorizationId)}`);
  return auth;
}

const alreadyRecorded = (movements: readonly MoneyMovement[], key: string): boolean =>
  movements.some((m) => m.idempotencyKey === key);

/** Records a confirmed capture (once per idempotency key). */
export function recordCapture(account: PaymentAccount, capture: MoneyMovement): void {
  if (alreadyRecorded(account.captures, capture.idempotencyKey)) return;
  authorizationOf(account, capture.authorizationId).capturedMinor += capture.amountMinor;
  account.captures.push(capture);
}

/** Records a confirmed void (once per idempotency key). */
export function recordVoid(account: PaymentAccount, movement: MoneyMovement): void {
  if (alreadyRecorded(account.voids, movement.idempotencyKey)) return;
  authorizationOf(account, movement.authorizationId).voidedMinor += movement.amountMinor;
  account.voids.push(movement);
}

/** Records a confirmed refund (once per idempotency key). */
export function recordRefund(account: PaymentAccount, movement: MoneyMovement): void {
  if (alreadyRecorded(account.refunds, movement.idempotencyKey)) return;
  account.refunds.push(movement);
}

/** Captured in total. */
export const capturedMinor = (account: PaymentAccount): number =>
  sum(account.captures.map((c) => c.amountMinor));

/** Refunded in total. */
export const refundedMinor = (account: PaymentAccount): number =>
  sum(account.refunds.map((r) => r.amountMinor));

/** What a fulfilment's share captured, less what was refunded of it: the most a refund of it may give back. */
export function refundableMinor(account: PaymentAccount, fulfillmentId?: string): number {
  const of = (m: MoneyMovement) => fulfillmentId === undefined || m.fulfillmentId === fulfillmentId;
  return (
    sum(account.captures.filter(of).map((c) => c.amountMinor)) -
    sum(account.refunds.filter(of).map((r) => r.amountMinor))
  );
}

/** One refund call: against the authorisation the money was captured from. */
export interface RefundShare extends AuthorizationShare {
  fulfillmentId?: string;
}

/**
 * What to refund to give back `amountMinor` of what was captured (of one fulfilment's share when named):
 * per authorisation it was captured from, less what was refunded of it. Answers at most what is refundable.
 */
export function allocateRefund(
  account: PaymentAccount,
  amountMinor: number,
  fulfillmentId?: string,
): RefundShare[] {
  const of = (m: MoneyMovement) => fulfillmentId === undefined || m.fulfillmentId === fulfillmentId;
  const pots = new Map<string, RefundShare>();
  for (const capture of account.captures.filter(of)) {
    const id = `${capture.fulfillmentId ?? ''}|${capture.authorizationId ?? ''}`;
    const pot = pots.get(id) ?? {
      authorizationId: capture.authorizationId ?? '',
      amountMinor: 0,
      ...(capture.fulfillmentId !== undefined ? { fulfillmentId: capture.fulfillmentId } : {}),
    };
    pot.amountMinor += capture.amountMinor;
    pots.set(id, pot);
  }
  for (const refund of account.refunds.filter(of)) {
    const pot = pots.get(`${refund.fulfillmentId ?? ''}|${refund.authorizationId ?? ''}`);
    if (pot) pot.amountMinor -= refund.amountMinor;
  }
  const shares: RefundShare[] = [];
  let left = amountMinor;
  for (const pot of pots.values()) {
    const take = Math.min(left, pot.amountMinor);
    if (take > 0) shares.push({ ...pot, amountMinor: take });
    left -= take;
  }
  return shares;
}

/** The capture that took a fulfilment's share (the first, when it took several authorisations). */
export const captureOf = (account: PaymentAccount, fulfillmentId: string): MoneyMovement | undefined =>
  account.captures.find((c) => c.fulfillmentId === fulfillmentId);

function statusOf(account: PaymentAccount, nowMs: number): PaymentStatus {
  const auths = account.authorizations;
  const captured = capturedMinor(account);
  const refunded = refundedMinor(account);
  if (refunded > 0) return refunded >= captured ? 'refunded' : 'partially_refunded';
  const open = capturableMinor(account, nowMs);
  if (captured > 0) return open > 0 ? 'partially_captured' : 'captured';
  if (auths.some((a) => a.status === 'review')) return 'review';
  if (open > 0) return 'authorized';
  if (auths.some((a) => a.status === 'pending')) return 'pending';
  if (auths.some((a) => a.voidedMinor > 0)) return 'voided';
  if (auths.length > 0 && auths.every((a) => a.status === 'declined')) return 'declined';
  return auths.some((a) => a.status === 'expired') ? 'authorized' : 'pending';
}

/**
 * The view's payment summary. `authorizedMinor` counts what the provider granted, less what lapsed
 * unused (so an authorisation renewed after expiry is not counted twice).
 */
export function paymentView(account: PaymentAccount, nowMs: number): PaymentView {
  const granted = account.authorizations.filter((a) =>
    (['authorized', 'review', 'expired'] as readonly AuthorizationStatus[]).includes(a.status),
  );
  return {
    status: statusOf(account, nowMs),
    authorizedMinor: sum(granted.map((a) => a.amountMinor - a.lapsedMinor)),
    capturedMinor: capturedMinor(account),
    refundedMinor: refundedMinor(account),
    voidedMinor: sum(account.authorizations.map((a) => a.voidedMinor)),
  };
}
