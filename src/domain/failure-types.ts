/** Business rejection types: the `type` of non-retryable ApplicationFailures that workflows branch on. */
export const FAILURE_TYPES = {
  paymentDeclined: 'PaymentDeclined',
  captureRejected: 'CaptureRejected',
  /** The authorisation ran out before the capture: authorise again, then capture. */
  authorizationExpired: 'AuthorizationExpired',
  /** The refund exceeds what was captured minus what was refunded. */
  refundRejected: 'RefundRejected',
  /** The provider does not know the authorisation to void. */
  voidRejected: 'VoidRejected',
  simulationRejected: 'SimulationRejected',
} as const;
export type FailureType = (typeof FAILURE_TYPES)[keyof typeof FAILURE_TYPES];
