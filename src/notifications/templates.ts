import { OPERATIONS_EVENTS, type NotificationEvent, type NotificationRecipient } from './notification-events';
import { TemplateFields } from './template-fields';

/** A notification ready to send: a subject line and a plain-text body. */
export interface RenderedNotification {
  subject: string;
  body: string;
}

/** What every template knows besides its data. */
interface TemplateContext {
  orderId: string;
  to: NotificationRecipient;
}

/** One event's template: the data fields it needs and may use, and how it reads. */
export interface NotificationTemplate {
  required: readonly string[];
  optional: readonly string[];
  render(f: TemplateFields, ctx: TemplateContext): { subject: string; lines: (string | undefined)[] };
}

const sentence = (prefix: string, value: string | undefined, suffix = '.'): string | undefined =>
  value === undefined ? undefined : `${prefix}${value}${suffix}`;

/** Subject and body of every event; `data` field names are the contract with the workflows that enqueue. */
export const NOTIFICATION_TEMPLATES: Record<NotificationEvent, NotificationTemplate> = {
  order_confirmed: {
    required: ['totalMinor', 'currency'],
    optional: [],
    render: (f, { orderId }) => ({
      subject: `Your order ${orderId} is confirmed`,
      lines: [
        `Thank you for your order ${orderId}. We have received it and are preparing it.`,
        `Total: ${f.money('totalMinor')}.`,
      ],
    }),
  },
  payment_review: {
    required: [],
    optional: [],
    render: (_f, { orderId }) => ({
      subject: `We are checking the payment for order ${orderId}`,
      lines: [
        `Your payment for order ${orderId} needs a short review before we can prepare it. We will write again once it is done.`,
      ],
    }),
  },
  shipped: {
    required: ['carrier', 'trackingNumber'],
    optional: ['expectedDeliveryDate'],
    render: (f, { orderId }) => ({
      subject: `Your order ${orderId} is on its way`,
      lines: [
        `A parcel of your order ${orderId} has left us with ${f.text('carrier')}.`,
        `Tracking number: ${f.text('trackingNumber')}.`,
        sentence('Expected delivery: ', f.optionalDate('expectedDeliveryDate')),
      ],
    }),
  },
  ready_for_pickup: {
    required: ['storeName', 'pickupBy'],
    optional: [],
    render: (f, { orderId }) => ({
      subject: `Your order ${orderId} is ready for pickup`,
      lines: [
        `Your order ${orderId} is waiting for you at ${f.text('storeName')}.`,
        `Please collect it by ${f.date('pickupBy')}; after that it goes back on the shelf and is refunded.`,
      ],
    }),
  },
  picked_up: {
    required: [],
    optional: ['storeName'],
    render: (f, { orderId }) => ({
      subject: `You collected order ${orderId}`,
      lines: [
        `You collected your order ${orderId}${sentence(' at ', f.optionalText('storeName'), '') ?? ''}. Enjoy it!`,
      ],
    }),
  },
  delivered: {
    required: [],
    optional: ['trackingNumber'],
    render: (f, { orderId }) => ({
      subject: `Your order ${orderId} has been delivered`,
      lines: [
        `Your parcel of order ${orderId} has been delivered.`,
        sentence('Tracking number: ', f.optionalText('trackingNumber')),
      ],
    }),
  },
  not_collected: {
    required: ['storeName'],
    optional: ['refundMinor', 'currency'],
    render: (f, { orderId }) => ({
      subject: `Order ${orderId} was not collected`,
      lines: [
        `Your order ${orderId} was not collected at ${f.text('storeName')} within the pickup window, so we have put it back on the shelf.`,
        f.optionalText('refundMinor') === undefined
          ? undefined
          : `We are refunding ${f.money('refundMinor')}.`,
      ],
    }),
  },
  backordered: {
    required: ['sku', 'promisedDate'],
    optional: ['quantity'],
    render: (f, { orderId }) => ({
      subject: `Part of order ${orderId} is on backorder`,
      lines: [
        `${f.optionalText('quantity') ?? 'Some'} × ${f.text('sku')} of your order ${orderId} is not in stock right now.`,
        `We expect to send it by ${f.date('promisedDate')} and will tell you if that changes.`,
      ],
    }),
  },
  backorder_delayed: {
    required: ['sku', 'promisedDate'],
    optional: ['previousDate'],
    render: (f, { orderId }) => ({
      subject: `New date for the backordered item of order ${orderId}`,
      lines: [
        `${f.text('sku')} of your order ${orderId} is taking longer to arrive than we promised${sentence(' (', f.optionalDate('previousDate'), ')') ?? ''}.`,
        `The new expected date is ${f.date('promisedDate')}. You can cancel the item at any time before it ships.`,
      ],
    }),
  },
  backorder_available: {
    required: ['sku'],
    optional: [],
    render: (f, { orderId }) => ({
      subject: `Your backordered item of order ${orderId} is in stock`,
      lines: [`${f.text('sku')} of your order ${orderId} has arrived and is being prepared.`],
    }),
  },
  cancelled: {
    required: [],
    optional: ['reason'],
    render: (f, { orderId }) => ({
      subject: `Your order ${orderId} is cancelled`,
      lines: [
        `Your order ${orderId} has been cancelled.`,
        sentence('Reason: ', f.optionalText('reason')),
        'Any payment taken will be refunded; you will receive a separate message when it is.',
      ],
    }),
  },
  partially_cancelled: {
    required: ['items'],
    optional: ['reason'],
    render: (f, { orderId }) => ({
      subject: `Part of your order ${orderId} is cancelled`,
      lines: [
        `These items of your order ${orderId} have been cancelled: ${f.text('items')}.`,
        sentence('Reason: ', f.optionalText('reason')),
        'The rest of your order continues as planned.',
      ],
    }),
  },
  refunded: {
    required: ['amountMinor', 'currency'],
    optional: [],
    render: (f, { orderId }) => ({
      subject: `Refund for order ${orderId}`,
      lines: [
        `We have refunded ${f.money('amountMinor')} for your order ${orderId}.`,
        'It may take a few days to appear on your statement.',
      ],
    }),
  },
  order_changed: {
    required: ['change'],
    optional: [],
    render: (f, { orderId }) => ({
      subject: `Your order ${orderId} has been changed`,
      lines: [`Your order ${orderId} has been changed: ${f.text('change')}.`],
    }),
  },
  on_hold: {
    required: [],
    optional: ['reason'],
    render: (f, { orderId }) => ({
      subject: `Your order ${orderId} is on hold`,
      lines: [
        `We have paused your order ${orderId} for a moment.`,
        sentence('Reason: ', f.optionalText('reason')),
        'We will write again as soon as it moves on.',
      ],
    }),
  },
  hold_escalated: {
    required: ['heldSince'],
    optional: ['reason', 'cancelAt'],
    render: (f, { orderId }) => ({
      subject: `[OMS] Order ${orderId} has been on hold too long`,
      lines: [
        `Order ${orderId} has been on hold since ${f.date('heldSince')}.`,
        sentence('Hold reason: ', f.optionalText('reason')),
        sentence('It will be cancelled automatically on ', f.optionalDate('cancelAt'), ' unless released.'),
      ],
    }),
  },
  carrier_exception: {
    required: ['trackingNumber'],
    optional: ['carrier', 'exception'],
    render: (f, { orderId }) => ({
      subject: `A problem with the delivery of order ${orderId}`,
      lines: [
        `The carrier${sentence(' ', f.optionalText('carrier'), '') ?? ''} reported a problem with parcel ${f.text('trackingNumber')} of your order ${orderId}${sentence(': ', f.optionalText('exception'), '') ?? ''}.`,
        'We are looking into it and will send it again or refund it.',
      ],
    }),
  },
  return_created: {
    required: ['rmaId', 'method'],
    optional: ['labelUrl', 'trackingNumber', 'expiresAt'],
    render: (f, { orderId }) => ({
      subject: `Your return ${f.text('rmaId')} for order ${orderId}`,
      lines: [
        `We have opened return ${f.text('rmaId')} for your order ${orderId} (${f.text('method') === 'store' ? 'bring the items to any of our stores' : 'send the items back with the label'}).`,
        sentence('Your return label: ', f.optionalText('labelUrl')),
        sentence('Tracking number: ', f.optionalText('trackingNumber')),
        sentence('Please return the items by ', f.optionalDate('expiresAt')),
      ],
    }),
  },
  return_received: {
    required: ['rmaId'],
    optional: ['items'],
    render: (f, { orderId }) => ({
      subject: `We received your return ${f.text('rmaId')}`,
      lines: [
        `We have received your return ${f.text('rmaId')} of order ${orderId}${sentence(': ', f.optionalText('items'), '') ?? ''}.`,
        'Any refund due follows in a separate message.',
      ],
    }),
  },
  return_expired: {
    required: ['rmaId'],
    optional: ['chargedMinor', 'currency'],
    render: (f, { orderId }) => ({
      subject: `Your return ${f.text('rmaId')} has expired`,
      lines: [
        `We did not receive the items of return ${f.text('rmaId')} (order ${orderId}) in time, so the return is closed.`,
        f.optionalText('chargedMinor') === undefined
          ? undefined
          : `The ${f.money('chargedMinor')} refunded in advance has been charged again.`,
      ],
    }),
  },
};

/** What a notification needs to be rendered (an outbox entry or a request). */
export interface RenderInput {
  orderId: string;
  event: NotificationEvent;
  to: NotificationRecipient;
  data: Readonly<Record<string, string | number>>;
}

/** Renders subject and body; throws TemplateDataError when the data lacks a field the template needs. */
export function renderNotification({ orderId, event, to, data }: RenderInput): RenderedNotification {
  const { subject, lines } = NOTIFICATION_TEMPLATES[event].render(new TemplateFields(event, data), {
    orderId,
    to,
  });
  const forOperations = OPERATIONS_EVENTS.includes(event);
  const greeting = forOperations ? 'Hello,' : `Hello${to.name ? ` ${to.name}` : ''},`;
  const signature = forOperations ? '— Couture OMS' : '— Couture';
  const body = [greeting, '', ...lines.filter((line) => line !== undefined), '', signature].join('\n');
  return { subject, body };
}
