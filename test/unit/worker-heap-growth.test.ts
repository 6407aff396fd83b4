import { limitHeapGrowth } from '../../src/worker/heap-growth';

describe('limitHeapGrowth', () => {
  it('sets the growth factor when node was started without one', () => {
    expect(limitHeapGrowth(['--enable-source-maps'])).toBe(true);
  });

  it('leaves an explicit --heap-growing-percent to the operator', () => {
    expect(limitHeapGrowth(['--heap-growing-percent=100'])).toBe(false);
    expect(limitHeapGrowth(['--heap_growing_percent=80'])).toBe(false);
  });
});
