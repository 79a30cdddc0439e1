/**
 * Lock: mutual exclusion between tasks (Python's `asyncio.Lock`).
 *
 * Invariant: while the lock is unlocked and someone waits, the first waiter's future is done
 * (it was woken and will take the lock when its task runs). Every path that unlocks the lock or
 * removes a waiter keeps it: `release()` wakes the first waiter, and a waiter that leaves with a
 * CancelledError while the lock is free passes the wake-up on.
 */
import { inspect } from 'node:util';
import {
  CancelledError,
  type Coro,
  type Future,
  markCoroutineFunction,
  RuntimeError,
} from '@asyncio-ts/core-loop';
import { WOKEN, waitOn } from './internal/wait.js';
import { describeWaiters, firstWaiter, Waiters } from './internal/waiters.js';
import { withAcquired } from './internal/with-acquired.js';
import { LoopBound } from './loop-bound.js';

/**
 * A primitive lock: not owned by a task, either locked or unlocked (Python's `asyncio.Lock`).
 *
 * `acquire()` takes the lock at once when it is free and nobody waits, else waits its turn:
 * waiters get the lock in the order they asked for it, and a task that arrives while a woken
 * waiter has not yet run waits behind it (no barging). `release()` frees the lock and wakes
 * the first waiter. Any task, or a host callback outside the loop, may release it. Prefer
 * `lock.with(body)`, which releases on every exit; for more than one holder use a
 * {@link Semaphore}, to wait for a state rather than exclusive access use a {@link Condition}.
 *
 * A Lock may be created outside a running loop; it binds to the loop that first waits on it.
 * @example
 * ```ts
 * import { Lock } from '@asyncio-ts/sync-primitives';
 * const lock = new Lock();
 * function* update(shared: number[]) {
 *   yield* lock.with(function* () {
 *     shared.push(shared.length); // no other task runs this block meanwhile
 *   });
 * }
 * ```
 */
export class Lock extends LoopBound {
  #waiters: Waiters<true> | null;
  #locked: boolean;

  constructor() {
    super();
    this.#waiters = null;
    this.#locked = false;
  }

  /** Whether the lock is held. */
  locked(): boolean {
    return this.#locked;
  }

  /**
   * Takes the lock, waiting until it is free and every earlier waiter has had its turn.
   * @returns true.
   * @throws CancelledError when the task is cancelled while waiting; the lock is not taken and
   * the next waiter is woken instead when the lock is free.
   * @throws RuntimeError "... is bound to a different event loop" when it must wait on a loop
   * other than the one it is bound to.
   */
  acquire(): Coro<true> {
    return waitOn(this);
  }

  /** @internal Fair: a free lock is taken at once only when nobody is queued (cancelled waiters aside). */
  _tryPass(): boolean {
    if (this.#locked || (this.#waiters !== null && this.#waiters.anyNotCancelled())) return false;
    this.#locked = true;
    return true;
  }

  /** @internal */
  _waiters(): Waiters<true> {
    return (this.#waiters ??= new Waiters());
  }

  /** @internal */
  _leave(_future: Future<true>, outcome: unknown): void {
    if (outcome === WOKEN) this.#locked = true;
    // Cancelled while waiting, or after release() woke us but before we ran: the lock may be
    // free with a waiter behind us that nobody woke. Pass the wake-up on (bpo-32734).
    else if (outcome instanceof CancelledError && !this.#locked) this.#wakeUpFirst();
  }

  /**
   * Frees the lock and wakes the first waiter, if any. Safe from a host callback.
   * @throws RuntimeError "Lock is not acquired." when the lock is not held.
   */
  release(): void {
    if (!this.#locked) throw new RuntimeError('Lock is not acquired.');
    this.#locked = false;
    this.#wakeUpFirst();
  }

  /**
   * Runs `body` holding the lock, and releases it on every exit: return, error or
   * cancellation (Python's `async with lock:`).
   * @returns what `body` returns.
   * @throws whatever `acquire()` or `body` throws.
   */
  with<T>(body: () => Coro<T>): Coro<T> {
    return withAcquired(this, body);
  }

  /** Wakes the first waiter unless it is already woken (done) or there is none. */
  #wakeUpFirst(): void {
    const fut = firstWaiter(this.#waiters);
    if (fut !== null && !fut.done()) fut.setResult(true);
  }

  /** `<Lock [locked, waiters:1]>`, `<Lock [unlocked]>`. */
  override toString(): string {
    return `<${this.constructor.name} [${this.#locked ? 'locked' : 'unlocked'}${describeWaiters(this.#waiters)}]>`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

// Hand-written (a wait over its future), yet a coroutine function, as CPython's `async def`.
markCoroutineFunction(Lock.prototype.acquire);
