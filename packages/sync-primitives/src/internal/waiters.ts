/**
 * The waiter queue of every primitive: a FIFO of futures (Python's `collections.deque` of
 * waiters). A Set keeps insertion order and removes any member in constant time, which a
 * waiter leaving from the middle of the queue (cancelled) needs.
 */
import type { Future } from '@asyncio-ts/core-loop';

/** The waiters, oldest first. */
export type Waiters<T> = Set<Future<T>>;

/** The oldest waiter, or null when there is none. */
export function firstWaiter<T>(waiters: Waiters<T> | null): Future<T> | null {
  if (waiters === null) return null;
  for (const waiter of waiters) return waiter;
  return null;
}

/** The `, waiters:N` part of a primitive's `toString()`, empty when nobody waits. */
export function describeWaiters(waiters: Waiters<unknown> | null): string {
  return waiters !== null && waiters.size > 0 ? `, waiters:${waiters.size}` : '';
}
