/**
 * asCompleted: the results of several awaitables in the order they finish (Python 3.13's
 * `asyncio.as_completed` and its `_AsCompletedIterator`).
 *
 * Each future, when done, is queued on `#completed`; each awaitable the iterator hands out
 * takes the next one from that queue, waiting for it when it is empty. So whichever awaitable
 * is awaited first gets the first future to finish, whatever the order they were taken from
 * the iterator. A timeout queues a marker for every future still running, and an awaitable
 * that takes a marker throws TimeoutError.
 */
import { inspect } from 'node:util';
import {
  type Awaitable,
  type Coro,
  type EventLoop,
  ensureFuture,
  type Future,
  getEventLoop,
  TimeoutError,
  type TimerHandle,
} from '@asyncio-ts/core-loop';
import { distinctInputs, timeoutOption } from './internal/arguments.js';

/** What {@link asCompleted} takes besides the awaitables. */
export interface AsCompletedOptions {
  /**
   * Milliseconds after which every awaitable still to come throws TimeoutError; null,
   * undefined or Infinity for no limit.
   */
  timeout?: number | null | undefined;
}

/** Queued in place of a future for each one still running when the timeout passed. */
const TIMED_OUT = null;

/**
 * Runs the awaitables in `aws` concurrently (coroutines become tasks at once) and returns an
 * iterator of as many awaitables as there are distinct inputs: awaiting the next one waits for
 * the next input to finish and returns its result or throws its error. With `timeout`, every
 * awaitable still waiting (or still to be awaited) when it passes throws TimeoutError; the
 * inputs themselves go on running and are not cancelled.
 *
 * The iterator keeps its place after a `break`: a later `for...of` over it continues with the
 * inputs not yet taken.
 *
 * CPython 3.13's `async for` form, which hands out the futures themselves, is left out: a
 * Future is a PromiseLike, so `for await` would be typed (and async generators would resolve)
 * as the futures' results rather than the futures. Use {@link wait} with `FIRST_COMPLETED` to
 * get the futures.
 * @example
 * ```ts
 * import { sleep } from '@asyncio-ts/tasks';
 * import { asCompleted } from '@asyncio-ts/timeouts';
 *
 * function* main() {
 *   for (const next of asCompleted([sleep(300, 'c'), sleep(100, 'a'), sleep(200, 'b')])) {
 *     console.log(yield* next); // a, b, c
 *   }
 * }
 * ```
 * @throws TypeError when `aws` is a single future or coroutine rather than a collection, when
 * it holds something that is not awaitable, or when `timeout` is not a number; RangeError when
 * `timeout` is NaN or a future belongs to another loop; RuntimeError when a coroutine or
 * promise must be wrapped and there is no running or current loop.
 */
export function asCompleted<T>(
  aws: Iterable<Awaitable<T> | PromiseLike<T>>,
  options?: AsCompletedOptions,
): IterableIterator<Coro<T>> {
  const inputs = distinctInputs(aws, 'an iterable');
  const timeout = timeoutOption(options?.timeout, 'asCompleted');
  return new AsCompletedIterator<T>(inputs, timeout);
}

// Between a wake-up and the resume of the awaitable it was for, an entry may be ready while
// other awaitables wait; at every other moment, an awaitable waits only while none is ready.
class AsCompletedIterator<T> implements IterableIterator<Coro<T>> {
  /** The futures not yet done (emptied when the timeout passes). */
  readonly #todo: Set<Future<T>>;
  /** How many awaitables are still to be handed out. */
  #todoLeft: number;
  /**
   * Done futures, and timeout markers, in the order they came: one slot per future, since each
   * is queued exactly once.
   */
  readonly #completed: (Future<T> | typeof TIMED_OUT | undefined)[];
  /** Index of the next entry of `#completed` to take. */
  #taken: number;
  /** Futures of the awaitables that wait for `#completed` to grow, oldest first. */
  readonly #getters: Future<void>[];
  readonly #loop: EventLoop;
  #timer: TimerHandle | null;
  readonly #onCompletion: (future: Future<T>) => void;

  constructor(inputs: Set<Awaitable<T> | PromiseLike<T>>, timeout: number | null) {
    const loop = getEventLoop();
    this.#loop = loop;
    this.#todo = new Set();
    for (const input of inputs) this.#todo.add(ensureFuture(input, { loop }));
    this.#todoLeft = this.#todo.size;
    this.#completed = [];
    this.#taken = 0;
    this.#getters = [];
    this.#timer = null;
    const onCompletion = (future: Future<T>): void => this.#handleCompletion(future);
    this.#onCompletion = onCompletion;
    for (const future of this.#todo) future.addDoneCallback(onCompletion);
    if (this.#todo.size > 0 && timeout !== null) {
      this.#timer = loop.callLater(timeout, () => this.#handleTimeout());
    }
  }

  [Symbol.iterator](): this {
    return this;
  }

  /**
   * The next awaitable, a coroutine that returns the result of the next future to finish or
   * throws its error. Like CPython's, there is no `return()`: a `break` out of `for...of`
   * leaves the iterator where it was.
   */
  next(): IteratorResult<Coro<T>, undefined> {
    if (this.#todoLeft === 0) return { value: undefined, done: true };
    this.#todoLeft--;
    return { value: this.#resultOfNext(), done: false };
  }

  toString(): string {
    return `<AsCompletedIterator [left:${this.#todoLeft}, pending:${this.#todo.size}]>`;
  }

  [inspect.custom](): string {
    return this.toString();
  }

  *#resultOfNext(): Coro<T> {
    const future = yield* this.#takeNext();
    return future.result();
  }

  /** Waits until a future is queued and takes it, or throws TimeoutError for a marker. */
  *#takeNext(): Coro<Future<T>> {
    while (this.#taken === this.#completed.length) yield* this.#waitForPut();
    const entry = this.#completed[this.#taken] as Future<T> | typeof TIMED_OUT;
    // The slot lets go of the future: the awaitable that took it holds it now.
    this.#completed[this.#taken++] = undefined;
    if (entry === TIMED_OUT) throw new TimeoutError();
    return entry;
  }

  /**
   * Python's `Queue.get()` wait: an awaitable that stops waiting (its task cancelled, its
   * coroutine closed) after it was woken passes the wake-up on, so a queued future is never
   * left behind while another awaitable waits for one.
   */
  *#waitForPut(): Coro<void> {
    const getter = this.#loop.createFuture<void>();
    this.#getters.push(getter);
    let resumed = false;
    try {
      yield* getter;
      resumed = true;
    } finally {
      if (!resumed) this.#abandon(getter);
    }
  }

  #abandon(getter: Future<void>): void {
    getter.cancel();
    const index = this.#getters.indexOf(getter);
    if (index !== -1) this.#getters.splice(index, 1);
    if (this.#taken < this.#completed.length && !getter.cancelled()) this.#wakeNextGetter();
  }

  #put(entry: Future<T> | typeof TIMED_OUT): void {
    this.#completed.push(entry);
    this.#wakeNextGetter();
  }

  #wakeNextGetter(): void {
    while (this.#getters.length > 0) {
      const getter = this.#getters.shift()!;
      if (!getter.done()) {
        getter.setResult(undefined);
        return;
      }
    }
  }

  #handleCompletion(future: Future<T>): void {
    // After the timeout every remaining future has a marker queued already.
    if (!this.#todo.delete(future)) return;
    this.#put(future);
    if (this.#todo.size === 0 && this.#timer !== null) this.#timer.cancel();
  }

  #handleTimeout(): void {
    for (const future of this.#todo) {
      future.removeDoneCallback(this.#onCompletion);
      this.#put(TIMED_OUT);
    }
    this.#todo.clear();
  }
}
