/**
 * Bringing a promise into the loop: a Future that settles with it (Python's `wrap_future`).
 */
import type { EventLoop } from './event-loop.js';
import { Future } from './future.js';
import { getEventLoop } from './running-loop.js';

/**
 * A Future on `loop` (default: the running or current loop) that settles as `promise` does.
 * Cancelling the future does not stop a plain promise (use `abortable` for work that can stop);
 * a thenable with a `cancel()` method, as an executor's job, is cancelled with the future, as
 * CPython's `wrap_future` cancels the concurrent future it wraps.
 * @example
 * ```ts
 * function* main() {
 *   const text = yield* wrapFuture(fs.promises.readFile('a.txt', 'utf8'));
 * }
 * ```
 */
export function wrapFuture<T>(promise: PromiseLike<T>, options?: { loop?: EventLoop }): Future<T> {
  const loop = options?.loop ?? getEventLoop();
  const future = new Future<T>({ loop });
  const settle = (set: () => void): void => {
    if (!future.done() && !loop.isClosed()) set();
  };
  try {
    promise.then(
      (value) => settle(() => future.setResult(value)),
      (error: unknown) => settle(() => future.setException(error)),
    );
  } catch (error) {
    future.setException(error);
  }
  const cancelSource = (promise as { cancel?: unknown }).cancel;
  if (typeof cancelSource === 'function') {
    future.addDoneCallback((done) => {
      if (done.cancelled()) cancelSource.call(promise);
    });
  }
  return future;
}
