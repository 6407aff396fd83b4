/** The order's waiting rules, in the workflow input (OrderWorkflowInput.lifecycle); any left out takes its default. */
export interface LifecycleSettings {
  /** Backordered units still waiting after this many days are cancelled. */
  backorderLimitDays: number;
  /** How often a backordered order re-checks the network in case a wake-up signal was missed. */
  backorderRecheckHours: number;
  /** An order on hold this long is escalated (an operations alert). */
  holdEscalateAfterHours: number;
  /** An order on hold this long is cancelled with everything released. */
  holdLimitDays: number;
  /** How often a pending authorisation is asked for in case the provider's webhook was missed. */
  paymentPollMinutes: number;
  /** Days a click-and-collect parcel waits at the store once ready. */
  pickupWindowDays: number;
  /**
   * Continue as new (at a quiet point) once the history has this many events, besides whenever the server
   * suggests it; absent: only on the server's suggestion.
   */
  continueAsNewAfterEvents?: number;
}

export const DEFAULT_LIFECYCLE: LifecycleSettings = {
  backorderLimitDays: 30,
  backorderRecheckHours: 24,
  holdEscalateAfterHours: 48,
  holdLimitDays: 7,
  paymentPollMinutes: 15,
  pickupWindowDays: 7,
};

const HOUR_MS = 60 * 60 * 1000;

/** The settings with defaults filled in, as milliseconds where the workflow waits. */
export interface LifecycleTimes {
  backorderLimitMs: number;
  backorderRecheckMs: number;
  holdEscalateMs: number;
  holdLimitMs: number;
  paymentPollMs: number;
  pickupWindowDays: number;
  continueAsNewAfterEvents?: number;
}

/** Fills in the defaults. */
export function lifecycleTimes(settings: Partial<LifecycleSettings> = {}): LifecycleTimes {
  const s = { ...DEFAULT_LIFECYCLE, ...settings };
  return {
    backorderLimitMs: s.backorderLimitDays * 24 * HOUR_MS,
    backorderRecheckMs: s.backorderRecheckHours * HOUR_MS,
    holdEscalateMs: s.holdEscalateAfterHours * HOUR_MS,
    holdLimitMs: s.holdLimitDays * 24 * HOUR_MS,
    paymentPollMs: s.paymentPollMinutes * 60 * 1000,
    pickupWindowDays: s.pickupWindowDays,
    ...(s.continueAsNewAfterEvents !== undefined
      ? { continueAsNewAfterEvents: s.continueAsNewAfterEvents }
      : {}),
  };
}
