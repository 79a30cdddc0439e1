/**
 * shield: wait for an awaitable without letting the waiter's cancellation reach it (Python's
 * `asyncio.shield`).
 */
import {
  type Awaitable,
  ensureFuture,
  type Future,
  futureAddToAwaitedBy,
  futureDiscardFromAwaitedBy,
} from '@asyncio-ts/core-loop';
import { currentTask } from '@asyncio-ts/tasks';

/**
 * A future that follows `aw` but can be cancelled on its own: cancelling it (as happens when the
 * task awaiting it is cancelled) leaves `aw` running. `yield* shield(task)` is `yield* task`
 * except that the task's cancellation stops at the shield: the awaiting coroutine still gets its
 * `CancelledError`, the shielded work does not.
 *
 * `aw` goes through `ensureFuture`: a coroutine becomes a task, a PromiseLike is wrapped. When
 * that future is already done it is returned as it is. If `aw` itself is cancelled (by other
 * means), the shield is cancelled too.
 *
 * Once the shield is cancelled nobody awaits `aw` any more, so an error it ends with later is
 * reported to the loop's exception handler ("TypeError exception in shielded future") instead of
 * being lost, as CPython 3.12+ does; a later result is simply dropped.
 *
 * The inner future stays reachable from the shield (through its done callback) while both are
 * pending, and a task stays reachable from what it waits on; keep your own reference to a task
 * you need after the shield is gone, as CPython advises.
 * @example
 * ```ts
 * import { shield } from '@asyncio-ts/task-groups';
 * import { CancelledError, createTask } from 'asyncio-ts';
 *
 * function* handler() {
 *   const save = createTask(saveToDatabase());
 *   try {
 *     yield* shield(save); // a cancelled handler does not interrupt the save
 *   } catch (e) {
 *     if (e instanceof CancelledError) console.log('handler cancelled, save goes on');
 *     throw e;
 *   }
 * }
 * ```
 * @throws TypeError when `aw` is not a future, coroutine or PromiseLike; RuntimeError "There is
 * no current event loop" when a coroutine or promise is shielded outside any loop.
 */
export function shield<T>(aw: Awaitable<T> | PromiseLike<T>): Future<T> {
  const inner = ensureFuture(aw);
  if (inner.done()) return inner;
  const loop = inner.getLoop();
  const outer = loop.createFuture<T>();
  // The task behind the shield awaits `inner` through callbacks no waiter list shows: recorded
  // for call graphs until `inner` is done, even when the shield is cancelled first (as CPython).
  const awaiter = currentTask(loop);
  if (awaiter !== null) {
    futureAddToAwaitedBy(inner, awaiter);
    inner.addDoneCallback(forgetAwaiter(awaiter));
  }

  const copyInnerOutcome = (): void => {
    if (outer.cancelled()) return;
    if (inner.cancelled()) {
      outer.cancel();
      return;
    }
    const exc = inner.exception();
    if (exc !== null) outer.setException(exc);
    else outer.setResult(inner.result());
  };

  const detachWhenOuterDone = (): void => {
    if (inner.done()) return;
    inner.removeDoneCallback(copyInnerOutcome);
    // Shielding the same future again and cancelling again must not report its error twice.
    inner.removeDoneCallback(reportShieldedError);
    inner.addDoneCallback(reportShieldedError);
  };

  inner.addDoneCallback(copyInnerOutcome);
  outer.addDoneCallback(detachWhenOuterDone);
  return outer;
}

/**
 * The done callback that removes the awaited-by edge. Made outside `shield` so that it holds
 * the awaiter only, not the closure scope that holds the shield: a cancelled shield must stay
 * collectable while the inner future runs on.
 */
function forgetAwaiter(awaiter: Future<unknown>): (inner: Future<unknown>) => void {
  return (inner) => futureDiscardFromAwaitedBy(inner, awaiter);
}

/** CPython's `_log_on_exception`: the error of a future whose shield was cancelled. */
function reportShieldedError(inner: Future<unknown>): void {
  if (inner.cancelled()) return;
  const exc = inner.exception();
  if (exc === null) return;
  inner.getLoop().callExceptionHandler({
    message: `${nameOf(exc)} exception in shielded future`,
    exception: exc,
    future: inner,
  });
}

function nameOf(exc: unknown): string {
  const ctor = (exc as { constructor?: { name?: unknown } } | undefined)?.constructor;
  return typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : typeof exc;
}
