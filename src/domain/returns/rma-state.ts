import { RETURN_REJECTIONS, type ReturnRefusal } from './return-rejections';
import type { ReceiptLine, ReturnLineView, ReturnMethod, ReturnView } from './return-view';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What an RMA starts from. */
export interface NewReturn {
  rmaId: string;
  orderId: string;
  customerId: string;
  currency: string;
  method: ReturnMethod;
  lines: ReturnLineView[];
  actor: string;
  requestedAt: string;
  expiryDays: number;
}

/** The RMA as it is created: awaiting the parcel or the store visit until `expiresAt`. */
export function createReturnView(input: NewReturn): ReturnView {
  return {
    rmaId: input.rmaId,
    orderId: input.orderId,
    customerId: input.customerId,
    currency: input.currency,
    status: 'awaiting_return',
    method: input.method,
    lines: input.lines.map((line) => ({ ...line })),
    actor: input.actor,
    createdAt: input.requestedAt,
    updatedAt: input.requestedAt,
    expiresAt: new Date(Date.parse(input.requestedAt) + input.expiryDays * DAY_MS).toISOString(),
    dispositions: [],
    refund: { instant: false, feeMinor: 0, refundedMinor: 0, chargedMinor: 0, failedMinor: 0 },
    payments: [],
    timeline: [{ at: input.requestedAt, type: 'requested', actor: input.actor }],
    version: 1,
  };
}

/** Appends a timeline entry to the RMA and bumps its version. */
export function recordReturnEvent(
  view: ReturnView,
  at: string,
  type: string,
  detail?: string,
  actor?: string,
): void {
  view.timeline.push({ at, type, ...(detail !== undefined ? { detail } : {}), ...(actor ? { actor } : {}) });
  view.updatedAt = at;
  view.version += 1;
}

/**
 * Why a receipt is refused, or undefined: the RMA must still wait for its units (`AlreadyReceived` after a
 * receipt, `ReturnClosed` once expired), and each receipt line must name a line of the RMA, with at least
 * one unit and no more than the RMA asked for (an invalid request, 422).
 */
export function refuseReceipt(view: ReturnView, lines: readonly ReceiptLine[]): ReturnRefusal | undefined {
  if (view.receipt || view.status === 'received' || view.status === 'completed') {
    return {
      type: RETURN_REJECTIONS.alreadyReceived,
      message: `Return ${view.rmaId} was already received at ${view.receipt?.nodeId ?? 'a node'}.`,
    };
  }
  if (view.status === 'expired') {
    return {
      type: RETURN_REJECTIONS.returnClosed,
      message: `Return ${view.rmaId} expired on ${view.expiresAt}.`,
    };
  }
  if (lines.length === 0)
    return { type: RETURN_REJECTIONS.invalidRequest, message: 'Name at least one received line.' };
  for (const received of lines) {
    const line = view.lines.find((l) => l.lineId === received.lineId);
    if (!line) {
      return {
        type: RETURN_REJECTIONS.invalidRequest,
        message: `Return ${view.rmaId} has no line ${received.lineId}.`,
      };
    }
    const total = lines.filter((l) => l.lineId === received.lineId).reduce((sum, l) => sum + l.quantity, 0);
    if (!Number.isInteger(received.quantity) || received.quantity < 1 || total > line.quantity) {
      return {
        type: RETURN_REJECTIONS.invalidRequest,
        message: `Return ${view.rmaId} expects ${line.quantity} units of line ${line.lineId}; ${total} received.`,
      };
    }
  }
  return undefined;
}

/** Records what came back per line and condition; lines not in the receipt came back with nothing. */
export function applyReceipt(
  view: ReturnView,
  receipt: { nodeId: string; at: string; actor: string; lines: ReceiptLine[] },
): void {
  view.receipt = {
    nodeId: receipt.nodeId,
    at: receipt.at,
    actor: receipt.actor,
    lines: receipt.lines.map((l) => ({ ...l })),
  };
  for (const line of view.lines) {
    const of = receipt.lines.filter((l) => l.lineId === line.lineId);
    const count = (condition: ReceiptLine['condition']) =>
      of.filter((l) => l.condition === condition).reduce((sum, l) => sum + l.quantity, 0);
    line.received = { sellable: count('sellable'), damaged: count('damaged') };
  }
  view.status = 'received';
}

/** The receipt's units by condition, with the SKU of their line. */
export function receivedUnitsByCondition(
  view: ReturnView,
  condition: ReceiptLine['condition'],
): { lineId: string; sku: string; quantity: number }[] {
  return view.lines
    .map((line) => ({ lineId: line.lineId, sku: line.sku, quantity: line.received?.[condition] ?? 0 }))
    .filter((line) => line.quantity > 0);
}

/**
 * Applies a tracking event of the return parcel; answers the timeline entry it deserves, if any. The carrier
 * taking the parcel moves the RMA to `in_transit` (it no longer expires); its arrival is noted, and the
 * receipt with inspection still decides.
 */
export function applyReturnCarrierEvent(
  view: ReturnView,
  event: { trackingNumber: string; event: 'in_transit' | 'delivered' | 'exception' },
): string | undefined {
  if (!view.label || event.trackingNumber !== view.label.trackingNumber) return undefined;
  if (view.status === 'awaiting_return' && (event.event === 'in_transit' || event.event === 'delivered')) {
    view.status = 'in_transit';
  }
  if (event.event === 'delivered') return 'parcel_arrived';
  if (event.event === 'exception') return 'parcel_exception';
  return event.event === 'in_transit' ? 'parcel_in_transit' : undefined;
}
