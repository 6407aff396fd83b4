import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { NotificationEvent } from '../../activities/notification.activities';
import { recordEvent } from '../../src/domain/order-state';
import { orderStatusFromParts, refreshLineStatuses } from '../../src/domain/order-progress';
import type { FulfillmentView, OrderLineView, OrderStatus, OrderView } from '../../src/domain/order-view';
import { paymentView } from '../../src/domain/payment-account';
import { local } from '../order-activity-proxies';
import type { OrderWorkflowInput } from '../order.messages';
import { ORDER_SEARCH_ATTRIBUTES } from '../search-attributes';
import { lifecycleTimes, type LifecycleTimes } from './lifecycle-settings';
import { Mutex } from './mutex';
import type { OrderCheckpoint, PartRecord } from './run-state';

/** The actor of what the workflow does by itself (timers, compensation, automatic re-sourcing). */
export const SYSTEM = 'system';

/** Phases before the order is confirmed: its status is the workflow's own, not its parts'. */
const BEFORE_CONFIRMATION = ['sourcing', 'authorizing', 'awaiting_payment', 'awaiting_review'];

/**
 * One run of a v2 order: its durable state (the checkpoint), the lock, what signals queued for the main
 * flow, and the small helpers every step uses (clock, timeline, status, read model, notifications).
 */
export class OrderRun {
  readonly lock = new Mutex();
  readonly times: LifecycleTimes;
  readonly workflowId = workflowInfo().workflowId;
  /** Views the fulfilment children reported, applied in order by the main flow. */
  readonly childReports: FulfillmentView[] = [];
  /** Inbound supply of a waiting SKU arrived (or the provider answered): the main flow looks again. */
  stockArrived = false;
  paymentNudged = false;
  private publishedVersion = 0;
  private publishedStatus: OrderStatus | undefined;

  constructor(
    readonly input: OrderWorkflowInput,
    readonly state: OrderCheckpoint,
  ) {
    this.times = lifecycleTimes(input.lifecycle);
  }

  get view(): OrderView {
    return this.state.view;
  }

  get order() {
    return this.state.order;
  }

  get orderId(): string {
    return this.state.order.orderId;
  }

  get closed(): boolean {
    return this.state.phase === 'closed';
  }

  /** Workflow time (deterministic on replay). */
  nowMs(): number {
    return Date.now();
  }

  nowIso(): string {
    return new Date().toISOString();
  }

  /** Adds a timeline entry: what happened, why, and who did it. */
  record(type: string, detail?: string, actor: string = SYSTEM): void {
    recordEvent(this.view, this.nowIso(), type, detail, actor);
  }

  /** Moves the order to a status, with its timeline entry. */
  setStatus(status: OrderStatus, detail?: string, actor: string = SYSTEM): void {
    this.view.status = status;
    this.record(status, detail, actor);
  }

  line(lineId: string): OrderLineView | undefined {
    return this.view.lines.find((l) => l.lineId === lineId);
  }

  part(fulfillmentId: string): PartRecord | undefined {
    return this.state.parts.find((p) => p.fulfillmentId === fulfillmentId);
  }

  fulfillment(fulfillmentId: string): FulfillmentView | undefined {
    return this.view.fulfillments.find((f) => f.fulfillmentId === fulfillmentId);
  }

  /** Reserved fulfilments whose child has not started yet, as the view would show them. */
  private unstartedViews(): FulfillmentView[] {
    return this.state.parts
      .filter((p) => !p.started && !p.settled)
      .map((p) => ({
        fulfillmentId: p.fulfillmentId,
        nodeId: p.nodeId,
        method: p.method,
        lines: p.lines.map(({ lineId, quantity }) => ({ lineId, quantity })),
        status: 'created' as const,
      }));
  }

  /**
   * Line statuses from the parts, then the order status: `on_hold` while held, the parts' status once
   * confirmed; records a timeline entry when it changes.
   */
  refreshStatus(detail?: string, actor: string = SYSTEM): void {
    const parts = { ...this.view, fulfillments: [...this.view.fulfillments, ...this.unstartedViews()] };
    refreshLineStatuses(parts);
    if (this.closed) return;
    let status: OrderStatus;
    if (this.view.hold) status = 'on_hold';
    else if (BEFORE_CONFIRMATION.includes(this.state.phase)) status = 'received';
    else {
      status = orderStatusFromParts(parts);
      if (status === 'cancelled') return; // closing is the main flow's decision
    }
    if (status !== this.view.status) this.setStatus(status, detail, actor);
  }

  /** Publishes the view to the read model (and the status to the search attributes) when it changed. */
  async publish(): Promise<void> {
    this.view.payment = paymentView(this.state.account, this.nowMs());
    if (this.view.version === this.publishedVersion) return;
    if (this.view.status !== this.publishedStatus) {
      upsertSearchAttributes([
        { key: ORDER_SEARCH_ATTRIBUTES.orderId, value: this.view.orderId },
        { key: ORDER_SEARCH_ATTRIBUTES.customerId, value: this.view.customer.id },
        { key: ORDER_SEARCH_ATTRIBUTES.channel, value: this.view.channel },
        { key: ORDER_SEARCH_ATTRIBUTES.orderStatus, value: this.view.status },
      ]);
      this.publishedStatus = this.view.status;
    }
    const version = this.view.version;
    await local.publishOrderView({ view: snapshotOf(this.view), requestHash: this.input.requestHash });
    this.publishedVersion = Math.max(this.publishedVersion, version);
  }

  /** Puts a customer notification in the outbox (exactly once per event and subject). */
  async notify(
    event: NotificationEvent,
    data: Record<string, string | number>,
    subject?: string,
  ): Promise<void> {
    const { customer } = this.view;
    await local.enqueueNotification({
      orderId: this.orderId,
      event,
      ...(subject !== undefined ? { subject } : {}),
      to: { email: customer.email, ...(customer.name ? { name: customer.name } : {}) },
      data,
    });
  }
}

/** A deep copy: what leaves the workflow (activity input, query answer) must not change afterwards. */
export const snapshotOf = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
