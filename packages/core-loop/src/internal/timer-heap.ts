/**
 * A binary min-heap of timers ordered by deadline, ties broken by scheduling order, so timers
 * due at the same time run in the order they were scheduled.
 */
export interface HeapTimer {
  /** The deadline, in loop time (ms). */
  _when: number;
  /** The scheduling order, unique per loop. */
  _seq: number;
}

function before(a: HeapTimer, b: HeapTimer): boolean {
  return a._when < b._when || (a._when === b._when && a._seq < b._seq);
}

export class TimerHeap<T extends HeapTimer> {
  #items: T[] = [];

  get length(): number {
    return this.#items.length;
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  push(timer: T): void {
    const items = this.#items;
    let i = items.length;
    items.push(timer);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (!before(timer, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = timer;
  }

  /** Removes and returns the earliest timer; the caller checks `length` first. */
  pop(): T {
    const items = this.#items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) this.#siftDown(last, 0);
    return top;
  }

  /** Keeps only the timers `keep` accepts, then restores the heap order in O(n). */
  filter(keep: (timer: T) => boolean): void {
    const items = this.#items.filter(keep);
    this.#items = items;
    for (let i = (items.length >> 1) - 1; i >= 0; i--) this.#siftDown(items[i]!, i);
  }

  clear(): void {
    this.#items = [];
  }

  values(): readonly T[] {
    return this.#items;
  }

  #siftDown(timer: T, i: number): void {
    const items = this.#items;
    const n = items.length;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && before(items[right]!, items[child]!)) child = right;
      const c = items[child]!;
      if (!before(c, timer)) break;
      items[i] = c;
      i = child;
    }
    items[i] = timer;
  }
}
