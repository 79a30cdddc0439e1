/**
 * A FIFO queue on a power-of-two ring buffer: push and shift without reallocating or moving
 * elements (an Array's `shift()` is O(n) once it leaves V8's fast path). It grows by doubling.
 * The loop's ready queue; exported for the packages built on the loop (a Queue's items).
 * @example
 * ```ts
 * const fifo = new RingQueue<string>(16);
 * fifo.push('a');
 * fifo.push('b');
 * fifo.shift(); // 'a'
 * ```
 */
export class RingQueue<T> implements Iterable<T> {
  #items: (T | undefined)[];
  #head: number;
  #length: number;
  #mask: number;

  constructor(capacity = 1024) {
    let size = 16;
    while (size < capacity) size *= 2;
    this.#items = new Array(size).fill(undefined);
    this.#head = 0;
    this.#length = 0;
    this.#mask = size - 1;
  }

  get length(): number {
    return this.#length;
  }

  push(item: T): void {
    if (this.#length > this.#mask) this.#grow();
    this.#items[(this.#head + this.#length) & this.#mask] = item;
    this.#length++;
  }

  /** Removes and returns the oldest item. The caller checks `length` first (empty: undefined). */
  shift(): T {
    const items = this.#items;
    const head = this.#head;
    const item = items[head] as T;
    items[head] = undefined;
    this.#head = (head + 1) & this.#mask;
    this.#length--;
    return item;
  }

  clear(): void {
    this.#items.fill(undefined);
    this.#head = 0;
    this.#length = 0;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.#length; i++) yield this.#items[(this.#head + i) & this.#mask] as T;
  }

  #grow(): void {
    const old = this.#items;
    const size = old.length * 2;
    const items = new Array<T | undefined>(size).fill(undefined);
    for (let i = 0; i < this.#length; i++) items[i] = old[(this.#head + i) & this.#mask];
    this.#items = items;
    this.#head = 0;
    this.#mask = size - 1;
  }
}
