import { describe, expect, it } from 'vitest';
import { partition, partitionBounds, partitions } from '../src/partition.js';

describe('partition', () => {
  it('balances contiguous parts, earlier parts larger', () => {
    expect(partitions([1, 2, 3, 4, 5], 3)).toEqual([[1, 2], [3, 4], [5]]);
    expect(partitions(['a', 'b'], 2)).toEqual([['a'], ['b']]);
    expect(partition([1, 2, 3, 4, 5, 6], 2, 3)).toEqual([3, 4]);
  });
  it('covers every item exactly once, in order, for many sizes', () => {
    for (let n = 0; n <= 40; n++) {
      const items = Array.from({ length: n }, (_, i) => i);
      for (let k = 1; k <= Math.max(1, n); k++) {
        const parts = partitions(items, k);
        expect(parts.flat()).toEqual(items);
        const sizes = parts.map((p) => p.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
      }
    }
  });
  it('refuses parts that do not exist', () => {
    expect(() => partitionBounds(3, 0, 2)).toThrow(RangeError);
    expect(() => partitionBounds(3, 3, 2)).toThrow(RangeError);
    expect(() => partitionBounds(3, 1, 0)).toThrow(RangeError);
  });
});
