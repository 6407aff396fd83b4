import type { MoneyMovement, PaymentAccount } from '../payment-account';
import { FAULT_REASONS, type ProductTerms, type ReturnPolicy } from './return-policy';
import type { ExchangeLineView, ReturnLineView, ReturnMethod, ReturnView } from './return-view';

/**
 * The money of an RMA, as one rule: by the end, the customer has paid for exactly what they keep. Relative to
 * what they paid for the returned units, the RMA owes them
 *
 *   net = value of the units that came back − value of the replacements they got − the return fee
 *
 * (negative: they owe us). Money moved before the end (an instant refund, a price difference charged at
 * creation) counts against it, so the settlement is `net − (refunded − charged)`: a refund when positive, a
 * charge when negative, nothing when the earlier movements already match.
 */

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

/** Value of returned units at the price the customer paid. */
export const unitsValueMinor = (lines: readonly { quantity: number; unitPriceMinor: number }[]): number =>
  sum(lines.map((line) => line.quantity * line.unitPriceMinor));

/** Units of each returned line that came back, in any condition. */
export const receivedLines = (
  lines: readonly ReturnLineView[],
): { quantity: number; unitPriceMinor: number }[] =>
  lines.map((line) => ({
    quantity: (line.received?.sellable ?? 0) + (line.received?.damaged ?? 0),
    unitPriceMinor: line.unitPriceMinor,
  }));

/** The return fee: a mail or locker return pays it unless a reason is the retailer's fault; never above the value. */
export function returnFeeMinor(
  method: ReturnMethod,
  lines: readonly Pick<ReturnLineView, 'reason'>[],
  valueMinor: number,
  policy: Pick<ReturnPolicy, 'mailFeeMinor'>,
): number {
  if (method === 'store' || valueMinor <= 0) return 0;
  if (lines.some((line) => FAULT_REASONS.includes(line.reason))) return 0;
  return Math.min(policy.mailFeeMinor, valueMinor);
}

/** What the RMA owes the customer in total once these units came back and these replacements went out. */
export function returnNetMinor(input: {
  method: ReturnMethod;
  lines: readonly ReturnLineView[];
  /** Units back, per line (as `receivedLines`), or the requested lines for what is expected. */
  back: readonly { quantity: number; unitPriceMinor: number }[];
  replacements: readonly ExchangeLineView[];
  policy: Pick<ReturnPolicy, 'mailFeeMinor'>;
}): { netMinor: number; feeMinor: number } {
  const value = unitsValueMinor(input.back);
  // An exchange pays no return fee: the customer keeps buying from us.
  const feeMinor =
    input.replacements.length > 0 ? 0 : returnFeeMinor(input.method, input.lines, value, input.policy);
  return { netMinor: value - unitsValueMinor(input.replacements) - feeMinor, feeMinor };
}

/** Money already moved by the RMA: refunds less charges. */
export const movedMinor = (rma: Pick<ReturnView, 'refund'>): number =>
  rma.refund.refundedMinor - rma.refund.chargedMinor;

/** What one settlement must move: positive refunds, negative charges. */
export const settlementMinor = (netMinor: number, rma: Pick<ReturnView, 'refund'>): number =>
  netMinor - movedMinor(rma);

/** The replacement price difference of an exchange: replacement value minus the returned units' value. */
export function exchangeDifferenceMinor(
  returned: readonly ReturnLineView[],
  replacements: readonly ExchangeLineView[],
): number {
  return (
    unitsValueMinor(replacements) -
    unitsValueMinor(returned.filter((l) => replacements.some((r) => r.lineId === l.lineId)))
  );
}

/** Replacement lines at catalogue prices; undefined for a SKU not in the catalogue. */
export function priceReplacements(
  asked: readonly { lineId: string; sku: string; quantity: number }[],
  products: Record<string, ProductTerms>,
): ExchangeLineView[] | undefined {
  const priced: ExchangeLineView[] = [];
  for (const line of asked) {
    const product = products[line.sku];
    if (!product) return undefined;
    priced.push({ ...line, unitPriceMinor: product.priceMinor });
  }
  return priced;
}

/** A pot of captured money a refund can draw on: per authorisation and fulfilment, less what was refunded. */
export interface RefundSource {
  authorizationId: string;
  fulfillmentId?: string;
  amountMinor: number;
}

const potId = (m: Pick<MoneyMovement, 'authorizationId' | 'fulfillmentId'>): string =>
  `${m.fulfillmentId ?? ''}|${m.authorizationId ?? ''}`;

/**
 * The captured money still refundable, per (fulfilment, authorisation) pot, the named fulfilments' pots first
 * (the units being returned came in them), then the rest.
 */
export function refundSources(
  account: PaymentAccount,
  preferFulfillments: readonly string[] = [],
): RefundSource[] {
  const pots = new Map<string, RefundSource>();
  for (const capture of account.captures) {
    const id = potId(capture);
    const pot = pots.get(id) ?? {
      authorizationId: capture.authorizationId ?? '',
      ...(capture.fulfillmentId !== undefined ? { fulfillmentId: capture.fulfillmentId } : {}),
      amountMinor: 0,
    };
    pot.amountMinor += capture.amountMinor;
    pots.set(id, pot);
  }
  for (const refund of account.refunds) {
    const pot = pots.get(potId(refund));
    if (pot) pot.amountMinor -= refund.amountMinor;
  }
  const open = [...pots.values()].filter((pot) => pot.amountMinor > 0 && pot.authorizationId !== '');
  const preferred = (pot: RefundSource) =>
    pot.fulfillmentId && preferFulfillments.includes(pot.fulfillmentId) ? 0 : 1;
  return open.sort((a, b) => preferred(a) - preferred(b));
}

/** Splits an amount over the sources in order; what they cannot cover is left out. */
export function splitOverSources(sources: readonly RefundSource[], amountMinor: number): RefundSource[] {
  const shares: RefundSource[] = [];
  let left = amountMinor;
  for (const source of sources) {
    if (left <= 0) break;
    const take = Math.min(left, source.amountMinor);
    if (take > 0) shares.push({ ...source, amountMinor: take });
    left -= take;
  }
  return shares;
}

/** Replacements that still go out (or went out): an exchange that fell through replaces nothing. */
export function activeReplacements(rma: Pick<ReturnView, 'exchange'>): ExchangeLineView[] {
  const exchange = rma.exchange;
  if (!exchange || ['cancelled', 'unavailable', 'payment_declined'].includes(exchange.status)) return [];
  return exchange.lines;
}

/** What the order's open RMAs may still refund: kept aside so an appeasement cannot spend it. */
export function committedToReturnsMinor(
  returns: readonly ReturnView[],
  policy: Pick<ReturnPolicy, 'mailFeeMinor'>,
): number {
  return sum(
    returns
      .filter((rma) => rma.status !== 'completed' && rma.status !== 'expired')
      .map((rma) => {
        const { netMinor } = returnNetMinor({
          method: rma.method,
          lines: rma.lines,
          back: rma.receipt ? receivedLines(rma.lines) : rma.lines,
          replacements: activeReplacements(rma),
          policy,
        });
        return Math.max(0, settlementMinor(netMinor, rma));
      }),
  );
}
