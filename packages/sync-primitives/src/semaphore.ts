/**
 * Semaphore and BoundedSemaphore: a counter of free slots (Python's `asyncio.Semaphore`).
 *
 * Invariant: `value` counts the slots neither held nor promised. Waking a waiter promises it a
 * slot (`value` drops when its future is set, not when it runs), so a task arriving before the
 * woken waiter runs cannot take that slot; a woken waiter that is cancelled before it runs gives
 * its slot back, and whoever leaves `acquire()` wakes as many waiters as there are free slots.
 */
import { inspect } from 'node:util';
import {
  CancelledError,
  type Coro,
  type Future,
  markCoroutineFunction,
} from '@asyncio-ts/core-loop';
import { waitOn } from './internal/wait.js';
import { describeWaiters, Waiters } from './internal/waiters.js';
import { withAcquired } from './internal/with-acquired.js';
import { LoopBound } from './loop-bound.js';

/**
 * A counter of free slots: `acquire()` takes one, waiting while there is none, `release()`
 * gives one back (Python's `asyncio.Semaphore`).
 *
 * Use it to limit how many tasks do something at once. Waiters get slots in the order they
 * asked, and a task never takes a slot ahead of an earlier waiter. `release()` never checks
 * that a slot was taken, so it can raise the count above the initial value; a
 * {@link BoundedSemaphore} refuses that. `release()` is safe from a host callback. With one
 * slot, a {@link Lock} says the same more plainly.
 *
 * A Semaphore may be created outside a running loop; it binds to the loop that first waits on it.
 * @example
 * ```ts
 * import { Semaphore } from '@asyncio-ts/sync-primitives';
 * import { sleep } from '@asyncio-ts/tasks';
 * const slots = new Semaphore(3); // at most 3 downloads at once
 * function* download(url: string) {
 *   return yield* slots.with(function* () {
 *     yield* sleep(100);
 *     return url;
 *   });
 * }
 * ```
 */
export class Semaphore extends LoopBound {
  /** @internal Free slots; BoundedSemaphore reads it. */
  protected _value: number;
  #waiters: Waiters<true> | null;

  /**
   * @param value the initial number of free slots.
   * @throws RangeError "Semaphore initial value must be >= 0" for a negative value (or NaN).
   * @throws TypeError for a value that is not a number.
   */
  constructor(value = 1) {
    super();
    if (typeof value !== 'number')
      throw new TypeError(`Semaphore initial value must be a number, got ${typeof value}`);
    if (!(value >= 0)) throw new RangeError('Semaphore initial value must be >= 0');
    this._value = value;
    this.#waiters = null;
  }

  /**
   * Whether `acquire()` would wait: no free slot, or earlier waiters (not cancelled) still to
   * be served first.
   */
  locked(): boolean {
    if (this._value === 0) return true;
    return this.#waiters !== null && this.#waiters.anyNotCancelled();
  }

  /**
   * Takes a slot, waiting until one is free and every earlier waiter was served.
   * @returns true.
   * @throws CancelledError when the task is cancelled while waiting; a slot it was already
   * promised goes to the next waiter.
   * @throws RuntimeError "... is bound to a different event loop" when it must wait on a loop
   * other than the one it is bound to.
   */
  acquire(): Coro<true> {
    return waitOn(this);
  }

  /** @internal Waiters are served first (FIFO) even when a slot is free. */
  _tryPass(): boolean {
    if (this.locked()) return false;
    this._value--;
    return true;
  }

  /** @internal */
  _waiters(): Waiters<true> {
    return (this.#waiters ??= new Waiters());
  }

  /** @internal */
  _leave(future: Future<true>, outcome: unknown): void {
    // Woken (a slot was promised to us) and then cancelled before we ran: give it back.
    if (outcome instanceof CancelledError && future.done() && !future.cancelled()) this._value++;
    // Waiters that queued behind us because of FIFO may be due now: wake as many as there are
    // free slots (gh-90155).
    while (this._value > 0 && this.#wakeUpNext()) {}
  }

  /** Gives a slot back and wakes the first waiter, if any. Safe from a host callback. */
  release(): void {
    this._value++;
    this.#wakeUpNext();
  }

  /**
   * Runs `body` holding a slot, and releases it on every exit (Python's `async with sem:`).
   * @returns what `body` returns.
   */
  with<T>(body: () => Coro<T>): Coro<T> {
    return withAcquired(this, body);
  }

  /** Promises a slot to the first waiter not yet woken. @returns whether there was one. */
  #wakeUpNext(): boolean {
    if (this.#waiters === null) return false;
    for (const fut of this.#waiters) {
      if (!fut.done()) {
        this._value--;
        fut.setResult(true);
        return true;
      }
    }
    return false;
  }

  /** `<Semaphore [unlocked, value:2]>`, `<Semaphore [locked, waiters:1]>`. */
  override toString(): string {
    const state = this.locked() ? 'locked' : `unlocked, value:${this._value}`;
    return `<${this.constructor.name} [${state}${describeWaiters(this.#waiters)}]>`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * A {@link Semaphore} that refuses to be released above its initial value (Python's
 * `asyncio.BoundedSemaphore`): a release without a matching acquire is a bug it reports.
 * @example
 * ```ts
 * import { BoundedSemaphore } from '@asyncio-ts/sync-primitives';
 * const pool = new BoundedSemaphore(2);
 * function* useConnection() {
 *   yield* pool.with(function* () {
 *     // at most 2 tasks here at once
 *   });
 * }
 * pool.release(); // RangeError: BoundedSemaphore released too many times
 * ```
 */
export class BoundedSemaphore extends Semaphore {
  readonly #boundValue: number;

  /**
   * @param value the initial and largest number of free slots.
   * @throws RangeError "Semaphore initial value must be >= 0" for a negative value.
   */
  constructor(value = 1) {
    super(value);
    this.#boundValue = value;
  }

  /**
   * Gives a slot back, as {@link Semaphore.release}.
   * @throws RangeError "BoundedSemaphore released too many times" when every slot is free
   * already.
   */
  override release(): void {
    if (this._value >= this.#boundValue)
      throw new RangeError('BoundedSemaphore released too many times');
    super.release();
  }
}

// Hand-written (a wait over its future), yet a coroutine function, as CPython's `async def`.
markCoroutineFunction(Semaphore.prototype.acquire);
