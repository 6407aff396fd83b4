/** Business rejection types: the `type` of non-retryable ApplicationFailures that workflows branch on. */
export const FAILURE_TYPES = {
  paymentDeclined: 'PaymentDeclined',
  captureRejected: 'CaptureRejected',
  simulationRejected: 'SimulationRejected',
} as const;
export type FailureType = (typeof FAILURE_TYPES)[keyof typeof FAILURE_TYPES];
