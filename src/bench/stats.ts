/** The p-th percentile (0-100) of a sample, nearest-rank; NaN for an empty sample. */
export function percentile(sample: readonly number[], p: number): number {
  if (sample.length === 0) return Number.NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** Rounds to one decimal for printing. */
export const round1 = (value: number): number => Math.round(value * 10) / 10;
