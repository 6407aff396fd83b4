import type { OrderView } from '../order-view';
import type { ReturnPolicy } from './return-policy';
import { RETURN_REJECTIONS, type ReturnRefusal } from './return-rejections';

/** An agent's goodwill credit on an order, or on one of its lines. */
export interface AppeasementRequest {
  lineId?: string;
  amountMinor: number;
  reasonCode: string;
  actor: string;
  role: string;
}

/** The money the order could still give back. */
export interface RefundRoom {
  capturedMinor: number;
  refundedMinor: number;
  /** What open returns may still refund (kept for them). */
  committedMinor: number;
}

/** What may still be refunded now. */
export const refundableNowMinor = (room: RefundRoom): number =>
  Math.max(0, room.capturedMinor - room.refundedMinor - room.committedMinor);

/**
 * Why this appeasement is refused, or undefined: a known line (422 otherwise), a role that may grant, at most
 * the role's cap, at most the line's value, and never above captured − refunded (less what open returns keep).
 */
export function refuseAppeasement(
  request: AppeasementRequest,
  view: Pick<OrderView, 'orderId' | 'lines' | 'currency'>,
  room: RefundRoom,
  caps: ReturnPolicy['appeasementCaps'] | undefined,
): ReturnRefusal | undefined {
  if (!Number.isInteger(request.amountMinor) || request.amountMinor < 1) {
    return { type: RETURN_REJECTIONS.invalidRequest, message: 'amountMinor must be a positive integer.' };
  }
  const line = request.lineId === undefined ? undefined : view.lines.find((l) => l.lineId === request.lineId);
  if (request.lineId !== undefined && !line) {
    return {
      type: RETURN_REJECTIONS.invalidRequest,
      message: `Order ${view.orderId} has no line ${request.lineId}.`,
    };
  }
  if (caps) {
    const cap = caps[request.role];
    if (cap === undefined) {
      return {
        type: RETURN_REJECTIONS.appeasementNotAllowed,
        message: `The role ${request.role} may not grant appeasements.`,
      };
    }
    if (request.amountMinor > cap) {
      return {
        type: RETURN_REJECTIONS.aboveCap,
        message: `An appeasement by ${request.role} is capped at ${cap} ${view.currency}; ${request.amountMinor} asked.`,
      };
    }
  }
  if (line && request.amountMinor > line.quantity * line.unitPriceMinor) {
    return {
      type: RETURN_REJECTIONS.aboveRefundable,
      message: `Line ${line.lineId} is worth ${line.quantity * line.unitPriceMinor} ${view.currency}; ${request.amountMinor} asked.`,
    };
  }
  const left = refundableNowMinor(room);
  if (request.amountMinor > left) {
    return {
      type: RETURN_REJECTIONS.aboveRefundable,
      message: `Order ${view.orderId} can give back at most ${left} ${view.currency} now (captured − refunded − open returns); ${request.amountMinor} asked.`,
    };
  }
  return undefined;
}
