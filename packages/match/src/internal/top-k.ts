/**
 * The `k` best ordinals by score descending, then ordinal ascending, in that order. A bounded
 * heap keeps the worst kept candidate at the root: O(n log k) instead of sorting everyone.
 */
export function topK(ords: Int32Array, count: number, score: Float64Array, k: number): number[] {
  // a is worse than b: lower score, or equal score and larger ordinal.
  const worse = (a: number, b: number) => score[a]! < score[b]! || (score[a] === score[b] && a > b);
  const heap: number[] = [];
  const siftDown = (from: number) => {
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < heap.length && worse(heap[l]!, heap[worst]!)) worst = l;
      if (r < heap.length && worse(heap[r]!, heap[worst]!)) worst = r;
      if (worst === i) return;
      [heap[i], heap[worst]] = [heap[worst]!, heap[i]!];
      i = worst;
    }
  };
  for (let t = 0; t < count; t++) {
    const o = ords[t]!;
    if (heap.length < k) {
      heap.push(o);
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(heap[i]!, heap[parent]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    } else if (k > 0 && worse(heap[0]!, o)) {
      heap[0] = o;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
}
