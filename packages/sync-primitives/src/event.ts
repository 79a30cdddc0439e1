/**
 * Event: a flag that tasks wait for (Python's `asyncio.Event`).
 */
import { inspect } from 'node:util';
import { type Coro, markCoroutineFunction } from '@asyncio-ts/core-loop';
import { waitOn } from './internal/wait.js';
import { describeWaiters, Waiters } from './internal/waiters.js';
import { LoopBound } from './loop-bound.js';

/**
 * A flag, initially unset, that tasks can wait for (Python's `asyncio.Event`).
 *
 * `set()` sets it and wakes every task waiting in `wait()`; while it is set, `wait()` returns at
 * once; `clear()` unsets it again. A waiter woken by `set()` returns true even if `clear()` is
 * called before it runs. `set()` is safe from a host callback (a timer, an I/O event). To wait
 * for a condition on shared state under a lock, use a {@link Condition}; to hand over values,
 * a Queue.
 *
 * An Event may be created outside a running loop; it binds to the loop that first waits on it.
 * @example
 * ```ts
 * import { Event } from '@asyncio-ts/sync-primitives';
 * import { createTask } from '@asyncio-ts/tasks';
 * function* main() {
 *   const ready = new Event();
 *   const waiter = createTask((function* () { yield* ready.wait(); return 'go'; })());
 *   ready.set();
 *   return yield* waiter; // 'go'
 * }
 * ```
 */
export class Event extends LoopBound {
  readonly #waiters: Waiters<true>;
  #value: boolean;

  constructor() {
    super();
    this.#waiters = new Waiters();
    this.#value = false;
  }

  /** Whether the flag is set. */
  isSet(): boolean {
    return this.#value;
  }

  /** Sets the flag and wakes every waiter. Safe from a host callback. */
  set(): void {
    if (this.#value) return;
    this.#value = true;
    for (const fut of this.#waiters) if (!fut.done()) fut.setResult(true);
  }

  /** Unsets the flag: later `wait()` calls wait again until the next `set()`. */
  clear(): void {
    this.#value = false;
  }

  /**
   * Waits until the flag is set; returns at once if it is set now.
   * @returns true.
   * @throws CancelledError when the task is cancelled while waiting.
   * @throws RuntimeError "... is bound to a different event loop" when it must wait on a loop
   * other than the one it is bound to.
   */
  wait(): Coro<true> {
    return waitOn(this);
  }

  /** @internal */
  _tryPass(): boolean {
    return this.#value;
  }

  /** @internal */
  _waiters(): Waiters<true> {
    return this.#waiters;
  }

  /** @internal A woken waiter returns true whatever the flag is now: nothing to do. */
  _leave(): void {}

  /** `<Event [set]>`, `<Event [unset, waiters:2]>`. */
  override toString(): string {
    return `<${this.constructor.name} [${this.#value ? 'set' : 'unset'}${describeWaiters(this.#waiters)}]>`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

// Hand-written (a wait over its future), yet a coroutine function, as CPython's `async def`.
markCoroutineFunction(Event.prototype.wait);
