/**
 * abortable: a promise-returning operation that stops when the task waiting on it is cancelled.
 */
import { describeKind, type Future, getEventLoop, wrapFuture } from '@asyncio-ts/core-loop';

/**
 * Starts `start(signal)` and returns a Future of its promise. Cancelling the future (for
 * instance by cancelling the task that waits on it) aborts `signal`, with the cancel message as
 * the abort reason, so work such as `fetch(url, { signal })` stops with the task.
 * @example
 * ```ts
 * function* main() {
 *   const res = yield* abortable((signal) => fetch('http://127.0.0.1:8080/', { signal }));
 * }
 * ```
 */
export function abortable<T>(start: (signal: AbortSignal) => PromiseLike<T>): Future<T> {
  if (typeof start !== 'function') {
    throw new TypeError(
      `abortable() expects a function of an AbortSignal, got ${describeKind(start)}`,
    );
  }
  const controller = new AbortController();
  let promise: PromiseLike<T>;
  try {
    promise = start(controller.signal);
  } catch (error) {
    promise = Promise.reject(error);
  }
  const future = wrapFuture(promise, { loop: getEventLoop() });
  future.addDoneCallback((f) => {
    if (f.cancelled()) controller.abort(f._cancelMessage ?? 'cancelled');
  });
  return future;
}
