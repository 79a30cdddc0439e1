/**
 * waitFor: wait for one awaitable with a time limit (Python's `asyncio.wait_for`, the 3.12+
 * version built on `timeout`).
 */
import {
  type Awaitable,
  CancelledError,
  type Coro,
  ensureFuture,
  type Future,
  getRunningLoop,
  isCoroutine,
  isFuture,
  TimeoutError,
} from '@asyncio-ts/core-loop';
import { checkTime } from './internal/arguments.js';
import { timeout } from './timeout.js';

/** What `yield*` waits on for `aw`: a coroutine or future as it is, a promise as a Future. */
function awaitableOf<T>(aw: Awaitable<T> | PromiseLike<T>): Awaitable<T> {
  if (isCoroutine(aw) || isFuture(aw)) return aw as Awaitable<T>;
  return ensureFuture(aw);
}

function releaseWaiter(waiter: Future<void>): void {
  if (!waiter.done()) waiter.setResult(undefined);
}

/**
 * Cancels `future` and waits until it is done (CPython's `_cancel_and_wait`). It waits on a
 * separate future rather than on `future` itself, so that cancelling this wait does not cancel
 * `future` a second time.
 */
function* cancelAndWait(future: Future<unknown>): Coro<void> {
  const waiter = getRunningLoop().createFuture<void>();
  const release = (): void => releaseWaiter(waiter);
  future.addDoneCallback(release);
  try {
    future.cancel();
    yield* waiter;
  } finally {
    future.removeDoneCallback(release);
  }
}

/**
 * A deadline that has already passed: the awaitable gets no time at all. A result that is
 * already there is returned; otherwise the future is cancelled and waited for, and then its
 * result (it may have ignored the cancellation) or a TimeoutError.
 */
function* waitExpired<T>(aw: Awaitable<T> | PromiseLike<T>): Coro<T> {
  const future = ensureFuture(aw);
  if (future.done()) return future.result();
  yield* cancelAndWait(future);
  try {
    return future.result();
  } catch (error) {
    if (error instanceof CancelledError) throw new TimeoutError('', { cause: error });
    throw error;
  }
}

function* awaitDirectly<T>(aw: Awaitable<T>): Coro<T> {
  return yield* aw;
}

/**
 * Waits for `aw` and returns its result, or throws {@link TimeoutError} when it takes longer
 * than `timeoutMs` (ms). On timeout a task or future is cancelled, and waited for until it has
 * finished, before the TimeoutError (whose `cause` is the CancelledError) is thrown; if it
 * ignored the cancellation and returned a value, that value is returned instead. A coroutine is
 * awaited in the current task, not wrapped in a task; a promise is wrapped with `ensureFuture`.
 * `null` waits as long as it takes; 0 or less gives an unfinished awaitable no time: a coroutine
 * is then cancelled before it starts. Cancelling the waiting task cancels `aw` too.
 *
 * Prefer {@link timeout} around several steps: one deadline for all of them.
 * @example
 * ```ts
 * import { waitFor } from '@asyncio-ts/timeouts';
 * function* main() {
 *   const body = yield* waitFor(fetch('https://example.com/'), 5_000);
 * }
 * ```
 * @throws TypeError when `timeoutMs` is neither a number nor null, or `aw` is not a coroutine,
 * a Future or a PromiseLike; RangeError when `timeoutMs` is NaN (all when awaited).
 */
export function* waitFor<T>(aw: Awaitable<T> | PromiseLike<T>, timeoutMs: number | null): Coro<T> {
  checkTime(timeoutMs, 'waitFor() timeout');
  if (timeoutMs !== null && timeoutMs <= 0) return yield* waitExpired(aw);
  const awaitable = awaitableOf(aw);
  if (timeoutMs === null) return yield* awaitable;
  return yield* timeout(timeoutMs, () => awaitDirectly(awaitable));
}
