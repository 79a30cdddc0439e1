/**
 * PriorityQueue: a Queue whose storage is a binary min-heap (Python's `asyncio.PriorityQueue`
 * on `heapq`). The heap moves items exactly as `heapq.heappush` / `heapq.heappop` do, so items
 * that compare equal come out in the same order as in CPython.
 */
import { describeKind } from '@asyncio-ts/core-loop';
import { Queue } from './queue.js';

/**
 * Orders two items: negative when `a` comes out first, positive when `b` does, 0 when they are
 * equal.
 */
export type Comparator<T> = (a: T, b: T) => number;

/** Options of {@link PriorityQueue}. */
export interface PriorityQueueOptions<T> {
  /** How items are ordered, lowest first. Default: {@link PriorityQueue}'s Python-like order. */
  compare?: Comparator<T>;
}

/**
 * A {@link Queue} that hands out the lowest item first (Python's `asyncio.PriorityQueue`).
 *
 * Items are ordered by `compare`. The default compares the way Python compares them:
 * - numbers, bigints and booleans by value (`false` is 0, `true` is 1);
 * - strings by code point;
 * - arrays like Python tuples: element by element, the first pair that is not `===` decides, and
 *   a prefix comes first. So `[priority, data]` entries are ordered by priority, and by `data`
 *   when priorities tie.
 *
 * Anything else (two objects, a number and a string) cannot be compared: `putNowait()` or
 * `put()` throws a TypeError and the queue is left as it was. For objects, give a `compare`, or
 * put `[priority, sequenceNumber, object]` entries so that two objects are never compared.
 * Items that compare equal come out in the same order as from CPython's heap, which is not
 * the order they were put in.
 * @typeParam T - the type of the items.
 * @example
 * ```ts
 * import { PriorityQueue } from '@asyncio-ts/sync-primitives';
 *
 * const jobs = new PriorityQueue<[number, string]>();
 * jobs.putNowait([2, 'write']);
 * jobs.putNowait([1, 'read']);
 * jobs.getNowait(); // [1, 'read']
 *
 * const byDeadline = new PriorityQueue<{ deadline: number }>(0, {
 *   compare: (a, b) => a.deadline - b.deadline,
 * });
 * ```
 */
export class PriorityQueue<T = unknown> extends Queue<T> {
  /** The heap: `_queue[i]` comes out no later than its children `2i + 1` and `2i + 2`. */
  declare protected _queue: T[];
  readonly #compare: Comparator<T>;

  /**
   * @param maxsize - how many items it may hold; 0 (the default) or `Infinity` for no bound.
   * @param options - `compare`: how items are ordered, lowest first.
   * @throws TypeError when `maxsize` is not a number or `compare` is not a function; RangeError
   * when `maxsize` is negative, NaN or not a whole number.
   */
  constructor(maxsize = 0, options?: PriorityQueueOptions<T>) {
    super(maxsize);
    const compare = options?.compare ?? (compareLikePython as Comparator<T>);
    if (typeof compare !== 'function') {
      throw new TypeError(`compare must be a function, got ${describeKind(compare)}`);
    }
    this.#compare = compare;
  }

  protected override init(_maxsize: number): void {
    this._queue = [];
  }

  /**
   * Adds `item` to the heap (`heapq.heappush`). Every comparison is made before the heap changes,
   * so a comparison that throws leaves the heap as it was.
   */
  protected override putItem(item: T): void {
    const heap = this._queue;
    // Where `item` settles: climb while it comes out before its parent.
    let pos = heap.length;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      if (this.#compare(item, heap[parent]!) < 0) pos = parent;
      else break;
    }
    // Move each ancestor on the way down one level, then place the item.
    let hole = heap.length;
    heap.push(item);
    while (hole > pos) {
      const parent = (hole - 1) >> 1;
      heap[hole] = heap[parent]!;
      hole = parent;
    }
    heap[pos] = item;
  }

  /**
   * Takes the lowest item out of the heap (`heapq.heappop`): the last item fills the root's place
   * by moving the hole down to a leaf along the smaller children, then climbing back while it
   * comes out before its parent (heapq's bottom-up variant, which decides the order of equal
   * items). Every comparison is made before the heap changes.
   */
  protected override getItem(): T {
    const heap = this._queue;
    const size = heap.length - 1; // the size after the last item moves into the hole
    if (size === 0) return heap.pop()!;
    const last = heap[size]!;
    // The path of the hole from the root to a leaf, along the smaller child.
    const path = [0];
    let pos = 0;
    let child = 1;
    while (child < size) {
      const right = child + 1;
      if (right < size && !(this.#compare(heap[child]!, heap[right]!) < 0)) child = right;
      pos = child;
      path.push(pos);
      child = 2 * pos + 1;
    }
    // How far up the path `last` climbs back: past every item it comes out before.
    let settle = path.length - 1;
    while (settle > 0 && this.#compare(last, heap[path[settle]!]!) < 0) settle--;
    const lowest = heap[0]!;
    for (let i = 0; i < settle; i++) heap[path[i]!] = heap[path[i + 1]!]!;
    heap[path[settle]!] = last;
    heap.length = size;
    return lowest;
  }
}

/**
 * The default order of a {@link PriorityQueue}: Python's `<` on numbers, strings and tuples.
 * @throws TypeError for values Python could not compare either.
 */
function compareLikePython(a: unknown, b: unknown): number {
  const kindA = orderKind(a);
  const kindB = orderKind(b);
  if (kindA !== kindB || kindA === 'other') {
    throw new TypeError(
      `'<' not supported between instances of '${describeKind(a)}' and '${describeKind(b)}': ` +
        'PriorityQueue compares numbers, bigints, strings and arrays of them; give a compare ' +
        'function for other items',
    );
  }
  if (kindA === 'array') {
    const x = a as readonly unknown[];
    const y = b as readonly unknown[];
    const common = Math.min(x.length, y.length);
    for (let i = 0; i < common; i++) {
      if (x[i] !== y[i]) return compareLikePython(x[i], y[i]);
    }
    return x.length - y.length;
  }
  if (kindA === 'string') return compareCodePoints(a as string, b as string);
  const x = a as number | bigint | boolean;
  const y = b as number | bigint | boolean;
  return x < y ? -1 : x > y ? 1 : 0;
}

function orderKind(value: unknown): 'number' | 'string' | 'array' | 'other' {
  switch (typeof value) {
    case 'number':
    case 'bigint':
    case 'boolean':
      return 'number';
    case 'string':
      return 'string';
    default:
      return Array.isArray(value) ? 'array' : 'other';
  }
}

/** Compares strings by code point, as Python does (JavaScript's `<` compares UTF-16 units). */
function compareCodePoints(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(j)!;
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
    j += y > 0xffff ? 2 : 1;
  }
  return a.length - i - (b.length - j);
}
