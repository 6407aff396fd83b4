/** Total of an order in integer minor units: the sum of quantity × unit price. */
export function orderTotalMinor(lines: readonly { quantity: number; unitPriceMinor: number }[]): number {
  const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, 0);
  if (!Number.isSafeInteger(total)) throw new RangeError('order total is not a safe integer of minor units');
  return total;
}
