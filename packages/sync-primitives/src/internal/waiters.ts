/**
 * The waiter queue of every primitive: a FIFO of futures (Python's `collections.deque` of
 * waiters). Waiters nearly always leave from the front (the one woken goes first), which is an
 * index step here; one cancelled from the middle is spliced out, as `deque.remove` does in
 * CPython. A JavaScript Set would keep order too, but reading its first member steps over
 * every member deleted before it, which costs a lock with a thousand waiters microseconds per
 * hand-off.
 */
import type { Future } from '@asyncio-ts/core-loop';

export class Waiters<T> implements Iterable<Future<T>> {
  #items: Future<T>[] = [];
  /** Index of the oldest waiter in `#items`. */
  #head = 0;

  /** How many wait. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Queues `waiter` last. */
  add(waiter: Future<T>): void {
    this.#items.push(waiter);
  }

  /** The oldest waiter, or null when there is none. */
  first(): Future<T> | null {
    return this.#head < this.#items.length ? this.#items[this.#head]! : null;
  }

  /** Removes `waiter` wherever it is; false when it was not there. */
  delete(waiter: Future<T>): boolean {
    const items = this.#items;
    if (items[this.#head] === waiter) {
      items[this.#head] = undefined as unknown as Future<T>;
      this.#head++;
      this.#compact();
      return true;
    }
    const index = items.indexOf(waiter, this.#head);
    if (index < 0) return false;
    items.splice(index, 1);
    return true;
  }

  /** Removes every waiter. */
  clear(): void {
    this.#items = [];
    this.#head = 0;
  }

  *[Symbol.iterator](): Iterator<Future<T>> {
    const items = this.#items;
    for (let i = this.#head; i < items.length; i++) yield items[i]!;
  }

  /** Drops the consumed front once it is most of the array, so the array does not only grow. */
  #compact(): void {
    const head = this.#head;
    if (head === this.#items.length) {
      this.#items.length = 0;
      this.#head = 0;
    } else if (head >= 64 && head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(head);
      this.#head = 0;
    }
  }
}

/** The oldest waiter, or null when there is none. */
export function firstWaiter<T>(waiters: Waiters<T> | null): Future<T> | null {
  return waiters === null ? null : waiters.first();
}

/** The `, waiters:N` part of a primitive's `toString()`, empty when nobody waits. */
export function describeWaiters(waiters: Waiters<unknown> | null): string {
  return waiters !== null && waiters.size > 0 ? `, waiters:${waiters.size}` : '';
}
