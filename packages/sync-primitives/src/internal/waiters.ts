/**
 * The waiter queue of every primitive: a FIFO of futures (Python's `collections.deque` of
 * waiters), kept in a ring buffer. Waiters nearly always leave from the front (the one woken
 * goes first), which is an index step here; one cancelled from the middle is taken out by
 * moving the ones behind it up, as `deque.remove` does in CPython. A JavaScript Set would keep
 * order too, but reading its first member steps over every member deleted before it, which
 * costs a lock with a thousand waiters microseconds per hand-off.
 */
import type { Future } from '@asyncio-ts/core-loop';

export class Waiters<T> implements Iterable<Future<T>> {
  /** A ring: `#length` waiters from `#head`, capacity a power of two. */
  #ring: (Future<T> | undefined)[] = new Array(4);
  #head = 0;
  #length = 0;

  /** How many wait. */
  get size(): number {
    return this.#length;
  }

  /** Queues `waiter` last. */
  add(waiter: Future<T>): void {
    if (this.#length === this.#ring.length) this.#grow();
    this.#ring[(this.#head + this.#length) & (this.#ring.length - 1)] = waiter;
    this.#length++;
  }

  /** The oldest waiter, or null when there is none. */
  first(): Future<T> | null {
    return this.#length === 0 ? null : this.#ring[this.#head]!;
  }

  /** Whether some waiter is not cancelled (fairness checks ask this on every acquire). */
  anyNotCancelled(): boolean {
    const ring = this.#ring;
    const mask = ring.length - 1;
    for (let i = 0; i < this.#length; i++) {
      if (!ring[(this.#head + i) & mask]!.cancelled()) return true;
    }
    return false;
  }

  /** Removes `waiter` wherever it is; false when it was not there. */
  delete(waiter: Future<T>): boolean {
    const ring = this.#ring;
    const mask = ring.length - 1;
    for (let i = 0; i < this.#length; i++) {
      if (ring[(this.#head + i) & mask] !== waiter) continue;
      if (i === 0) {
        ring[this.#head] = undefined;
        this.#head = (this.#head + 1) & mask;
      } else {
        // Close the gap: the waiters behind it move up one place, keeping their order.
        for (let j = i; j < this.#length - 1; j++) {
          ring[(this.#head + j) & mask] = ring[(this.#head + j + 1) & mask];
        }
        ring[(this.#head + this.#length - 1) & mask] = undefined;
      }
      this.#length--;
      return true;
    }
    return false;
  }

  /** Removes every waiter. */
  clear(): void {
    this.#ring = new Array(4);
    this.#head = 0;
    this.#length = 0;
  }

  *[Symbol.iterator](): Iterator<Future<T>> {
    const ring = this.#ring;
    const mask = ring.length - 1;
    for (let i = 0; i < this.#length; i++) yield ring[(this.#head + i) & mask]!;
  }

  #grow(): void {
    const grown = new Array<Future<T> | undefined>(this.#ring.length * 2);
    let i = 0;
    for (const waiter of this) grown[i++] = waiter;
    this.#ring = grown;
    this.#head = 0;
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
