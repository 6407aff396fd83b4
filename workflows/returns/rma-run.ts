import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { NotificationEvent } from '../../activities/notification.activities';
import type { RefundSource } from '../../src/domain/returns/return-money';
import { createReturnView, recordReturnEvent } from '../../src/domain/returns/rma-state';
import type { ReturnView } from '../../src/domain/returns/return-view';
import { local } from '../order-activity-proxies';
import type { ReturnWorkflowInput } from '../return.messages';
import { Mutex } from '../order/mutex';
import { createOrderReporter, type OrderReporter } from './report-to-order';

/** The actor of what the RMA does by itself (timers, refunds, restock). */
export const SYSTEM = 'system';

/** True when the activity failed with this business type. */
export const isFailureOfType = (error: unknown, type: string): error is ActivityFailure =>
  error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === type;

/** A deep copy: what leaves the workflow (activity input, signal, query answer) must not change afterwards. */
export const snapshotOf = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** One RMA run: its view, the refund sources it draws on, and the helpers every step uses. */
export class RmaRun {
  readonly view: ReturnView;
  /** Captured money still refundable, drawn down as refunds go out. */
  readonly sources: RefundSource[];
  /**
   * The receipt Update and the main flow take turns: two coroutines running activities at once could
   * order their commands differently on replay.
   */
  readonly lock = new Mutex();
  /** Settlements so far: each one's money moves under keys of its own (`s1`, `s2`…). */
  settlements = 0;
  private readonly reporter: OrderReporter;

  constructor(readonly input: ReturnWorkflowInput) {
    this.view = createReturnView({
      rmaId: input.rmaId,
      orderId: input.orderId,
      customerId: input.customer.id,
      currency: input.currency,
      method: input.method,
      lines: input.lines,
      actor: input.actor,
      requestedAt: input.requestedAt,
      expiryDays: input.terms.policy.expiryDays,
    });
    this.sources = input.refundSources.map((source) => ({ ...source }));
    this.reporter = createOrderReporter(input.parentWorkflowId);
  }

  get rmaId(): string {
    return this.input.rmaId;
  }

  nowIso(): string {
    return new Date().toISOString();
  }

  /** Adds an RMA timeline entry: what happened, why, and who did it. */
  record(type: string, detail?: string, actor: string = SYSTEM): void {
    recordReturnEvent(this.view, this.nowIso(), type, detail, actor);
  }

  money(amountMinor: number): string {
    return `${amountMinor} ${this.input.currency}`;
  }

  /** Publishes the view to the read model, then tells the order. */
  async publish(): Promise<void> {
    await local.publishReturnView({ view: snapshotOf(this.view) });
    this.reporter.report(this.view);
  }

  /** Resolves once the order has been told of every change. */
  flushed(): Promise<void> {
    return this.reporter.flushed();
  }

  /** Puts a customer notification in the order's outbox, once per event and subject (the RMA by default). */
  async notify(
    event: NotificationEvent,
    data: Record<string, string | number>,
    subject = this.rmaId,
  ): Promise<void> {
    const { customer } = this.input;
    await local.enqueueNotification({
      orderId: this.input.orderId,
      event,
      subject,
      to: { email: customer.email, ...(customer.name ? { name: customer.name } : {}) },
      data: { rmaId: this.rmaId, ...data },
    });
  }
}
