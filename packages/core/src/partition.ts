/**
 * The one split rule: `n` items in `k` contiguous, balanced parts, earlier parts one larger when
 * the division leaves a remainder (5 in 3 → 2, 2, 1). setup-go-matrix's build groups and
 * multiarch-build's `split: i/n` both use it, so a group's table row is exactly what its split job
 * builds.
 */
export function partitionBounds(n: number, index: number, total: number): { from: number; to: number } {
  if (!Number.isInteger(total) || total < 1) throw new RangeError(`partition: total ${total} is not a positive whole number`);
  if (!Number.isInteger(index) || index < 1 || index > total) throw new RangeError(`partition: part ${index} is not in 1..${total}`);
  const base = Math.floor(n / total);
  const extra = n % total;
  const from = (index - 1) * base + Math.min(index - 1, extra);
  return { from, to: from + base + (index - 1 < extra ? 1 : 0) };
}

/** Part `index` (1-based) of `total` of `items`. */
export function partition<T>(items: readonly T[], index: number, total: number): T[] {
  const { from, to } = partitionBounds(items.length, index, total);
  return items.slice(from, to);
}

/** Every part, in order. */
export function partitions<T>(items: readonly T[], total: number): T[][] {
  return Array.from({ length: total }, (_, i) => partition(items, i + 1, total));
}
