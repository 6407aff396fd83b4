import type { NotificationEvent } from './notification-events';

/** A template was given data it cannot render: a field missing or of the wrong shape. Never retried. */
export class TemplateDataError extends Error {
  constructor(
    readonly event: NotificationEvent,
    readonly field: string,
    problem: string,
  ) {
    super(`notification "${event}" cannot be rendered: data.${field} ${problem}`);
    this.name = 'TemplateDataError';
  }
}

const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** Formats integer minor units in their currency's own decimals: 32900 EUR → "€329.00", 500 JPY → "¥500". */
export function formatMinorUnits(amountMinor: number, currency: string): string {
  const format = new Intl.NumberFormat('en-GB', { style: 'currency', currency });
  const decimals = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountMinor / 10 ** decimals);
}

/** Reads a notification's data for one template: every accessor names the field it misses. */
export class TemplateFields {
  constructor(
    private readonly event: NotificationEvent,
    private readonly data: Readonly<Record<string, string | number>>,
  ) {}

  /** A field that must be there, as text. */
  text(field: string): string {
    const value = this.data[field];
    if (value === undefined || value === '') throw new TemplateDataError(this.event, field, 'is missing');
    return String(value);
  }

  /** A field that may be absent (then undefined). */
  optionalText(field: string): string | undefined {
    return this.data[field] === undefined || this.data[field] === '' ? undefined : this.text(field);
  }

  /** An amount in integer minor units with its ISO currency, formatted for people. */
  money(amountField: string, currencyField = 'currency'): string {
    const amount = this.data[amountField];
    if (amount === undefined) throw new TemplateDataError(this.event, amountField, 'is missing');
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) {
      throw new TemplateDataError(this.event, amountField, 'is not an integer amount of minor units');
    }
    const currency = this.text(currencyField);
    if (!/^[A-Z]{3}$/.test(currency)) {
      throw new TemplateDataError(this.event, currencyField, 'is not an ISO 4217 currency code');
    }
    return formatMinorUnits(amount, currency);
  }

  /** A day or instant (ISO 8601), written out as a day: "Tuesday, 3 March 2026". */
  date(field: string): string {
    const value = this.text(field);
    const time = Date.parse(value);
    if (Number.isNaN(time)) throw new TemplateDataError(this.event, field, 'is not an ISO 8601 date');
    return DATE_FORMAT.format(time);
  }

  /** A date that may be absent. */
  optionalDate(field: string): string | undefined {
    return this.optionalText(field) === undefined ? undefined : this.date(field);
  }
}
