/**
 * Queue: a FIFO queue for producer and consumer coroutines (Python's `asyncio.Queue`), with its
 * three errors. `PriorityQueue` and `LifoQueue` reuse all of it and override only the storage:
 * `init`, `getItem`, `putItem` and the `_queue` they fill (CPython's `_init/_get/_put/_queue`).
 *
 * Invariant: a future in `#getters` is pending until `#wakeupNext` or `shutdown` takes it out and
 * sets it, or the cancelled getter takes itself out; a woken getter that can no longer take an
 * item (it was cancelled before it ran) hands the wake-up to the next getter. Putters likewise.
 * So once the woken tasks have run, no item waits in the queue while a live getter sleeps, and no
 * slot stays free while a live putter sleeps.
 */
import { inspect } from 'node:util';
import { type Coro, type Future, inspectValue, RingQueue } from '@asyncio-ts/core-loop';
import { Waiters } from './internal/waiters.js';
import { LoopBound } from './loop-bound.js';

/**
 * `getNowait()` found the queue empty (Python's `asyncio.QueueEmpty`).
 * @example
 * ```ts
 * import { Queue, QueueEmpty } from '@asyncio-ts/sync-primitives';
 * const queue = new Queue<number>();
 * try {
 *   queue.getNowait();
 * } catch (error) {
 *   if (!(error instanceof QueueEmpty)) throw error;
 * }
 * ```
 */
export class QueueEmpty extends Error {}

/**
 * `putNowait()` found the queue full (Python's `asyncio.QueueFull`): the signal for a producer
 * outside the loop to pause its source (see {@link Queue.putNowait}).
 * @example
 * ```ts
 * import { Queue, QueueFull } from '@asyncio-ts/sync-primitives';
 * const queue = new Queue<string>(1);
 * queue.putNowait('a');
 * try {
 *   queue.putNowait('b');
 * } catch (error) {
 *   if (!(error instanceof QueueFull)) throw error;
 * }
 * ```
 */
export class QueueFull extends Error {}

/**
 * A put or get on a queue that was shut down (Python's `asyncio.QueueShutDown`): every put after
 * `shutdown()`, and every get once the queue is empty (at once after `shutdown(true)`).
 * @example
 * ```ts
 * import { Queue, QueueShutDown } from '@asyncio-ts/sync-primitives';
 * function* consumer(queue: Queue<string>) {
 *   try {
 *     for (;;) console.log(yield* queue.get());
 *   } catch (error) {
 *     if (!(error instanceof QueueShutDown)) throw error; // the producer is finished
 *   }
 * }
 * ```
 */
export class QueueShutDown extends Error {}

for (const errorClass of [QueueEmpty, QueueFull, QueueShutDown]) {
  Object.defineProperty(errorClass.prototype, 'name', {
    value: errorClass.name,
    writable: true,
    configurable: true,
  });
}

/**
 * What a queue keeps its items in (Python's `self._queue`): anything with a `length` and an
 * iterator over the items. `qsize()`, `empty()` and `full()` read its `length`; `toString()`
 * lists it. A subclass makes its own in `init()` and narrows the type of `_queue` to it.
 */
export interface QueueStorage<T> extends Iterable<T> {
  readonly length: number;
}

/**
 * A first in, first out queue for coordinating producer and consumer coroutines (Python's
 * `asyncio.Queue`).
 *
 * With `maxsize` 0 (the default) it has no bound; otherwise `put()` waits while it holds
 * `maxsize` items. Waiting getters and putters are served in the order they came, and a waiter
 * cancelled after it was woken passes the wake-up on, so no item and no free slot is lost.
 * Every item put counts as an unfinished task until a consumer calls `taskDone()` for it;
 * `join()` waits until none is left. `shutdown()` ends it: puts fail with {@link QueueShutDown},
 * gets drain what is left and then fail too.
 *
 * A queue may be created outside a running loop; it binds to the loop of the first coroutine that
 * has to wait on it. `putNowait()`, `getNowait()` and `shutdown()` need no loop: a host callback
 * (a stream's `'data'` event, a timer) may feed the queue and wakes the coroutines waiting on it.
 *
 * A queue is not awaitable itself (`yield* queue` is a TypeError): use its coroutine methods.
 * For a queue between worker threads, this is the wrong tool: it lives in one thread.
 * @typeParam T - the type of the items.
 * @example
 * ```ts
 * import { Queue } from '@asyncio-ts/sync-primitives';
 * import { createTask, run } from '@asyncio-ts/tasks';
 *
 * await run(function* () {
 *   const queue = new Queue<number>(2);
 *   const consumer = createTask((function* () {
 *     for (;;) {
 *       const n = yield* queue.get();
 *       console.log('got', n);
 *       queue.taskDone();
 *     }
 *   })());
 *   for (let n = 0; n < 5; n++) yield* queue.put(n); // waits while 2 are queued
 *   yield* queue.join(); // every item was processed
 *   consumer.cancel();
 * });
 * ```
 */
export class Queue<T = unknown> extends LoopBound {
  /**
   * The storage `init()` made (Python's `self._queue`). Extension point: a subclass narrows its
   * type with `declare protected _queue: ...` and fills it in `init()`.
   */
  protected _queue!: QueueStorage<T>;
  readonly #maxsize: number;
  /** Futures of the gets waiting for an item, oldest first. */
  readonly #getters: Waiters<void>;
  /** Futures of the puts waiting for a free slot, oldest first. */
  readonly #putters: Waiters<void>;
  /** Items put and not yet marked done by `taskDone()`. */
  #unfinishedTasks: number;
  /** Futures of the `join()` calls waiting for `#unfinishedTasks` to reach 0. */
  #joiners: Future<void>[];
  #isShutdown: boolean;

  /**
   * @param maxsize - how many items it may hold; 0 (the default) or `Infinity` for no bound.
   * @throws TypeError when `maxsize` is not a number; RangeError when it is negative, NaN or not
   * a whole number.
   */
  constructor(maxsize = 0) {
    super();
    if (typeof maxsize !== 'number') {
      throw new TypeError(`maxsize must be a number, got ${typeof maxsize}`);
    }
    if (!(maxsize >= 0) || !(Number.isInteger(maxsize) || maxsize === Number.POSITIVE_INFINITY)) {
      throw new RangeError(
        `maxsize must be a non-negative whole number (0 for no bound), got ${maxsize}`,
      );
    }
    this.#maxsize = maxsize;
    this.#getters = new Waiters();
    this.#putters = new Waiters();
    this.#unfinishedTasks = 0;
    this.#joiners = [];
    this.#isShutdown = false;
    this.init(maxsize);
  }

  // These three and `_queue` are the extension points (CPython's overridable `_init/_get/_put`).

  /**
   * Makes the storage, `this._queue`. Extension point, called once by the constructor. It runs
   * before a subclass's own field initialisers, so keep the storage in `_queue` (declared with
   * `declare`), not in a field of the subclass.
   */
  protected init(_maxsize: number): void {
    this._queue = new RingQueue<T>(16);
  }

  /** Takes the next item out of the storage, which is not empty. Extension point. */
  protected getItem(): T {
    return (this._queue as RingQueue<T>).shift();
  }

  /**
   * Adds `item` to the storage. Extension point. If it throws, the queue is left as it was and
   * `putNowait()` throws the same error.
   */
  protected putItem(item: T): void {
    (this._queue as RingQueue<T>).push(item);
  }

  /** How many items it may hold: 0 for no bound. */
  get maxsize(): number {
    return this.#maxsize;
  }

  /** How many items it holds. */
  qsize(): number {
    return this._queue.length;
  }

  /** Whether it holds no item. */
  empty(): boolean {
    return this._queue.length === 0;
  }

  /** Whether it holds `maxsize` items; never, when `maxsize` is 0. */
  full(): boolean {
    return this.#maxsize > 0 && this._queue.length >= this.#maxsize;
  }

  /**
   * Puts `item` at the end, first waiting for a free slot while the queue is full. Putters that
   * wait are served in the order they came.
   * @throws QueueShutDown when the queue is (or while waiting, becomes) shut down.
   * @throws RuntimeError "... is bound to a different event loop" when it has to wait and the
   * queue belongs to another loop.
   */
  *put(item: T): Coro<void> {
    while (this.full()) {
      if (this.#isShutdown) throw new QueueShutDown(`put() on a shut-down ${this.#name()}`);
      const putter = this._getLoop().createFuture<void>();
      this.#putters.add(putter);
      let woken = false;
      try {
        yield* putter;
        woken = true;
      } finally {
        // Left early: cancelled, or the coroutine was closed. A getNowait() may have woken this
        // putter (taking it out of #putters) just before its task was cancelled; then the free
        // slot it was woken for goes to the next putter, or it would sit unused while they wait.
        if (!woken) {
          putter.cancel();
          this.#putters.delete(putter);
          if (!this.full() && !putter.cancelled()) this.#wakeupNext(this.#putters);
        }
      }
    }
    // putNowait() would refuse it too; this way the error names the call that was made.
    if (this.#isShutdown) throw new QueueShutDown(`put() on a shut-down ${this.#name()}`);
    this.putNowait(item);
  }

  /**
   * Puts `item` at the end if there is a free slot, and wakes the oldest waiting getter. Needs
   * no running loop: a host callback may call it (the woken coroutines run on their loop).
   * @throws QueueShutDown when the queue is shut down.
   * @throws QueueFull when it holds `maxsize` items. From a host source, catch it to pause the
   * source, and resume the source once a consumer has made room:
   * ```ts
   * stream.on('data', (chunk) => {
   *   try {
   *     queue.putNowait(chunk);
   *   } catch (error) {
   *     if (!(error instanceof QueueFull)) throw error;
   *     stream.pause();
   *     pending = chunk; // put it after the consumer's next get(), then stream.resume()
   *   }
   * });
   * ```
   */
  putNowait(item: T): void {
    if (this.#isShutdown) throw new QueueShutDown(`putNowait() on a shut-down ${this.#name()}`);
    if (this.full()) {
      throw new QueueFull(`putNowait() on a full ${this.#name()} (maxsize=${this.#maxsize})`);
    }
    this.putItem(item);
    this.#unfinishedTasks++;
    this.#wakeupNext(this.#getters);
  }

  /**
   * Takes the first item, first waiting for one while the queue is empty. Getters that wait are
   * served in the order they came.
   * @throws QueueShutDown when the queue is shut down and empty (also when it becomes so while
   * waiting).
   * @throws RuntimeError "... is bound to a different event loop" when it has to wait and the
   * queue belongs to another loop.
   */
  *get(): Coro<T> {
    while (this.empty()) {
      if (this.#isShutdown) throw new QueueShutDown(`get() on a shut-down ${this.#name()}`);
      const getter = this._getLoop().createFuture<void>();
      this.#getters.add(getter);
      let woken = false;
      try {
        yield* getter;
        woken = true;
      } finally {
        // As in put(): a getter woken by putNowait() and then cancelled before it ran hands the
        // wake-up to the next getter, or the item would wait while they sleep.
        if (!woken) {
          getter.cancel();
          this.#getters.delete(getter);
          if (!this.empty() && !getter.cancelled()) this.#wakeupNext(this.#getters);
        }
      }
    }
    return this.getNowait();
  }

  /**
   * Takes the first item if there is one, and wakes the oldest waiting putter. Needs no running
   * loop.
   * @throws QueueEmpty when it holds no item.
   * @throws QueueShutDown when the queue is shut down and empty.
   */
  getNowait(): T {
    if (this.empty()) {
      if (this.#isShutdown) {
        throw new QueueShutDown(`getNowait() on a shut-down ${this.#name()}`);
      }
      throw new QueueEmpty(`getNowait() on an empty ${this.#name()}`);
    }
    const item = this.getItem();
    this.#wakeupNext(this.#putters);
    return item;
  }

  /**
   * Marks one item as processed: a consumer calls it once for each item it got, when its work on
   * the item is done. When no unfinished item is left, every `join()` returns.
   * @throws RangeError "task_done() called too many times" when there are more calls than items
   * put (Python's ValueError).
   */
  taskDone(): void {
    if (this.#unfinishedTasks <= 0) throw new RangeError('task_done() called too many times');
    this.#unfinishedTasks--;
    if (this.#unfinishedTasks === 0) this.#finish();
  }

  /**
   * Waits until every item put has been processed: `taskDone()` was called once for each (or the
   * queue was shut down with `immediate` and the items left were dropped). Returns at once when
   * no item is unfinished.
   * @throws RuntimeError "... is bound to a different event loop" when it has to wait and the
   * queue belongs to another loop.
   */
  *join(): Coro<void> {
    if (this.#unfinishedTasks === 0) return;
    const joiner = this._getLoop().createFuture<void>();
    this.#joiners.push(joiner);
    try {
      yield* joiner;
    } finally {
      const index = this.#joiners.indexOf(joiner);
      if (index !== -1) this.#joiners.splice(index, 1);
    }
  }

  /**
   * Shuts the queue down (Python 3.13's `Queue.shutdown`): from now on every put fails with
   * {@link QueueShutDown}, and so does every get once the queue is empty. Waiting putters fail at
   * once; waiting getters wake and fail if nothing is left to get.
   *
   * With `immediate`, the items left are dropped and each counts as done (as if `taskDone()` was
   * called for it), so `join()` returns when no item that was got is still unfinished. Calling it
   * again is harmless; `shutdown(true)` after `shutdown()` drops what is left. Needs no running
   * loop.
   * @param immediate - drop the items left instead of letting getters drain them.
   */
  shutdown(immediate = false): void {
    this.#isShutdown = true;
    if (immediate) {
      while (!this.empty()) {
        this.getItem();
        if (this.#unfinishedTasks > 0) this.#unfinishedTasks--;
      }
      if (this.#unfinishedTasks === 0) this.#finish();
    }
    // Every waiter wakes to look again: a getter finds the queue empty (or not) and a putter
    // finds it shut down.
    for (const waiters of [this.#getters, this.#putters]) {
      const woken = [...waiters];
      waiters.clear();
      for (const waiter of woken) if (!waiter.done()) waiter.setResult(undefined);
    }
  }

  /** Wakes the oldest waiter of `waiters` that is still waiting, if any (`_wakeup_next`). */
  #wakeupNext(waiters: Waiters<void>): void {
    for (let waiter = waiters.first(); waiter !== null; waiter = waiters.first()) {
      waiters.delete(waiter);
      if (!waiter.done()) {
        waiter.setResult(undefined);
        return;
      }
    }
  }

  /** No item is unfinished: every waiting `join()` returns. */
  #finish(): void {
    const joiners = this.#joiners;
    if (joiners.length === 0) return;
    this.#joiners = [];
    for (const joiner of joiners) if (!joiner.done()) joiner.setResult(undefined);
  }

  #name(): string {
    return this.constructor.name;
  }

  /**
   * `<Queue maxsize=0 _queue=[1, 2] _getters[1] _putters[1] tasks=2 shutdown>`: the items in
   * storage order, how many getters and putters wait, how many items are unfinished, and whether
   * it was shut down; parts with nothing to say are left out (CPython's `Queue.__str__`).
   */
  override toString(): string {
    let text = `<${this.#name()} maxsize=${this.#maxsize}`;
    // The constructor of a subclass may fail before init() made the storage.
    const items = this._queue === undefined ? [] : [...this._queue];
    if (items.length > 0) text += ` _queue=[${items.map(inspectValue).join(', ')}]`;
    if (this.#getters.size > 0) text += ` _getters[${this.#getters.size}]`;
    if (this.#putters.size > 0) text += ` _putters[${this.#putters.size}]`;
    if (this.#unfinishedTasks > 0) text += ` tasks=${this.#unfinishedTasks}`;
    if (this.#isShutdown) text += ' shutdown';
    return `${text}>`;
  }

  [inspect.custom](): string {
    return this.toString();
  }

  /** A queue is not awaitable: `yield* queue` is a mistake, and says what to write instead. */
  override [Symbol.iterator](): never {
    throw new TypeError(
      `'${this.#name()}' object can't be awaited: use its coroutine methods, such as ` +
        'yield* queue.get(), yield* queue.put(item) or yield* queue.join()',
    );
  }
}
