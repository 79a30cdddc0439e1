/**
 * Deque: a double-ended queue on a growable ring buffer (Python's `collections.deque`, as far as
 * the queues need it). `push` and `shift` are O(1), where `Array.prototype.shift` copies the
 * whole array once it is large. Not exported from the package.
 */
export class Deque<T> implements Iterable<T> {
  #buffer: (T | undefined)[];
  /** Index of the first item in `#buffer`. */
  #head: number;
  #length: number;

  constructor() {
    this.#buffer = new Array<T | undefined>(8);
    this.#head = 0;
    this.#length = 0;
  }

  /** How many items it holds. */
  get length(): number {
    return this.#length;
  }

  /** Appends `item` at the right end. */
  push(item: T): void {
    if (this.#length === this.#buffer.length) this.#grow();
    this.#buffer[(this.#head + this.#length) % this.#buffer.length] = item;
    this.#length++;
  }

  /**
   * Removes and returns the leftmost item (Python's `popleft`).
   * @throws RangeError when it is empty.
   */
  shift(): T {
    if (this.#length === 0) throw new RangeError('shift() from an empty deque');
    const item = this.#buffer[this.#head] as T;
    this.#buffer[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#buffer.length;
    this.#length--;
    return item;
  }

  *[Symbol.iterator](): Iterator<T> {
    const capacity = this.#buffer.length;
    for (let i = 0; i < this.#length; i++) yield this.#buffer[(this.#head + i) % capacity] as T;
  }

  /** Doubles the buffer, moving the items to its start in order. */
  #grow(): void {
    const buffer: (T | undefined)[] = [...this];
    buffer.length = Math.max(2 * buffer.length, 8);
    this.#buffer = buffer;
    this.#head = 0;
  }
}
