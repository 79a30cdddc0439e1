/**
 * A result computed on another thread, waited for by blocking (Python's
 * `concurrent.futures.Future`). Only a worker thread can block, so this is the worker's view of
 * a task running on the loop thread; the loop thread itself waits with Futures and tasks.
 */
import { inspect } from 'node:util';
import { CancelledError, logger, TimeoutError } from '@asyncio-ts/core-loop';

/** @internal Where a {@link ConcurrentFuture} learns its outcome. */
export interface OutcomeSource {
  /** Delivers the outcomes that arrived, without waiting. */
  poll(): void;
  /** Blocks until `isDone()` or until `timeoutMs` passed (undefined: no limit). */
  waitUntil(isDone: () => boolean, timeoutMs: number | undefined): void;
  /** Tells the other thread that call `id` was cancelled. */
  cancel(id: number): void;
}

enum State {
  Pending,
  Cancelled,
  Finished,
}

const STATE_NAMES = ['pending', 'cancelled', 'finished'] as const;

/**
 * The outcome of a coroutine that a worker thread asked the loop thread to run, with
 * {@link runCoroutineThreadsafe}. `result()` blocks the worker (Atomics.wait, no busy loop)
 * until the task on the loop is done. A future is pending until then, or until `cancel()`.
 * @example
 * ```ts
 * // in a worker (a toThread job, or a worker from startWorker)
 * import { runCoroutineThreadsafe } from '@asyncio-ts/threads';
 * const future = runCoroutineThreadsafe<User>({ module: DB_URL, export: 'fetchUser' }, 42);
 * const user = future.result(5_000); // TimeoutError after 5 s
 * ```
 */
export class ConcurrentFuture<T = unknown> {
  #state: State;
  #value: T | undefined;
  #error: unknown;
  #hasError: boolean;
  #callbacks: ((future: ConcurrentFuture<T>) => void)[];
  readonly #source: OutcomeSource;
  readonly #id: number;

  /** @internal Made by {@link runCoroutineThreadsafe}. */
  constructor(source: OutcomeSource, id: number) {
    this.#state = State.Pending;
    this.#value = undefined;
    this.#error = undefined;
    this.#hasError = false;
    this.#callbacks = [];
    this.#source = source;
    this.#id = id;
  }

  /** Whether the future has a result, an error, or was cancelled. */
  done(): boolean {
    if (this.#state === State.Pending) this.#source.poll();
    return this.#state !== State.Pending;
  }

  /** Whether the future was cancelled (by `cancel()`, or because its task was cancelled). */
  cancelled(): boolean {
    if (this.#state === State.Pending) this.#source.poll();
    return this.#state === State.Cancelled;
  }

  /**
   * The task's value, waiting up to `timeoutMs` (default: for ever) for it.
   * @throws the task's error; CancelledError when cancelled; TimeoutError when the time ran out
   * (the future stays pending, and a later call can still get the value).
   */
  result(timeoutMs?: number): T {
    this.#wait(timeoutMs, 'result');
    if (this.#hasError || this.#state === State.Cancelled) throw this.#error;
    return this.#value as T;
  }

  /**
   * The task's error (null when it returned), waiting up to `timeoutMs` for it.
   * @throws CancelledError when cancelled; TimeoutError when the time ran out.
   */
  exception(timeoutMs?: number): unknown {
    this.#wait(timeoutMs, 'exception');
    if (this.#state === State.Cancelled) throw this.#error;
    return this.#hasError ? this.#error : null;
  }

  /**
   * Cancels the future and, on the loop thread, its task. Returns false when the future was
   * done already.
   */
  cancel(): boolean {
    if (this.done()) return false;
    this.#state = State.Cancelled;
    this.#error = new CancelledError();
    this.#source.cancel(this.#id);
    this.#runCallbacks();
    return true;
  }

  /**
   * Calls `callback(future)` once the future is done: now when it is done already, else on this
   * thread when the outcome is delivered (while a `result()` or `done()` call reads it, or on a
   * later turn of this thread's event loop). An error thrown by the callback is logged.
   */
  addDoneCallback(callback: (future: ConcurrentFuture<T>) => void): void {
    if (typeof callback !== 'function') {
      throw new TypeError(`addDoneCallback() expects a function, got ${typeof callback}`);
    }
    if (this.done()) this.#invoke(callback);
    else this.#callbacks.push(callback);
  }

  /** @internal Settles the future with what the loop thread answered. */
  _settle(ok: boolean, value: unknown, cancelled: boolean): void {
    if (this.#state !== State.Pending) return;
    if (cancelled) {
      this.#state = State.Cancelled;
      this.#error = value;
    } else {
      this.#state = State.Finished;
      if (ok) this.#value = value as T;
      else {
        this.#hasError = true;
        this.#error = value;
      }
    }
    this.#runCallbacks();
  }

  #wait(timeoutMs: number | undefined, method: string): void {
    if (timeoutMs !== undefined) checkTimeout(timeoutMs, method);
    if (this.done()) return;
    this.#source.waitUntil(() => this.#state !== State.Pending, timeoutMs);
    if (this.#state === State.Pending) {
      throw new TimeoutError(`${method}() timed out after ${timeoutMs} ms`);
    }
  }

  #runCallbacks(): void {
    const callbacks = this.#callbacks;
    this.#callbacks = [];
    for (const callback of callbacks) this.#invoke(callback);
  }

  #invoke(callback: (future: ConcurrentFuture<T>) => void): void {
    try {
      callback(this);
    } catch (error) {
      logger.error(`exception calling callback for ${this}: ${inspect(error)}`);
    }
  }

  toString(): string {
    return `<ConcurrentFuture ${STATE_NAMES[this.#state]}>`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

function checkTimeout(timeoutMs: unknown, method: string): void {
  if (typeof timeoutMs !== 'number') {
    throw new TypeError(`${method}() timeout must be a number of ms, got ${typeof timeoutMs}`);
  }
  if (Number.isNaN(timeoutMs)) throw new RangeError(`${method}() timeout must not be NaN`);
}
