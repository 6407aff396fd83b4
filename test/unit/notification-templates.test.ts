import { NOTIFICATION_EVENTS, type NotificationEvent } from '../../src/notifications/notification-events';
import { formatMinorUnits, TemplateDataError } from '../../src/notifications/template-fields';
import { NOTIFICATION_TEMPLATES, renderNotification } from '../../src/notifications/templates';

/** A full set of data per event: every field the template reads, with values easy to spot in the text. */
const SAMPLE_DATA: Record<NotificationEvent, Record<string, string | number>> = {
  order_confirmed: { totalMinor: 32900, currency: 'EUR' },
  payment_review: {},
  shipped: { carrier: 'SIMCARRIER', trackingNumber: 'TRK-123', expectedDeliveryDate: '2026-03-03' },
  ready_for_pickup: { storeName: 'Paris Rivoli', pickupBy: '2026-03-10' },
  picked_up: { storeName: 'Paris Rivoli' },
  delivered: { trackingNumber: 'TRK-123' },
  not_collected: { storeName: 'Paris Rivoli', refundMinor: 12050, currency: 'EUR' },
  backordered: { sku: 'TRENCH-BEIGE-M', quantity: 2, promisedDate: '2026-03-03' },
  backorder_delayed: { sku: 'TRENCH-BEIGE-M', promisedDate: '2026-03-17', previousDate: '2026-03-03' },
  backorder_available: { sku: 'TRENCH-BEIGE-M' },
  cancelled: { reason: 'customer request' },
  partially_cancelled: { items: '1 × SCARF-RED', reason: 'customer request' },
  refunded: { amountMinor: 12050, currency: 'EUR' },
  order_changed: { change: 'delivery address is now 1 rue de la Paix, Paris' },
  on_hold: { reason: 'payment review' },
  hold_escalated: { heldSince: '2026-03-01T09:00:00Z', reason: 'fraud review', cancelAt: '2026-03-08' },
  carrier_exception: { trackingNumber: 'TRK-123', carrier: 'SIMCARRIER', exception: 'parcel lost' },
  return_created: {
    rmaId: 'o-77-R1',
    method: 'mail',
    labelUrl: 'https://labels.test/L.pdf',
    trackingNumber: 'TRK-R1',
    expiresAt: '2026-04-02T10:00:00Z',
  },
  return_received: { rmaId: 'o-77-R1', items: '1 × TRENCH-BEIGE-M' },
  return_expired: { rmaId: 'o-77-R1', chargedMinor: 12050, currency: 'EUR' },
};

/** What each event's text must say (beyond the order id), from the sample data. */
const EXPECTED_TEXT: Partial<Record<NotificationEvent, string[]>> = {
  order_confirmed: ['€329.00'],
  shipped: ['SIMCARRIER', 'TRK-123', 'Tuesday, 3 March 2026'],
  ready_for_pickup: ['Paris Rivoli', 'Tuesday, 10 March 2026'],
  not_collected: ['€120.50'],
  backordered: ['2 × TRENCH-BEIGE-M', 'Tuesday, 3 March 2026'],
  backorder_delayed: ['Tuesday, 17 March 2026', 'Tuesday, 3 March 2026'],
  refunded: ['€120.50'],
  hold_escalated: ['Sunday, 1 March 2026', 'fraud review', 'Sunday, 8 March 2026'],
  carrier_exception: ['parcel lost', 'TRK-123'],
};

const render = (event: NotificationEvent, data: Record<string, string | number>) =>
  renderNotification({ orderId: 'o-77', event, to: { email: 'ada@example.com', name: 'Ada' }, data });

const onlyRequired = (event: NotificationEvent): Record<string, string | number> =>
  Object.fromEntries(
    NOTIFICATION_TEMPLATES[event].required.map((field) => [field, SAMPLE_DATA[event][field]!]),
  );

describe.each(NOTIFICATION_EVENTS)('the %s template', (event) => {
  test('fills every placeholder from the data', () => {
    const { subject, body } = render(event, SAMPLE_DATA[event]);
    const text = `${subject}\n${body}`;
    expect(text).not.toMatch(/undefined|NaN|null|\[object|\$\{/);
    expect(subject).toContain('o-77');
    for (const expected of EXPECTED_TEXT[event] ?? []) expect(text).toContain(expected);
  });

  test('renders with only its required fields', () => {
    const { subject, body } = render(event, onlyRequired(event));
    expect(`${subject}\n${body}`).not.toMatch(/undefined|NaN|null/);
  });

  test('names each missing required field', () => {
    for (const field of NOTIFICATION_TEMPLATES[event].required) {
      const data = { ...SAMPLE_DATA[event] };
      delete data[field];
      expect(() => render(event, data)).toThrow(TemplateDataError);
      expect(() => render(event, data)).toThrow(
        `notification "${event}" cannot be rendered: data.${field} is missing`,
      );
    }
  });

  test('declares every field its sample uses', () => {
    const declared = [...NOTIFICATION_TEMPLATES[event].required, ...NOTIFICATION_TEMPLATES[event].optional];
    expect(Object.keys(SAMPLE_DATA[event]).sort()).toEqual([...declared].sort());
  });
});

describe('rendering', () => {
  test('customer mail greets the customer by name and signs as the shop', () => {
    const { body } = render('delivered', {});
    expect(body.startsWith('Hello Ada,\n')).toBe(true);
    expect(body.endsWith('— Couture')).toBe(true);
  });

  test('an operations alert does not greet the customer', () => {
    const { body } = render('hold_escalated', SAMPLE_DATA.hold_escalated);
    expect(body).not.toContain('Ada');
    expect(body.endsWith('— Couture OMS')).toBe(true);
  });

  test('a date that is not a date is refused with the field name', () => {
    expect(() => render('backordered', { sku: 'X', promisedDate: 'soon' })).toThrow(
      'data.promisedDate is not an ISO 8601 date',
    );
  });

  test('an amount that is not whole minor units is refused', () => {
    expect(() => render('refunded', { amountMinor: '12.50', currency: 'EUR' })).toThrow(
      'data.amountMinor is not an integer amount of minor units',
    );
  });
});

describe('money in minor units', () => {
  test('uses the currency own decimals', () => {
    expect(formatMinorUnits(32900, 'EUR')).toBe('€329.00');
    expect(formatMinorUnits(500, 'JPY')).toBe('JP¥500');
    expect(formatMinorUnits(1234, 'KWD')).toMatch(/^KWD\s1\.234$/);
  });
});
