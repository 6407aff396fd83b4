import { percentile } from '../../src/bench/stats';
import { runConcurrently } from '../../src/bench/run-concurrently';
import { summarizeByPhase, type MemorySample } from '../../src/bench/memory-monitor';

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

describe('summarizeByPhase', () => {
  const sample = (phase: string, worker: number, load1: number): MemorySample => ({
    atS: 0,
    phase,
    rssMiB: { worker, gateway: 100 },
    load1,
  });

  it('keeps the highest RSS of each process and the load range of each phase', () => {
    const summary = summarizeByPhase([
      sample('intake', 300, 4),
      sample('intake', 450, 9),
      sample('intake', 400, 6),
      sample('complete', 350, 2),
    ]);
    expect(summary).toEqual({
      intake: { maxRssMiB: { worker: 450, gateway: 100 }, load1: [4, 9] },
      complete: { maxRssMiB: { worker: 350, gateway: 100 }, load1: [2, 2] },
    });
  });
});
