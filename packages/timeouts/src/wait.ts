/**
 * wait: wait for a set of futures until a condition holds or a timeout passes (Python's
 * `asyncio.wait` and its `_wait` helper). Nothing is cancelled on the way out: futures that are
 * not done when `wait` returns come back in the pending set.
 */
import {
  type Context,
  type Coro,
  copyContext,
  type EventLoop,
  ensureFuture,
  type Future,
  futureAddToAwaitedBy,
  futureDiscardFromAwaitedBy,
  getRunningLoop,
  isCoroutine,
  type TimerHandle,
} from '@asyncio-ts/core-loop';
import { currentTask } from '@asyncio-ts/tasks';
import { distinctInputs, timeoutOption } from './internal/arguments.js';

/** {@link wait} returns as soon as any future is done or cancelled. */
export const FIRST_COMPLETED = 'FIRST_COMPLETED' as const;
/**
 * {@link wait} returns as soon as a future finished with an exception (a cancelled future does
 * not count), or when all are done.
 */
export const FIRST_EXCEPTION = 'FIRST_EXCEPTION' as const;
/** {@link wait} returns when every future is done or cancelled (the default). */
export const ALL_COMPLETED = 'ALL_COMPLETED' as const;

/** When {@link wait} returns: one of its three constants. */
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

/** What {@link wait} takes besides the futures. */
export interface WaitOptions {
  /** Milliseconds to wait at most; null, undefined or Infinity wait without limit. */
  timeout?: number | null | undefined;
  /** When to return; {@link ALL_COMPLETED} when left out. */
  returnWhen?: ReturnWhen | undefined;
}

/**
 * Waits until the futures in `aws` satisfy `returnWhen`, or until `timeout` ms passed, and
 * returns `[done, pending]`: the futures that are done and those that are not, each once,
 * in the order first given. It never throws their errors and never cancels them; read
 * `result()` or `exception()` of the done ones, and cancel the pending ones if they are no
 * longer wanted. A PromiseLike is wrapped in a Future first (with `ensureFuture`), and it is
 * that wrapper, not the promise, that appears in the returned sets. A future given twice is
 * waited for once.
 *
 * Cancelling the task that waits stops the wait only: the futures go on.
 * @example
 * ```ts
 * import { createTask, sleep } from '@asyncio-ts/tasks';
 * import { FIRST_COMPLETED, wait } from '@asyncio-ts/timeouts';
 *
 * function* main() {
 *   const fast = createTask(sleep(100, 'fast'));
 *   const slow = createTask(sleep(5000, 'slow'));
 *   const [done, pending] = yield* wait([fast, slow], { returnWhen: FIRST_COMPLETED });
 *   // after 100 ms: done holds fast, pending holds slow
 *   for (const task of pending) task.cancel();
 * }
 * ```
 * @throws TypeError when `aws` is a single future or coroutine rather than a collection, when
 * it holds a coroutine (wrap each in a task with `createTask()`) or something that is not
 * awaitable, or when `timeout` is not a number; RangeError when `aws` is empty, `returnWhen`
 * is not one of the three constants, `timeout` is NaN, or a future belongs to another loop;
 * RuntimeError outside a running loop. All of them when the returned coroutine is awaited,
 * as CPython's `wait` is a coroutine function.
 */
export function* wait<T>(
  aws: Iterable<Future<T> | PromiseLike<T>>,
  options?: WaitOptions,
): Coro<[done: Set<Future<T>>, pending: Set<Future<T>>]> {
  const inputs = distinctInputs(aws, 'a list');
  if (inputs.size === 0) throw new RangeError('Set of Tasks/Futures is empty.');
  const returnWhen = options?.returnWhen ?? ALL_COMPLETED;
  if (!isReturnWhen(returnWhen)) {
    throw new RangeError(`Invalid return_when value: ${String(returnWhen)}`);
  }
  const timeout = timeoutOption(options?.timeout, 'wait');
  for (const input of inputs) {
    if (isCoroutine(input)) {
      throw new TypeError(
        'Passing coroutines is forbidden, use tasks explicitly: wrap each coroutine in a task with createTask()',
      );
    }
  }
  const loop = getRunningLoop();
  const futures = new Set<Future<T>>();
  for (const input of inputs) futures.add(ensureFuture(input, { loop }));
  return yield* waitForFutures(futures, timeout, returnWhen, loop);
}

function isReturnWhen(value: unknown): value is ReturnWhen {
  return value === FIRST_COMPLETED || value === FIRST_EXCEPTION || value === ALL_COMPLETED;
}

function releaseWaiter(waiter: Future<void>): void {
  if (!waiter.done()) waiter.setResult(undefined);
}

/**
 * Python's `_wait`: one done callback on every future counts completions and releases the
 * waiter when `returnWhen` holds. Even when every future is done already the callbacks are
 * queued and the waiter awaited, so `wait` always gives up the loop at least once, as CPython.
 */
function* waitForFutures<T>(
  futures: Set<Future<T>>,
  timeout: number | null,
  returnWhen: ReturnWhen,
  loop: EventLoop,
): Coro<[Set<Future<T>>, Set<Future<T>>]> {
  const waiter = loop.createFuture<void>();
  const timer: TimerHandle | null =
    timeout === null ? null : loop.callLater(timeout, releaseWaiter, waiter);
  let left = futures.size;
  const onCompletion = (future: Future<T>): void => {
    left--;
    if (
      left <= 0 ||
      returnWhen === FIRST_COMPLETED ||
      (returnWhen === FIRST_EXCEPTION && !future.cancelled() && future.exception() !== null)
    ) {
      timer?.cancel();
      releaseWaiter(waiter);
    }
  };
  // One context for all the callbacks: they read no context variable, so a copy per future
  // would only cost allocations.
  const callbackOptions: { context: Context } = { context: copyContext() };
  // The waiting task awaits each future, for call graphs (CPython's _wait records the same).
  const task = currentTask(loop);
  for (const future of futures) {
    future.addDoneCallback(onCompletion, callbackOptions);
    if (task !== null) futureAddToAwaitedBy(future, task);
  }
  try {
    yield* waiter;
  } finally {
    timer?.cancel();
    for (const future of futures) {
      future.removeDoneCallback(onCompletion);
      if (task !== null) futureDiscardFromAwaitedBy(future, task);
    }
  }
  const done = new Set<Future<T>>();
  const pending = new Set<Future<T>>();
  for (const future of futures) (future.done() ? done : pending).add(future);
  return [done, pending];
}
