/**
 * Who awaits a future: the edges of the call graph (Python's `future_add_to_awaited_by`,
 * `future_discard_from_awaited_by` and `Future._asyncio_awaited_by`).
 *
 * Two kinds of edge, kept where they cost least. A task waiting on a future is already in the
 * future's waiter list (that is how it gets woken), so that edge is read from there and costs
 * the task switch nothing. The edges that no waiter list shows (a gather's children awaited by
 * the task that gathers, a TaskGroup's children awaited by the task that runs the group, a
 * shielded future awaited by the task behind the shield) are registered explicitly, in a field
 * that stays null for the futures nobody registers, holds the one waiter for most others, and
 * becomes a Set only for a future with several.
 */
import { describeKind } from './coroutine.js';
import { Future } from './future.js';

function checkFuture(value: unknown, what: string, fn: string): asserts value is Future<unknown> {
  if (!(value instanceof Future)) {
    throw new TypeError(`${fn}() ${what} must be a Future, got ${describeKind(value)}`);
  }
}

/**
 * Records that `waiter` awaits `fut`, for call graphs ({@link futureAwaitedBy}). Tasks waiting
 * on a future are seen without this; call it for waits a combinator makes on a task's behalf
 * through done callbacks, and undo it with {@link futureDiscardFromAwaitedBy} when the wait ends.
 * @example
 * ```ts
 * import { futureAddToAwaitedBy, futureDiscardFromAwaitedBy } from '@asyncio-ts/core-loop';
 * futureAddToAwaitedBy(child, parentTask);
 * child.addDoneCallback(() => futureDiscardFromAwaitedBy(child, parentTask));
 * ```
 * @throws TypeError when `fut` or `waiter` is not a Future.
 */
export function futureAddToAwaitedBy(fut: Future<unknown>, waiter: Future<unknown>): void {
  checkFuture(fut, 'future', 'futureAddToAwaitedBy');
  checkFuture(waiter, 'waiter', 'futureAddToAwaitedBy');
  fut._addAwaitedBy(waiter);
}

/**
 * Undoes {@link futureAddToAwaitedBy}; does nothing when `waiter` was not recorded.
 * @throws TypeError when `fut` or `waiter` is not a Future.
 */
export function futureDiscardFromAwaitedBy(fut: Future<unknown>, waiter: Future<unknown>): void {
  checkFuture(fut, 'future', 'futureDiscardFromAwaitedBy');
  checkFuture(waiter, 'waiter', 'futureDiscardFromAwaitedBy');
  fut._discardAwaitedBy(waiter);
}

/**
 * The futures (mostly tasks) that await `fut`, each once: those recorded with
 * {@link futureAddToAwaitedBy}, in the order recorded, then the tasks waiting on it, in the order
 * they started waiting.
 * @throws TypeError when `fut` is not a Future.
 */
export function futureAwaitedBy(fut: Future<unknown>): Future<unknown>[] {
  checkFuture(fut, 'future', 'futureAwaitedBy');
  const waiters = new Set<Future<unknown>>();
  const recorded = fut._awaitedBy;
  if (recorded instanceof Future) waiters.add(recorded);
  else if (recorded !== null) for (const waiter of recorded) waiters.add(waiter);
  for (const callback of fut._doneCallbacks()) {
    if (callback instanceof Future) waiters.add(callback);
  }
  return [...waiters];
}
