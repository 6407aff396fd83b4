import { limitHeapGrowth, limitYoungGeneration } from '../../src/worker/heap-growth';

describe('limitHeapGrowth', () => {
  it('sets the growth factor when node was started without one', () => {
    expect(limitHeapGrowth(['--enable-source-maps'])).toBe(true);
  });

  it('leaves an explicit --heap-growing-percent to the operator', () => {
    expect(limitHeapGrowth(['--heap-growing-percent=100'])).toBe(false);
    expect(limitHeapGrowth(['--heap_growing_percent=80'])).toBe(false);
  });
});

describe('limitYoungGeneration', () => {
  it('caps the semi-space when node was started without a size', () => {
    expect(limitYoungGeneration(['--enable-source-maps'])).toBe(true);
  });

  it('leaves an explicit --max-semi-space-size to the operator', () => {
    expect(limitYoungGeneration(['--max-semi-space-size=16'])).toBe(false);
    expect(limitYoungGeneration(['--max_semi_space_size=8'])).toBe(false);
  });
});
