/** Calendar arithmetic on UTC day numbers (days since 1970-01-01), so promise maths is cheap and exact. */
export const MS_PER_DAY = 86_400_000;

/** The UTC day number of an instant given in epoch milliseconds. */
export const dayNumberOf = (epochMs: number): number => Math.floor(epochMs / MS_PER_DAY);

const isoDates = new Map<number, string>();

/** The ISO 8601 date (YYYY-MM-DD) of a day number (memoised: promises reuse a handful of days). */
export function isoDateOf(day: number): string {
  let iso = isoDates.get(day);
  if (iso === undefined) {
    iso = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    if (isoDates.size < 10_000) isoDates.set(day, iso);
  }
  return iso;
}

/** True on Saturday and Sunday (1970-01-01 was a Thursday). */
export function isWeekend(day: number): boolean {
  const weekday = (((day + 4) % 7) + 7) % 7; // 0 = Sunday
  return weekday === 0 || weekday === 6;
}

/** The first business day (Monday to Friday) on or after `day`. */
export function nextBusinessDay(day: number): number {
  let next = day;
  while (isWeekend(next)) next++;
  return next;
}

/** `day` moved forward by `count` business days; weekend days are skipped and not counted. */
export function addBusinessDays(day: number, count: number): number {
  let next = day;
  for (let left = count; left > 0; ) {
    next++;
    if (!isWeekend(next)) left--;
  }
  return next;
}
