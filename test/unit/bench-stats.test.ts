import { percentile } from '../../src/bench/stats';
import { runConcurrently } from '../../src/bench/run-concurrently';

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const sample = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(sample, 50)).toBe(50);
    expect(percentile(sample, 99)).toBe(99);
    expect(percentile(sample, 100)).toBe(100);
  });

  it('is NaN for an empty sample', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('runConcurrently', () => {
  it('never has more calls in flight than the concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const result = await runConcurrently(40, 3, async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight -= 1;
    });
    expect(peak).toBe(3);
    expect(result.latenciesMs).toHaveLength(40);
  });

  it('counts failures and keeps the first message', async () => {
    const result = await runConcurrently(5, 2, async (index) => {
      if (index % 2 === 0) throw new Error(`boom ${index}`);
    });
    expect(result.failures).toBe(3);
    expect(result.latenciesMs).toHaveLength(2);
    expect(result.firstFailure).toBe('boom 0');
  });
});
