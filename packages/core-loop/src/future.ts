/**
 * Future: a result that will exist later. All suspension goes through here: a coroutine waits
 * on a future by `yield* future`, whose iterator yields the future itself to the Task driving the
 * coroutine; the Task resumes the coroutine when the future is done, and the iterator then
 * returns `result()` (Python's `Future.__await__`).
 *
 * Done callbacks are never called inline: completion schedules each with `callSoon`, in the
 * context it was added with, so the order of events is the loop's.
 */
import { inspect } from 'node:util';
import { type Context, copyContext } from './context.js';
import { describeKind } from './coroutine.js';
import {
  type CancelledError,
  InvalidStateError,
  loopCancelledError,
  RuntimeError,
} from './errors.js';
import type { EventLoop, ExceptionContext } from './event-loop.js';
import { type Callback, captureSource, formatCallback, type Runnable } from './handle.js';
import { recordsSuspensions } from './introspection-switch.js';
import { getEventLoop } from './running-loop.js';
import { captureTrace } from './stack-frames.js';

/** What a coroutine may yield to the Task that drives it. */
export type Yieldable = Future<unknown> | PromiseLike<unknown> | undefined;

/** A coroutine: a generator that yields {@link Yieldable}s and returns `T`. */
export type Coro<T> = Generator<Yieldable, T, unknown>;

/** Anything that `yield*` can wait on: a coroutine, a Future, a Task. */
export interface Awaitable<T> {
  [Symbol.iterator](): Iterator<Yieldable, T, unknown>;
}

/** Done callbacks and waiters with their contexts: [callback, context, ...]. */
type CallbackList = (Callback | Runnable | Context | null)[];

/** A future's done callback: it receives the future. */
export type DoneCallback<F> = (future: F) => void;

// The lifecycle, with how a finished future finished: an exception that nobody retrieved yet is
// a state of its own, so a future (and every task) carries no flags beside `_state`.
const PENDING = 0;
const CANCELLED = 1;
/** Finished with a result. */
const FINISHED = 2;
/** Finished with an exception that was retrieved. */
const FAILED = 3;
/** Finished with an exception nobody retrieved yet: reported when the future is collected. */
const FAILED_UNRETRIEVED = 4;
type State =
  | typeof PENDING
  | typeof CANCELLED
  | typeof FINISHED
  | typeof FAILED
  | typeof FAILED_UNRETRIEVED;
const STATE_NAMES = ['PENDING', 'CANCELLED', 'FINISHED', 'FINISHED', 'FINISHED'] as const;

interface UnretrievedException {
  loop: EventLoop;
  message: string;
  exception: unknown;
  future: string;
  sourceTraceback: string | undefined;
}

/** Where each future was created, recorded in debug mode only (Python's `_source_traceback`). */
const sourceTracebacks = new WeakMap<object, string>();

// A future whose exception nobody retrieved reports it when it is collected; only futures that
// failed are registered, so success costs nothing.
const unretrieved = new FinalizationRegistry<UnretrievedException>((held) => {
  const context: ExceptionContext = {
    message: held.message,
    exception: held.exception,
    future: held.future,
  };
  if (held.sourceTraceback !== undefined) context.sourceTraceback = held.sourceTraceback;
  held.loop.callExceptionHandler(context);
});

/**
 * A result that will be set later: by `setResult`, `setException` or `cancel`.
 *
 * Inside a coroutine, `yield* future` waits for it and evaluates to its result (or throws its
 * exception). Outside the loop a Future is a PromiseLike, so `await future` works too.
 * @example
 * ```ts
 * import { getRunningLoop } from '@asyncio-ts/core-loop';
 * function* main() {
 *   const loop = getRunningLoop();
 *   const fut = loop.createFuture<number>();
 *   loop.callLater(10, () => fut.setResult(42));
 *   return yield* fut; // 42
 * }
 * ```
 */
export class Future<T = unknown> implements PromiseLike<T>, Awaitable<T> {
  // Fields may be `#private`; methods are TypeScript-private instead: a class with a `#method`
  // stores a brand in every instance, a word per object that a pending task cannot spare.
  /** @internal */
  _state: State;
  /**
   * The result; the exception once FAILED; the CancelledError to hand out, if any, once
   * CANCELLED. Unused while pending, so a subclass may keep something there until it finishes
   * (a Task keeps the error its next step throws in). Low-level: use `result()`.
   */
  _result: unknown;
  /** @internal */
  readonly _loop: EventLoop;
  /**
   * The cancel message, or null when none was given. Low-level: for subclasses and combinators
   * (Python's `_cancel_message`).
   */
  _cancelMessage: string | null;
  /**
   * @internal What runs on completion: null; a waiter (`addWaiter`) alone, as most futures
   * have exactly one, the task that awaits them, which needs no context; or a list in the order
   * added, as [callback, context, ...], a waiter with a null context.
   */
  _callbacks: Runnable | CallbackList | null;
  /**
   * @internal Who awaits it besides the tasks in its waiter list: null, the one waiter, or a
   * Set of several (see `futureAddToAwaitedBy`).
   */
  _awaitedBy: Future<unknown> | Set<Future<unknown>> | null;

  constructor(options?: { loop?: EventLoop }) {
    this._state = PENDING;
    this._result = undefined;
    this._loop = options?.loop ?? getEventLoop();
    this._cancelMessage = null;
    this._callbacks = null;
    this._awaitedBy = null;
    if (this._loop.getDebug()) sourceTracebacks.set(this, captureSource());
  }

  /**
   * Records `waiter` as awaiting this future, unchecked: `futureAddToAwaitedBy` without the type
   * checks, for the library's combinators. One waiter is kept in the field itself; a second one
   * turns it into a Set.
   */
  _addAwaitedBy(waiter: Future<unknown>): void {
    const current = this._awaitedBy;
    if (current === null) this._awaitedBy = waiter;
    else if (current instanceof Set) current.add(waiter);
    else if (current !== waiter) this._awaitedBy = new Set([current, waiter]);
  }

  /** Undoes {@link _addAwaitedBy}, unchecked: `futureDiscardFromAwaitedBy` for the library. */
  _discardAwaitedBy(waiter: Future<unknown>): void {
    const current = this._awaitedBy;
    if (current === waiter) this._awaitedBy = null;
    else if (current instanceof Set) {
      current.delete(waiter);
      if (current.size === 0) this._awaitedBy = null;
    }
  }

  /**
   * Where it was created, in debug mode (Python's `_source_traceback`): the stack below the
   * library's own frames, or undefined outside debug mode. Low-level: for diagnostics.
   */
  _sourceTraceback(): string | undefined {
    return sourceTracebacks.get(this);
  }

  /** The loop this future is bound to. */
  getLoop(): EventLoop {
    return this._loop;
  }

  /** Whether it has a result, an exception, or was cancelled. */
  done(): boolean {
    return this._state !== PENDING;
  }

  /** Whether it was cancelled. */
  cancelled(): boolean {
    return this._state === CANCELLED;
  }

  /**
   * The result.
   * @throws the future's exception if it has one; CancelledError if it was cancelled;
   * InvalidStateError "Result is not ready." while pending.
   */
  result(): T {
    const state = this._state;
    if (state === FINISHED) return this._result as T;
    if (state === CANCELLED) throw this._makeCancelledError();
    if (state === PENDING) throw new InvalidStateError('Result is not ready.');
    this._markRetrieved();
    throw this._result;
  }

  /**
   * The exception, or null if it finished with a result.
   * @throws CancelledError if it was cancelled; InvalidStateError "Exception is not set." while
   * pending.
   */
  exception(): unknown {
    const state = this._state;
    if (state === CANCELLED) throw this._makeCancelledError();
    if (state === PENDING) throw new InvalidStateError('Exception is not set.');
    if (state === FINISHED) return null;
    this._markRetrieved();
    return this._result;
  }

  /**
   * Marks it done with `value` and schedules its callbacks.
   * @throws InvalidStateError when it is already done.
   */
  setResult(value: T): void {
    if (this._state !== PENDING)
      throw new InvalidStateError(`${STATE_NAMES[this._state]}: ${this}`);
    this._result = value;
    this._state = FINISHED;
    this._scheduleCallbacks();
  }

  /**
   * Marks it done with an exception (an error class is instantiated) and schedules its callbacks.
   * @throws InvalidStateError when it is already done.
   */
  setException(exception: unknown): void {
    if (this._state !== PENDING)
      throw new InvalidStateError(`${STATE_NAMES[this._state]}: ${this}`);
    if (typeof exception === 'function') exception = new (exception as new () => unknown)();
    this._result = exception;
    this._state = FAILED_UNRETRIEVED;
    this._scheduleCallbacks();
    // An error's stack, until first read, holds the receivers of its frames: for an error thrown
    // in a coroutine, the Task that ran it. Held by the registry below, that would keep the
    // task alive for ever and the report would never come; reading the stack lets them go.
    if (exception instanceof Error) void exception.stack;
    unretrieved.register(
      this,
      {
        loop: this._loop,
        message: `${this.constructor.name} exception was never retrieved`,
        exception,
        future: this.toString(),
        sourceTraceback: sourceTracebacks.get(this),
      },
      this,
    );
  }

  /**
   * Cancels it and schedules its callbacks; `msg` becomes the CancelledError's message.
   * @returns false when it was already done.
   */
  cancel(msg?: string | null): boolean {
    this._markRetrieved();
    return this._settleCancelled(msg ?? null, undefined);
  }

  /**
   * Cancels it, as Future's own `cancel()` whatever a subclass makes of that, keeping `error`
   * as the CancelledError the first awaiter gets. Low-level: for a subclass whose cancellation
   * is an error raised inside it (a Task's coroutine raising CancelledError; CPython's
   * `_cancelled_exc`).
   * @returns false when it was already done.
   */
  protected _cancelWithError(error: CancelledError): boolean {
    return this._settleCancelled(null, error);
  }

  private _settleCancelled(msg: string | null, error: CancelledError | undefined): boolean {
    if (this._state !== PENDING) return false;
    this._state = CANCELLED;
    this._cancelMessage = msg;
    this._result = error;
    this._scheduleCallbacks();
    return true;
  }

  /**
   * Calls `callback(future)` when it is done (soon, if it is done already), in `context` or
   * a copy of the current context.
   */
  addDoneCallback(callback: DoneCallback<this>, options?: { context?: Context }): void {
    if (typeof callback !== 'function') {
      throw new TypeError(`addDoneCallback() expects a function, got ${describeKind(callback)}`);
    }
    const context = options?.context ?? copyContext();
    if (this._state === PENDING) this._append(callback, context);
    else this._loop._enqueueCallback(context, callback, [this]);
  }

  /**
   * Queues `waiter` on the loop when the future is done (at once if it is done), in order with
   * the done callbacks. Low-level: how a Task waits without allocating a callback per wait; the
   * waiter reads the outcome itself.
   */
  addWaiter(waiter: Runnable): void {
    if (this._state === PENDING) this._append(waiter, null);
    else this._loop.scheduleRunnable(waiter);
  }

  /** Stores a callback (with its context) or a waiter (with null) to run on completion. */
  private _append(callback: Callback | Runnable, context: Context | null): void {
    const current = this._callbacks;
    if (current === null) {
      this._callbacks = context === null ? (callback as Runnable) : [callback, context];
    } else if (Array.isArray(current)) {
      current.push(callback, context);
    } else {
      this._callbacks = [current, null, callback, context];
    }
  }

  /**
   * Removes every registration of `callback`.
   * @returns how many were removed.
   */
  removeDoneCallback(callback: DoneCallback<this>): number {
    const rest = this._callbacks;
    // A waiter alone is not a function.
    if (!Array.isArray(rest)) return 0;
    let removed = 0;
    const kept: CallbackList = [];
    for (let i = 0; i < rest.length; i += 2) {
      if (rest[i] === callback) removed++;
      else kept.push(rest[i]!, rest[i + 1] ?? null);
    }
    this._callbacks = kept.length > 0 ? kept : null;
    return removed;
  }

  /** @internal The callbacks in the order they run, for introspection and `toString()`. */
  _doneCallbacks(): (Callback | Runnable)[] {
    const callbacks = this._callbacks;
    if (callbacks === null) return [];
    if (!Array.isArray(callbacks)) return [callbacks];
    const all: (Callback | Runnable)[] = [];
    for (let i = 0; i < callbacks.length; i += 2) all.push(callbacks[i] as Callback | Runnable);
    return all;
  }

  /** Schedules every done callback, in the order added, and forgets them. */
  protected _scheduleCallbacks(): void {
    const rest = this._callbacks;
    if (rest === null) return;
    this._callbacks = null;
    const loop = this._loop;
    if (!Array.isArray(rest)) {
      loop.scheduleRunnable(rest);
      return;
    }
    // One argument list, `[this]`, serves every callback handle made here; waiters need none.
    let args: readonly [this] | null = null;
    for (let i = 0; i < rest.length; i += 2) {
      const callback = rest[i] as Callback | Runnable;
      const context = rest[i + 1] as Context | null;
      if (context === null) loop.scheduleRunnable(callback as Runnable);
      else loop._enqueueCallback(context, callback as Callback, (args ??= [this]));
    }
  }

  /**
   * The CancelledError to throw for a cancelled future: the one given to `_cancelWithError`
   * when there is one (handed out once), else a new one carrying the cancel message. Low-level:
   * for subclasses and combinators such as `gather` (Python's `_make_cancelled_error`).
   */
  _makeCancelledError(): CancelledError {
    const own = this._result;
    if (this._state === CANCELLED && own !== undefined) {
      this._result = undefined;
      return own as CancelledError;
    }
    return loopCancelledError(this._cancelMessage ?? '');
  }

  /** The exception, or null, without marking it retrieved: for subclasses' diagnostics. */
  protected _peekException(): unknown {
    return this._state >= FAILED ? this._result : null;
  }

  /** Marks the exception as retrieved, so nothing reports it when the future is collected. */
  protected _markRetrieved(): void {
    if (this._state === FAILED_UNRETRIEVED) {
      this._state = FAILED;
      unretrieved.unregister(this);
    }
  }

  /** Waits for the future inside a coroutine: `const value = yield* future`. */
  [Symbol.iterator](): Iterator<Yieldable, T, unknown> {
    return new FutureIterator(this);
  }

  /** Lets ordinary async code `await` a future; the callbacks run on the future's loop. */
  // biome-ignore lint/suspicious/noThenProperty: a Future is deliberately a PromiseLike
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return new Promise<T>((resolve, reject) => {
      const settle = (): void => {
        try {
          resolve(this.result());
        } catch (exc) {
          reject(exc);
        }
      };
      if (this._state !== PENDING) settle();
      else this.addDoneCallback(settle);
    }).then(onFulfilled, onRejected);
  }

  /** The words inside the angle brackets of `toString()`. */
  protected describe(): string[] {
    const info: string[] = [STATE_NAMES[this._state].toLowerCase()];
    if (this._state === FINISHED) info.push(`result=${inspectValue(this._result)}`);
    else if (this._state >= FAILED) info.push(`exception=${inspectValue(this._result)}`);
    const callbacks = this._doneCallbacks();
    if (callbacks.length > 0) {
      // A waiter that is itself a future (a Task) is named, not rendered: its toString shows
      // this future as its wait_for, so rendering it here would recurse without end.
      const format = (cb: Callback | Runnable): string => {
        if (typeof cb === 'function') return formatCallback(cb, undefined);
        return cb instanceof Future ? `${cb.constructor.name}.wakeup()` : String(cb);
      };
      // As CPython: one or two are named; of more, the first, how many between, and the last.
      const shown =
        callbacks.length <= 2
          ? callbacks.map(format)
          : [format(callbacks[0]!), `<${callbacks.length - 2} more>`, format(callbacks.at(-1)!)];
      info.push(`cb=[${shown.join(', ')}]`);
    }
    return info;
  }

  toString(): string {
    return `<${this.constructor.name} ${this.describe().join(' ')}>`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** A short, single-line rendering of a value for `toString()`. */
export function inspectValue(value: unknown): string {
  if (value instanceof Error) return `${value.name}(${JSON.stringify(value.message)})`;
  return inspect(value, { depth: 0, breakLength: Number.POSITIVE_INFINITY }).slice(0, 80);
}

/**
 * While suspensions are recorded, the stack of the last suspension: every coroutine frame of
 * the `yield*` chain that suspended.
 */
let suspensionTrace: Error | null = null;

/**
 * The stack recorded by the last suspension (only while suspensions are recorded: debug mode or
 * `setIntrospection(true)`), and forgets it. Low-level: the Task that drove the coroutine reads
 * it right after the coroutine yields, since a suspended generator keeps no frames that could be
 * inspected later. The Error's `stack` is formatted only when read.
 */
export function takeSuspensionStack(): Error | null {
  const trace = suspensionTrace;
  suspensionTrace = null;
  return trace;
}

/**
 * Records the current stack as the suspension the driving Task reads next. Low-level: for a
 * coroutine object that suspends without a future (a bare `yield`, as `sleep(0)` does); call it
 * only when `recordsSuspensions` says so.
 */
export function recordSuspension(): void {
  suspensionTrace = captureTrace();
}

/**
 * The iterator behind `yield* future`: yields the future once, then returns its result. A plain
 * object, not a generator, and its own iterator result: a suspended coroutine keeps the last
 * result it was given for as long as it waits, so a wait costs this one small object.
 */
class FutureIterator<T> implements Iterator<Yieldable, T, unknown> {
  /** The iterator result's value: the future while it is awaited, then its result. */
  value: Yieldable | T;
  /** The iterator result's `done`. */
  done: boolean;
  readonly #future: Future<T>;

  constructor(future: Future<T>) {
    this.value = undefined;
    this.done = false;
    this.#future = future;
  }

  next(): IteratorResult<Yieldable, T> {
    const future = this.#future;
    if (!future.done()) {
      if (this.value === future) throw new RuntimeError("await wasn't used with future");
      this.value = future;
      if (recordsSuspensions(future._loop)) suspensionTrace = captureTrace();
      return this as IteratorResult<Yieldable, T>;
    }
    this.value = future.result();
    this.done = true;
    return this as IteratorResult<Yieldable, T>;
  }

  throw(exc: unknown): IteratorResult<Yieldable, T> {
    throw exc;
  }

  return(value?: T): IteratorResult<Yieldable, T> {
    return { value: value as T, done: true };
  }

  [Symbol.iterator](): this {
    return this;
  }
}

/** Whether `value` is a {@link Future} (a Task included). */
export function isFuture(value: unknown): value is Future<unknown> {
  return value instanceof Future;
}
