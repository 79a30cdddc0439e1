/**
 * A wait on a primitive, written once: what Python writes in each primitive as
 *
 *     if <nobody has to wait>: <take it>; return True
 *     fut = self._get_loop().create_future(); self._waiters.append(fut)
 *     try: await fut
 *     finally: self._waiters.remove(fut)
 *
 * `lock.acquire()`, `semaphore.acquire()`, `event.wait()` and the wait inside `condition.wait()`
 * return this coroutine object; each primitive says only how to pass at once and what to do
 * after leaving the queue.
 *
 * A generator doing the same would keep a frame and a register file for as long as it waits,
 * and its `yield* fut` an iterator over the future. This object is its own iterator over the
 * future, so a pending wait is this object and its future; a wait that passes at once is this
 * object. It cannot be the future as well: ensureFuture, gather and waitFor take any Future
 * as it is, and a coroutine that were also a Future would never be run.
 */
import {
  type Coro,
  type EventLoop,
  type Future,
  RuntimeError,
  recordSuspension,
  recordsSuspensions,
  type Yieldable,
} from '@asyncio-ts/core-loop';
import type { Waiters } from './waiters.js';

/** How a wait ended when its future was woken (set by the primitive), for `_leave`. */
export const WOKEN: unique symbol = Symbol('woken');
/** How a wait ended when its coroutine was closed (`return()`) while it waited, for `_leave`. */
export const CLOSED: unique symbol = Symbol('closed');

/** What a wait needs from its primitive. */
export interface WaitSite<T> {
  /**
   * The fast path: goes through at once when nobody has to wait, taking what the caller came
   * for (the lock, a slot). False to wait in the queue instead.
   * @internal
   */
  _tryPass(): boolean;
  /**
   * The loop to wait on, binding the primitive to it ({@link LoopBound}'s `_getLoop`).
   * @internal
   */
  _getLoop(): EventLoop;
  /** The queue of waiters' futures. @internal */
  _waiters(): Waiters<T>;
  /**
   * Called once the future has left the queue: `outcome` is {@link WOKEN}, {@link CLOSED}, or
   * the error that ends the wait (a CancelledError, most often), which is thrown after.
   * @internal
   */
  _leave(future: Future<T>, outcome: unknown): void;
}

/** A wait on `site`: a coroutine returning true once it went through. */
export function waitOn<T>(site: WaitSite<T>): Coro<true> {
  return new PrimitiveWait(site) as unknown as Coro<true>;
}

/**
 * The coroutine object: not started while it has a site and no value, waiting while it has a
 * site and its future as the value, finished once it has no site. It is also the iterator
 * result it gives (`value`, `done`): the coroutine that waits keeps the last result it was
 * given for as long as it waits, which would otherwise be one more object per pending wait.
 * Its methods are TypeScript-private, since a `#method` costs every instance a brand word.
 */
class PrimitiveWait<T> implements Iterator<Yieldable, true, unknown> {
  value: Yieldable | true;
  done: boolean;
  #site: WaitSite<T> | null;

  constructor(site: WaitSite<T>) {
    this.value = undefined;
    this.done = false;
    this.#site = site;
  }

  next(): IteratorResult<Yieldable, true> {
    const future = this._future();
    if (future === null) {
      const site = this.#site;
      if (site === null) return { value: undefined as never, done: true };
      const queued = this._start(site);
      if (queued === null) return this._finished();
      // What `yield* future` would record, for Task.getStack() and call graphs: the stack of
      // the suspension. Taken here, so that it shows this one frame of the wait.
      this.value = queued;
      if (recordsSuspensions(queued.getLoop())) recordSuspension();
      return this as IteratorResult<Yieldable, true>;
    }
    // Resumed before the future is done: not driven by a Task, which resumes only then.
    if (!future.done()) this._fail(future, new RuntimeError("await wasn't used with future"));
    let outcome: unknown = WOKEN;
    try {
      future.result();
    } catch (error) {
      outcome = error;
    }
    if (outcome !== WOKEN) this._fail(future, outcome);
    this._leave(future, WOKEN);
    return this._finished();
  }

  throw(exc: unknown): IteratorResult<Yieldable, true> {
    const future = this._future();
    if (future !== null) this._fail(future, exc);
    this.#site = null;
    throw exc;
  }

  return(value?: true): IteratorResult<Yieldable, true> {
    const future = this._future();
    if (future !== null) this._leave(future, CLOSED);
    this.#site = null;
    return { value: value as true, done: true };
  }

  [Symbol.iterator](): this {
    return this;
  }

  /** The future it waits on, or null when it is not waiting. */
  private _future(): Future<T> | null {
    return this.#site !== null && this.value !== undefined ? (this.value as Future<T>) : null;
  }

  /** The result of a wait that went through: this object, done, with true. */
  private _finished(): IteratorResult<Yieldable, true> {
    this.value = true;
    this.done = true;
    return this as IteratorResult<Yieldable, true>;
  }

  /** Passes at once (null), or queues a future on the primitive's loop and returns it. */
  private _start(site: WaitSite<T>): Future<T> | null {
    // Finished unless it waits: an error on the way out ends it, as it would a generator.
    this.#site = null;
    if (site._tryPass()) return null;
    const future = site._getLoop().createFuture<T>();
    site._waiters().add(future);
    this.#site = site;
    return future;
  }

  /** Leaves the queue with `error` and throws it. */
  private _fail(future: Future<T>, error: unknown): never {
    this._leave(future, error);
    throw error;
  }

  /** Takes the future out of the queue (the generator's `finally`) and tells the site how. */
  private _leave(future: Future<T>, outcome: unknown): void {
    const site = this.#site!;
    this.#site = null;
    this.value = undefined;
    site._waiters().delete(future);
    site._leave(future, outcome);
  }
}
