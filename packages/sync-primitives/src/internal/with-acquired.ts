/**
 * The body of `.with(body)` on Lock, Condition, Semaphore and BoundedSemaphore: Python's
 * `async with primitive:` (`_ContextManagerMixin`), written once.
 */
import type { Coro } from '@asyncio-ts/core-loop';

/** What `.with(body)` needs of a primitive: an acquiring coroutine and a release. */
export interface Acquirable {
  acquire(): Coro<true>;
  release(): void;
}

/**
 * Acquires `primitive`, runs `body` and releases it on every way out of the body: its return,
 * its error, and a CancelledError thrown in while it waits. An acquire that fails (cancelled
 * while waiting for the primitive) acquired nothing, so nothing is released.
 * @returns what `body` returns.
 */
export function* withAcquired<T>(primitive: Acquirable, body: () => Coro<T>): Coro<T> {
  yield* primitive.acquire();
  try {
    return yield* body();
  } finally {
    primitive.release();
  }
}
