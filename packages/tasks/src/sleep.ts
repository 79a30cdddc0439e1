/**
 * sleep: suspend the current task for a while (Python's `asyncio.sleep`).
 */
import { type Coro, describeKind, type Future, getRunningLoop } from '@asyncio-ts/core-loop';

function setResultUnlessCancelled<T>(future: Future<T>, value: T): void {
  if (!future.cancelled()) future.setResult(value);
}

/**
 * Suspends the calling task for `ms` milliseconds, then returns `value`. `sleep(0)` (or any
 * delay <= 0) gives the loop up for one iteration, like a bare `yield`. Cancelling the sleeping
 * task cancels the timer.
 * @example
 * ```ts
 * function* main() {
 *   const v = yield* sleep(1000, 'done'); // one second later: 'done'
 * }
 * ```
 * @throws TypeError when `ms` is not a number; RangeError when it is NaN.
 */
export function* sleep<T = undefined>(ms: number, value?: T): Coro<T> {
  if (typeof ms !== 'number') {
    throw new TypeError(`sleep() delay must be a number, got ${describeKind(ms)}`);
  }
  if (Number.isNaN(ms)) throw new RangeError('Invalid delay: NaN (not a number)');
  if (ms <= 0) {
    yield;
    return value as T;
  }
  const loop = getRunningLoop();
  const future = loop.createFuture<T>();
  const timer = loop.callLater(ms, setResultUnlessCancelled, future, value as T);
  try {
    return yield* future;
  } finally {
    timer.cancel();
  }
}
