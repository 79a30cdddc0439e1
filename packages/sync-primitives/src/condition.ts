/**
 * Condition: waiting for a state of shared data under a lock (Python's `asyncio.Condition`).
 *
 * Invariant: a task leaves `wait()` holding the lock, whatever happened meanwhile (a notify, a
 * cancellation, both); and a notify is never lost: a waiter that was notified but leaves with
 * an error passes the notification on to the next waiter.
 */
import { inspect } from 'node:util';
import {
  CancelledError,
  type Coro,
  markCoroutineFunction,
  RuntimeError,
} from '@asyncio-ts/core-loop';
import { waitOn } from './internal/wait.js';
import { describeWaiters, Waiters } from './internal/waiters.js';
import { withAcquired } from './internal/with-acquired.js';
import { Lock } from './lock.js';
import { LoopBound } from './loop-bound.js';

/**
 * A condition variable: tasks wait under a lock until another task notifies them (Python's
 * `asyncio.Condition`).
 *
 * `wait()` releases the lock, waits for `notify()` / `notifyAll()`, and takes the lock again
 * before it returns, even when the task is cancelled meanwhile (the CancelledError comes out
 * after the lock is held again). `waitFor(predicate)` loops on `wait()` until the predicate is
 * truthy. The lock is a new {@link Lock} unless one is given, so several conditions can share
 * one lock. `acquire()`, `release()`, `locked()` and `with(body)` are the lock's. A wake-up may
 * be spurious: re-check the state after `wait()`, or use `waitFor`. For a one-shot signal with
 * no shared state, an {@link Event} is simpler.
 *
 * A Condition may be created outside a running loop; it binds to the loop that first waits on it.
 * @example
 * ```ts
 * import { Condition } from '@asyncio-ts/sync-primitives';
 * const cond = new Condition();
 * const items: string[] = [];
 * function* consume() {
 *   return yield* cond.with(function* () {
 *     yield* cond.waitFor(() => items.length > 0);
 *     return items.shift()!;
 *   });
 * }
 * function* produce(item: string) {
 *   yield* cond.with(function* () {
 *     items.push(item);
 *     cond.notify();
 *   });
 * }
 * ```
 */
export class Condition extends LoopBound {
  readonly #lock: Lock;
  readonly #waiters: Waiters<boolean>;

  /** @param lock the lock to use (shared with its other users); a new Lock when omitted. */
  constructor(lock?: Lock) {
    super();
    this.#lock = lock ?? new Lock();
    this.#waiters = new Waiters();
  }

  /** Whether the underlying lock is held. */
  locked(): boolean {
    return this.#lock.locked();
  }

  /**
   * Takes the underlying lock ({@link Lock.acquire}).
   * @returns true.
   * @throws CancelledError when the task is cancelled while waiting for the lock.
   */
  acquire(): Coro<true> {
    return this.#lock.acquire();
  }

  /**
   * Frees the underlying lock ({@link Lock.release}).
   * @throws RuntimeError "Lock is not acquired." when the lock is not held.
   */
  release(): void {
    this.#lock.release();
  }

  /**
   * Runs `body` holding the underlying lock, and releases it on every exit (Python's
   * `async with cond:`).
   * @returns what `body` returns.
   */
  with<T>(body: () => Coro<T>): Coro<T> {
    return withAcquired(this, body);
  }

  /**
   * Releases the lock, waits until notified, and takes the lock again before returning, even
   * when cancelled.
   * @returns true.
   * @throws RuntimeError "cannot wait on un-acquired lock" when the lock is not held.
   * @throws CancelledError when the task is cancelled while waiting (the lock is held again
   * when it comes out; the latest CancelledError wins).
   */
  *wait(): Coro<true> {
    if (!this.locked()) throw new RuntimeError('cannot wait on un-acquired lock');
    // Bound (or refused) before the lock is released, where Python makes the future.
    this._getLoop();
    this.release();
    try {
      try {
        return yield* waitOn(this);
      } finally {
        // The lock must be held again on the way out, even when cancelled. Only a
        // CancelledError is retried: any other error would make this loop spin.
        let cancelled: CancelledError | null = null;
        for (;;) {
          try {
            yield* this.acquire();
            break;
          } catch (error) {
            // biome-ignore lint/correctness/noUnsafeFinally: a non-cancellation error replaces the original, as in CPython
            if (!(error instanceof CancelledError)) throw error;
            cancelled = error;
          }
        }
        // biome-ignore lint/correctness/noUnsafeFinally: the latest CancelledError wins over the wait's outcome, as in CPython
        if (cancelled !== null) throw cancelled;
      }
    } catch (error) {
      // The error may have come after this task was notified: hand the notification to
      // another waiter, at worst a spurious wake-up, never a lost one (gh-112202).
      this.#notify(1);
      throw error;
    }
  }

  /**
   * Waits until `predicate()` is truthy, calling it first and after each wake-up, with the
   * lock held.
   * @returns the predicate's last (truthy) value.
   * @throws RuntimeError "cannot wait on un-acquired lock" when it must wait and the lock is
   * not held.
   * @throws CancelledError as {@link Condition.wait}; and whatever `predicate` throws.
   */
  *waitFor<R>(predicate: () => R): Coro<R> {
    let result = predicate();
    while (!result) {
      yield* this.wait();
      result = predicate();
    }
    return result;
  }

  /**
   * Wakes up to `n` waiting tasks, oldest first. They return from `wait()` only once they
   * take the lock, which the caller still holds. Safe from a host callback.
   * @throws RuntimeError "cannot notify on un-acquired lock" when the lock is not held.
   */
  notify(n = 1): void {
    if (!this.locked()) throw new RuntimeError('cannot notify on un-acquired lock');
    this.#notify(n);
  }

  /**
   * Wakes every waiting task.
   * @throws RuntimeError "cannot notify on un-acquired lock" when the lock is not held.
   */
  notifyAll(): void {
    this.notify(this.#waiters.size);
  }

  /** @internal `wait()` always waits. */
  _tryPass(): boolean {
    return false;
  }

  /** @internal */
  _waiters(): Waiters<boolean> {
    return this.#waiters;
  }

  /** @internal `wait()` itself takes the lock again and passes a notification on. */
  _leave(): void {}

  #notify(n: number): void {
    let woken = 0;
    for (const fut of this.#waiters) {
      if (woken >= n) break;
      if (!fut.done()) {
        woken++;
        fut.setResult(false);
      }
    }
  }

  /** `<Condition [locked, waiters:1]>`, `<Condition [unlocked]>`. */
  override toString(): string {
    return `<${this.constructor.name} [${this.locked() ? 'locked' : 'unlocked'}${describeWaiters(this.#waiters)}]>`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

// Hand-written (a wait over its future), yet a coroutine function, as CPython's `async def`.
markCoroutineFunction(Condition.prototype.acquire);
