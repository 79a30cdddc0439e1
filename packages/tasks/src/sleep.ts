/**
 * sleep: suspend the current task for a while (Python's `asyncio.sleep`).
 *
 * A sleep is the most frequent await there is (`sleep(0)` is how a task lets others run), so it
 * is a hand-written coroutine, a small state machine, rather than a generator: it allocates one
 * small object, where a generator would carry a frame and a register file.
 */
import {
  type Coro,
  captureTrace,
  coroutineStarted,
  describeKind,
  type Future,
  getRunningLoop,
  markCoroutineFunction,
  RuntimeError,
  recordSuspension,
  recordsSuspensions,
  runningLoopInDebug,
  runningLoopRecordsSuspensions,
  type TimerHandle,
  watchUnawaitedCoroutine,
  type Yieldable,
} from '@asyncio-ts/core-loop';

function setResultUnlessCancelled<T>(future: Future<T>, value: T): void {
  if (!future.cancelled()) future.setResult(value);
}

/**
 * The results `sleep(0)` gives on its one hand-off, shared by every sleep: each step of a task
 * switch would otherwise make two objects. Nothing in the library writes to an iterator result.
 */
const YIELD_TO_LOOP: IteratorYieldResult<undefined> = { value: undefined, done: false };
const RETURN_UNDEFINED: IteratorReturnResult<undefined> = { value: undefined, done: true };

/** The result that returns `value`: the shared one for undefined, the most frequent. */
function returning<T>(value: T): IteratorResult<Yieldable, T> {
  return value === undefined
    ? (RETURN_UNDEFINED as IteratorResult<Yieldable, T>)
    : { value, done: true };
}

const CREATED = 0;
const SUSPENDED = 1;
const FINISHED = 2;
type SleepState = typeof CREATED | typeof SUSPENDED | typeof FINISHED;
/** Set in a `sleep(0)`'s state while debug mode watches it for "was never awaited". */
const WATCHED = 4;

/**
 * The coroutine object `sleep()` returns for a delay > 0 (or a bad one): it follows the
 * generator protocol.
 */
class SleepCoroutine<T> implements Iterator<Yieldable, T, unknown> {
  readonly #ms: number;
  readonly #value: T;
  #state: SleepState;
  #future: Future<T> | null;
  #timer: TimerHandle | null;
  /** Whether debug mode watches it for "was never awaited" until it is first resumed. */
  #watched: boolean;

  constructor(ms: number, value: T, createdAt: Error | null) {
    this.#ms = ms;
    this.#value = value;
    this.#state = CREATED;
    this.#future = null;
    this.#timer = null;
    this.#watched = createdAt !== null && watchUnawaitedCoroutine(this, 'sleep', createdAt);
  }

  next(): IteratorResult<Yieldable, T> {
    if (this.#state === CREATED) {
      if (this.#watched) this._unwatch();
      return this._start();
    }
    if (this.#state === FINISHED) return returning(undefined as T);
    const future = this.#future;
    if (future === null) return this._finish(this.#value);
    if (!future.done()) throw new RuntimeError("await wasn't used with future");
    return this._finish(future.result());
  }

  throw(exc: unknown): IteratorResult<Yieldable, T> {
    if (this.#watched) this._unwatch();
    this._finish(undefined as T);
    throw exc;
  }

  return(value?: T): IteratorResult<Yieldable, T> {
    if (this.#watched) this._unwatch();
    return this._finish(value as T);
  }

  private _unwatch(): void {
    this.#watched = false;
    coroutineStarted(this);
  }

  [Symbol.iterator](): this {
    return this;
  }

  private _start(): IteratorResult<Yieldable, T> {
    const ms = this.#ms;
    if (typeof ms !== 'number') {
      this.#state = FINISHED;
      throw new TypeError(`sleep() delay must be a number, got ${describeKind(ms)}`);
    }
    if (Number.isNaN(ms)) {
      this.#state = FINISHED;
      throw new RangeError('Invalid delay: NaN (not a number)');
    }
    // A delay <= 0 is sleep()'s YieldCoroutine: this one always has a timer.
    this.#state = SUSPENDED;
    const loop = getRunningLoop();
    const future = loop.createFuture<T>();
    this.#future = future;
    this.#timer = loop.callLater(ms, setResultUnlessCancelled, future, this.#value);
    // While suspensions are recorded, suspend through the future's own iterator, which records
    // the coroutine frames for Task.getStack() and call graphs.
    if (recordsSuspensions(loop)) return future[Symbol.iterator]().next();
    return { value: future, done: false };
  }

  /** Ends the sleep, cancelling its timer, as the generator's `finally` would. */
  private _finish(value: T): IteratorResult<Yieldable, T> {
    this.#state = FINISHED;
    if (this.#timer !== null) {
      this.#timer.cancel();
      this.#timer = null;
    }
    this.#future = null;
    return returning(value);
  }
}

/**
 * The coroutine object `sleep(0)` returns (any delay <= 0): one hand-off to the loop and no
 * timer, so it needs two fields where a timed sleep needs six. Tasks spawned by the thousand
 * each hold one while they wait for their first turn.
 */
class YieldCoroutine<T> implements Iterator<Yieldable, T, unknown> {
  readonly #value: T;
  /** The state, plus {@link WATCHED} while debug mode watches it for "was never awaited". */
  #state: number;

  constructor(value: T, createdAt: Error | null) {
    this.#value = value;
    this.#state =
      createdAt !== null && watchUnawaitedCoroutine(this, 'sleep', createdAt)
        ? CREATED | WATCHED
        : CREATED;
  }

  next(): IteratorResult<Yieldable, T> {
    const state = this.#state;
    if (state === SUSPENDED) {
      this.#state = FINISHED;
      return returning(this.#value);
    }
    if (state === FINISHED) return returning(undefined as T);
    if ((state & WATCHED) !== 0) coroutineStarted(this);
    this.#state = SUSPENDED;
    if (runningLoopRecordsSuspensions()) recordSuspension();
    return YIELD_TO_LOOP;
  }

  throw(exc: unknown): IteratorResult<Yieldable, T> {
    this._finish();
    throw exc;
  }

  return(value?: T): IteratorResult<Yieldable, T> {
    this._finish();
    return { value: value as T, done: true };
  }

  [Symbol.iterator](): this {
    return this;
  }

  /** Ends it, unwatching it if it never started. */
  private _finish(): void {
    if ((this.#state & WATCHED) !== 0) coroutineStarted(this);
    this.#state = FINISHED;
  }
}

/**
 * Suspends the calling task for `ms` milliseconds, then returns `value`. `sleep(0)` (or any
 * delay <= 0) gives the loop up for one iteration, like a bare `yield`. Cancelling the sleeping
 * task cancels the timer.
 * @example
 * ```ts
 * function* main() {
 *   const v = yield* sleep(1000, 'done'); // one second later: 'done'
 * }
 * ```
 * @throws TypeError when `ms` is not a number; RangeError when it is NaN (when awaited).
 */
export function sleep<T = undefined>(ms: number, value?: T): Coro<T> {
  // In debug mode, where the sleep was made, for "was never awaited": captured before the
  // coroutine exists, so that the stack cannot hold the coroutine and keep it from being
  // collected.
  const createdAt = runningLoopInDebug() ? captureTrace() : null;
  const coroutine =
    typeof ms === 'number' && ms <= 0
      ? new YieldCoroutine(value as T, createdAt)
      : new SleepCoroutine(ms, value as T, createdAt);
  return coroutine as unknown as Coro<T>;
}

// Hand-written, yet a coroutine function to whoever asks, as CPython's `async def sleep`.
markCoroutineFunction(sleep);
