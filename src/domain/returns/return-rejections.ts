/** Why a return, receipt or appeasement is refused: the `type` of the ApplicationFailure the workflow throws. */
export const RETURN_REJECTIONS = {
  /** The request names lines the order does not have, or impossible quantities: HTTP 422. */
  invalidRequest: 'InvalidOrderRequest',
  /** The units have not reached the customer: 409. */
  notDelivered: 'NotDelivered',
  /** The units are already returned or under an open RMA: 409. */
  alreadyReturned: 'AlreadyReturned',
  /** The return window of the units has passed: 409. */
  windowClosed: 'ReturnWindowClosed',
  /** The replacement is not another SKU of the same product family, or not sold: 409. */
  exchangeNotAllowed: 'ExchangeNotAllowed',
  /** The RMA's units were already received (a second receipt): 409. */
  alreadyReceived: 'AlreadyReceived',
  /** The RMA has expired or is completed: 409. */
  returnClosed: 'ReturnClosed',
  /** The role may not grant appeasements: 409. */
  appeasementNotAllowed: 'AppeasementNotAllowed',
  /** Above the role's cap for one appeasement: 409. */
  aboveCap: 'AppeasementAboveCap',
  /** More than was captured minus what was refunded (and what open returns will refund): 409. */
  aboveRefundable: 'AboveRefundable',
} as const;
export type ReturnRejection = (typeof RETURN_REJECTIONS)[keyof typeof RETURN_REJECTIONS];

/** A refusal: its type and a message for the caller. */
export interface ReturnRefusal {
  type: ReturnRejection;
  message: string;
}

/** The HTTP problem `type` of each refusal that is a 409 (the invalid request is a 422). */
export const RETURN_PROBLEM_TYPES: Record<string, string> = {
  [RETURN_REJECTIONS.notDelivered]: 'not-delivered',
  [RETURN_REJECTIONS.alreadyReturned]: 'already-returned',
  [RETURN_REJECTIONS.windowClosed]: 'return-window-closed',
  [RETURN_REJECTIONS.exchangeNotAllowed]: 'exchange-not-allowed',
  [RETURN_REJECTIONS.alreadyReceived]: 'already-received',
  [RETURN_REJECTIONS.returnClosed]: 'return-closed',
  [RETURN_REJECTIONS.appeasementNotAllowed]: 'appeasement-not-allowed',
  [RETURN_REJECTIONS.aboveCap]: 'appeasement-above-cap',
  [RETURN_REJECTIONS.aboveRefundable]: 'above-refundable',
};
