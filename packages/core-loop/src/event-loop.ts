/**
 * EventLoop: CPython's `BaseEventLoop` on top of the host's own event loop.
 *
 * The loop owns a FIFO ready queue of Handles and a heap of TimerHandles. One iteration
 * (`#runOnce`, the only place that calls callbacks) moves the due timers to the ready queue and
 * runs exactly the handles that were ready when it began, as CPython's `_run_once`.
 *
 * Iterations run back to back within one host turn while there is work, so a task switch costs
 * a function call, not a host hop; the host gets a turn when the loop is idle and at least every
 * TURN_BUDGET_MS of continuous work, so nothing starves. An idle loop holds at most one host
 * timer, armed for the earliest deadline, and nothing else, so a process exits by itself.
 * Work that arrives from outside (a settled promise, a worker message) wakes an idle loop with
 * a microtask.
 */
import { inspect } from 'node:util';
import { type Context, copyContext } from './context.js';
import { describeKind, isCoroutine, isCoroutineFunction } from './coroutine.js';
import { ensureFuture } from './ensure-future.js';
import { RuntimeError } from './errors.js';
import { createDefaultExecutor, type Executor } from './executor.js';
import { type Awaitable, type Coro, Future } from './future.js';
import { type Callback, Handle, type Runnable, TimerHandle } from './handle.js';
import { TimerHeap } from './internal/timer-heap.js';
import { noteDebugLoop } from './introspection-switch.js';
import { logger } from './logger.js';
import { RingQueue } from './ring-queue.js';
import { setRunningLoop, tryGetRunningLoop } from './running-loop.js';
import { wrapFuture } from './wrap-future.js';

/** The longest the loop runs callbacks without giving the host a turn. */
const TURN_BUDGET_MS = 4;
/** How many handles run between two looks at the clock for the budget. */
const HANDLES_PER_CLOCK_CHECK = 256;
/** Cancelled timers are swept from the heap once there are this many and they are most of it. */
const MIN_CANCELLED_TIMERS_TO_SWEEP = 100;
/** The longest delay a host `setTimeout` takes (2^31 - 1 ms, about 24.8 days). */
const MAX_HOST_DELAY_MS = 2 ** 31 - 1;

/** What the exception handler receives: a message and whatever objects were involved. */
export interface ExceptionContext {
  message: string;
  exception?: unknown;
  future?: unknown;
  task?: unknown;
  handle?: unknown;
  [key: string]: unknown;
}

/** `(loop, context) => void`: called for errors that nobody awaits. */
export type ExceptionHandler = (loop: EventLoop, context: ExceptionContext) => void;

/** Options of `createTask`; a task factory always receives an object (`{}` when none). */
export interface TaskOptions {
  name?: string;
  context?: Context;
  eagerStart?: boolean;
  /** Aborting the signal cancels the task, with the abort reason as the cancel message. */
  signal?: AbortSignal;
}

/** `(loop, coro, options) => Task`, installed with {@link EventLoop.setTaskFactory}. */
export type TaskFactory = (
  loop: EventLoop,
  coro: Coro<unknown>,
  options: TaskOptions,
) => Future<unknown>;

/** The constructor `loop.createTask` uses when no factory is set (the tasks package's `Task`). */
export type TaskConstructor = new (
  coro: Coro<unknown>,
  options: TaskOptions & { loop: EventLoop },
) => Future<unknown>;

function debugFromEnvironment(): boolean {
  return typeof process !== 'undefined' && process.env.ASYNCIO_TS_DEBUG === '1';
}

/**
 * An event loop: schedules callbacks and timers, runs tasks, and reports what nobody handled.
 * Most programs never touch it directly: `run(main)` makes one, runs `main` and closes it.
 * @example
 * ```ts
 * import { EventLoop } from '@asyncio-ts/core-loop';
 * const loop = new EventLoop();
 * loop.callLater(100, () => { console.log('later'); loop.stop(); });
 * loop.callSoon(() => console.log('soon'));
 * await loop.runForever(); // soon, later
 * loop.close();
 * ```
 */
export class EventLoop {
  /** Set by `@asyncio-ts/tasks` when it loads: what `createTask` builds without a factory. */
  static taskConstructor: TaskConstructor | null = null;

  /** In debug mode, a callback that runs longer than this (ms) is reported. */
  slowCallbackDuration: number;
  /** Timers due within this many ms of now count as due: the host timer's granularity. */
  protected readonly _clockResolution: number;

  readonly #ready: RingQueue<Runnable>;
  readonly #timers: TimerHeap<TimerHandle>;
  #timerSeq: number;
  #cancelledTimers: number;
  #closed: boolean;
  #running: boolean;
  #stopping: boolean;
  #inTurn: boolean;
  #turnScheduled: boolean;
  #debug: boolean;
  #exceptionHandler: ExceptionHandler | null;
  #taskFactory: TaskFactory | null;
  #defaultExecutor: Executor | null;
  #executorShutdownCalled: boolean;
  #hostTimer: ReturnType<typeof setTimeout> | null;
  #hostTimerWhen: number;
  #finishRun: (() => void) | null;
  #loopOnly: { loop: EventLoop } | null;
  readonly #turn: () => void;
  readonly #turnFromHost: () => void;
  readonly #hostTimerFired: () => void;

  constructor(options?: { clockResolution?: number }) {
    this.slowCallbackDuration = 100;
    this._clockResolution = options?.clockResolution ?? 1;
    this.#ready = new RingQueue<Runnable>();
    this.#timers = new TimerHeap<TimerHandle>();
    this.#timerSeq = 0;
    this.#cancelledTimers = 0;
    this.#closed = false;
    this.#running = false;
    this.#stopping = false;
    this.#inTurn = false;
    this.#turnScheduled = false;
    this.#debug = debugFromEnvironment();
    this.#exceptionHandler = null;
    this.#taskFactory = null;
    this.#defaultExecutor = null;
    this.#executorShutdownCalled = false;
    this.#hostTimer = null;
    this.#hostTimerWhen = Number.NaN;
    this.#finishRun = null;
    this.#loopOnly = null;
    this.#turn = () => this.#runTurn();
    this.#turnFromHost = () => queueMicrotask(this.#turn);
    this.#hostTimerFired = () => {
      this.#hostTimer = null;
      this._resume();
    };
  }

  // ---- time ----

  /** The loop's clock: monotonic milliseconds. */
  time(): number {
    return performance.now();
  }

  // ---- scheduling ----

  /**
   * Schedules `callback(...args)` to run on the next iteration, in a copy of the current
   * context. Callbacks run in the order they were scheduled.
   * @throws RuntimeError "Event loop is closed" after `close()`.
   */
  callSoon<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle {
    return this.callSoonInContext(
      copyContext(),
      callback as Callback,
      args.length > 0 ? args : undefined,
    );
  }

  /**
   * `callSoon` with an explicit context and argument list (Python's `context=` keyword); the
   * low-level form futures and tasks use, which copies nothing.
   */
  callSoonInContext(context: Context, callback: Callback, args?: readonly unknown[]): Handle {
    checkCallback(callback, 'callSoon');
    return this._enqueueCallback(context, callback, args);
  }

  /**
   * @internal `callSoonInContext` for a callback checked already (a future's done callbacks are
   * checked when they are added, not again each time one is scheduled).
   */
  _enqueueCallback(context: Context, callback: Callback, args?: readonly unknown[]): Handle {
    this.#checkClosed();
    const handle = new Handle(callback, args, this, context);
    this.#ready.push(handle);
    if (!this.#inTurn) this.#wake();
    return handle;
  }

  /**
   * Queues `runnable` to run on the next iteration, like `callSoon`. Low-level: for schedulers
   * that queue themselves (a Task, once per step) instead of allocating a Handle each time.
   */
  scheduleRunnable(runnable: Runnable): void {
    this.#checkClosed();
    this.#ready.push(runnable);
    if (!this.#inTurn) this.#wake();
  }

  /**
   * `callSoon` that may be called from any host callback (a promise reaction, an I/O event, a
   * worker message): it wakes an idle loop at once.
   */
  callSoonThreadsafe<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle {
    return this.callSoon(callback, ...args);
  }

  /**
   * Schedules `callback(...args)` to run after `delayMs` (a negative delay means now).
   * @throws TypeError when the delay is not a number; RangeError when it is NaN.
   */
  callLater<A extends unknown[]>(
    delayMs: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle {
    checkTime(delayMs, 'callLater', 'delay');
    return this.callAt(this.time() + delayMs, callback, ...args);
  }

  /** Schedules `callback(...args)` at loop time `whenMs`. */
  callAt<A extends unknown[]>(
    whenMs: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle {
    checkTime(whenMs, 'callAt', 'when');
    this.#checkClosed();
    checkCallback(callback, 'callAt');
    const timer = new TimerHandle(
      whenMs,
      this.#timerSeq++,
      callback as Callback,
      args.length > 0 ? args : undefined,
      this,
      copyContext(),
    );
    this.#timers.push(timer);
    timer._scheduled = true;
    if (!this.#inTurn) this.#wake();
    return timer;
  }

  /** @internal Counts a cancelled timer that is still in the heap. */
  _timerHandleCancelled(timer: TimerHandle): void {
    if (!timer._scheduled) return;
    this.#cancelledTimers++;
    // Cancelled from outside while idle: look again, so a host timer armed for this deadline
    // is dropped and an otherwise idle process can exit.
    if (!this.#inTurn) this.#wake();
  }

  // ---- futures and tasks ----

  /** A new Future bound to this loop. */
  createFuture<T>(): Future<T> {
    return new Future<T>((this.#loopOnly ??= { loop: this }));
  }

  /**
   * Wraps a coroutine in a Task scheduled on this loop (through the task factory, if one is set).
   * @throws RuntimeError after `close()`; TypeError when `coro` is not a coroutine.
   */
  createTask<T>(coro: Coro<T>, options?: TaskOptions): Future<T> {
    this.#checkClosed();
    const factory = this.#taskFactory;
    if (factory !== null) return factory(this, coro, options ?? {}) as Future<T>;
    const TaskClass = EventLoop.taskConstructor;
    if (TaskClass === null) {
      throw new RuntimeError('createTask() needs a Task class: import @asyncio-ts/tasks first');
    }
    // Most tasks are created without options: they share the loop's one `{ loop }` object.
    const withLoop =
      options === undefined ? (this.#loopOnly ??= { loop: this }) : { ...options, loop: this };
    return new TaskClass(coro, withLoop) as Future<T>;
  }

  /** Installs a task factory, or removes it with null. */
  setTaskFactory(factory: TaskFactory | null): void {
    if (factory !== null && typeof factory !== 'function') {
      throw new TypeError(`task factory must be a function or null, got ${describeKind(factory)}`);
    }
    this.#taskFactory = factory;
  }

  /** The task factory, or null. */
  getTaskFactory(): TaskFactory | null {
    return this.#taskFactory;
  }

  // ---- running ----

  /** Whether `runForever` (or `runUntilComplete`) is in progress. */
  isRunning(): boolean {
    return this.#running;
  }

  /** Whether `close()` was called. */
  isClosed(): boolean {
    return this.#closed;
  }

  /**
   * Runs the loop until `stop()` is called. The promise settles when it has stopped.
   * @throws RuntimeError when the loop is closed, already running, or another loop's callback is
   * running.
   */
  runForever(): Promise<void> {
    this.#checkClosed();
    this.#checkNotRunning();
    this.#running = true;
    const stopped = new Promise<void>((resolve) => {
      this.#finishRun = resolve;
    });
    this.#runTurn();
    return stopped;
  }

  /**
   * Runs the loop until `aw` is done and settles with its result. A coroutine is wrapped in a
   * Task, a promise in a Future.
   * @throws RuntimeError (synchronously) when the loop cannot run now; the promise rejects with
   * the awaitable's error, or RuntimeError "Event loop stopped before Future completed.".
   */
  runUntilComplete<T>(aw: Awaitable<T> | PromiseLike<T>): Promise<T> {
    this.#checkClosed();
    this.#checkNotRunning();
    const future = ensureFuture(aw, { loop: this });
    const stopWhenDone = (): void => this.stop();
    future.addDoneCallback(stopWhenDone);
    return this.runForever().then(() => {
      future.removeDoneCallback(stopWhenDone);
      if (!future.done()) throw new RuntimeError('Event loop stopped before Future completed.');
      return future.result();
    });
  }

  /** Stops the loop after the iteration in progress. */
  stop(): void {
    this.#stopping = true;
    if (this.#running && !this.#inTurn) this.#wake();
  }

  /**
   * Closes the loop: drops pending callbacks and timers and shuts the default executor down
   * without waiting. Idempotent.
   * @throws RuntimeError "Cannot close a running event loop" while running.
   */
  close(): void {
    if (this.#running) throw new RuntimeError('Cannot close a running event loop');
    if (this.#closed) return;
    this.#closed = true;
    this.#ready.clear();
    for (const timer of this.#timers.values()) timer._scheduled = false;
    this.#timers.clear();
    this.#cancelledTimers = 0;
    this.#clearHostTimer();
    const executor = this.#defaultExecutor;
    this.#defaultExecutor = null;
    executor?.shutdown({ wait: false });
  }

  // ---- executors ----

  /**
   * Runs `fn(...args)` in `executor` (null: the default executor) and returns a Future of its
   * result.
   * @throws RuntimeError when the default executor was shut down.
   */
  runInExecutor<A extends unknown[], R>(
    executor: Executor | null,
    fn: (...args: A) => R | PromiseLike<R>,
    ...args: A
  ): Future<R> {
    this.#checkClosed();
    if (typeof fn !== 'function') {
      throw new TypeError(`runInExecutor() expects a function, got ${describeKind(fn)}`);
    }
    if (executor === null) {
      if (this.#executorShutdownCalled) throw new RuntimeError('Executor shutdown has been called');
      executor = this.#defaultExecutor ??= createDefaultExecutor();
    }
    return wrapFuture(executor.submit(fn, ...args), { loop: this });
  }

  /** Makes `executor` the default for `runInExecutor(null, ...)`. */
  setDefaultExecutor(executor: Executor): void {
    if (typeof executor?.submit !== 'function') {
      throw new TypeError(`executor must have a submit() method, got ${describeKind(executor)}`);
    }
    this.#defaultExecutor = executor;
  }

  /** Shuts the default executor down and waits for its running work; later use is refused. */
  *shutdownDefaultExecutor(): Coro<void> {
    this.#executorShutdownCalled = true;
    const executor = this.#defaultExecutor;
    if (executor === null) return;
    this.#defaultExecutor = null;
    yield* wrapFuture(Promise.resolve(executor.shutdown({ wait: true })), { loop: this });
  }

  // ---- errors ----

  /** Installs the handler for errors nobody awaits, or restores the default with null. */
  setExceptionHandler(handler: ExceptionHandler | null): void {
    if (handler !== null && typeof handler !== 'function') {
      throw new TypeError(`A function or null is expected, got ${describeKind(handler)}`);
    }
    this.#exceptionHandler = handler;
  }

  /** The installed exception handler, or null. */
  getExceptionHandler(): ExceptionHandler | null {
    return this.#exceptionHandler;
  }

  /**
   * Reports an error nobody awaits: to the installed handler, else the default one. Never
   * throws: an error in the handler is reported by the default handler.
   */
  callExceptionHandler(context: ExceptionContext): void {
    const handler = this.#exceptionHandler;
    if (handler === null) {
      try {
        this.defaultExceptionHandler(context);
      } catch (exc) {
        logger.error(`Exception in default exception handler\n${formatError(exc)}`);
      }
      return;
    }
    try {
      handler(this, context);
    } catch (exc) {
      try {
        this.defaultExceptionHandler({
          message: 'Unhandled error in exception handler',
          exception: exc,
          context,
        });
      } catch (inner) {
        logger.error(
          'Exception in default exception handler while handling an unexpected error in custom ' +
            `exception handler\n${formatError(inner)}`,
        );
      }
    }
  }

  /** Writes `context` to the logger: the message, each other key, then the error's stack. */
  defaultExceptionHandler(context: ExceptionContext): void {
    const lines = [context.message || 'Unhandled exception in event loop'];
    for (const key of Object.keys(context).sort()) {
      if (key === 'message' || key === 'exception') continue;
      const value = context[key];
      lines.push(`${key}: ${typeof value === 'string' ? value : inspect(value, { depth: 1 })}`);
    }
    if ('exception' in context) lines.push(formatError(context.exception));
    logger.error(lines.join('\n'));
  }

  // ---- debug ----

  /** Whether debug mode is on (also set by the environment variable ASYNCIO_TS_DEBUG=1). */
  getDebug(): boolean {
    return this.#debug;
  }

  /** Turns debug mode on or off: slow callbacks are reported, sources are recorded. */
  setDebug(enabled: boolean): void {
    this.#debug = Boolean(enabled);
    if (this.#debug) noteDebugLoop();
  }

  // ---- the turn ----

  /**
   * The loop time of the earliest live timer, or null when there is none; drops cancelled
   * timers from the top of the heap.
   */
  protected _nextTimerWhen(): number | null {
    const timers = this.#timers;
    let top = timers.peek();
    while (top !== undefined && top._cancelled) {
      timers.pop();
      top._scheduled = false;
      this.#cancelledTimers--;
      top = timers.peek();
    }
    return top === undefined ? null : top._when;
  }

  /** How many handles wait in the ready queue. */
  protected _readyCount(): number {
    return this.#ready.length;
  }

  /**
   * Called when nothing is ready and the earliest timer, due at loop time `whenMs`, is `delayMs`
   * away: gives the host the turn until then. This arms the single host timer (kept as it is
   * when it is already armed for that deadline); a loop with its own clock overrides it.
   */
  protected _waitForTimer(delayMs: number, when: number): void {
    if (this.#hostTimer !== null && this.#hostTimerWhen === when) return;
    this.#clearHostTimer();
    this.#hostTimerWhen = when;
    // A longer host delay overflows to 1 ms (TimeoutOverflowWarning, and a wake-up every ms):
    // wait at most the longest one and look again then.
    this.#hostTimer = setTimeout(
      this.#hostTimerFired,
      Math.min(Math.ceil(delayMs), MAX_HOST_DELAY_MS),
    );
  }

  /**
   * Continues running after a host turn, unless a turn is scheduled or the loop stopped. Called
   * from host callbacks (a timer, an immediate), it queues the turn as a microtask rather than
   * running it there: the engine's throw costs twice as much inside a host callback as inside a
   * microtask (about 520 against 270 ns in Node 20), and every cancellation is a throw.
   */
  protected _resume(): void {
    if (!this.#inTurn) this.#wake();
  }

  #wake(): void {
    if (this.#running && !this.#turnScheduled) {
      this.#turnScheduled = true;
      queueMicrotask(this.#turn);
    }
  }

  #clearHostTimer(): void {
    if (this.#hostTimer !== null) {
      clearTimeout(this.#hostTimer);
      this.#hostTimer = null;
    }
  }

  /** Iterations back to back until the loop is idle, stops, or has used its budget. */
  #runTurn(): void {
    this.#turnScheduled = false;
    if (!this.#running || this.#inTurn) return;
    this.#inTurn = true;
    setRunningLoop(this);
    const started = performance.now();
    let sinceClockCheck = 0;
    try {
      for (;;) {
        sinceClockCheck += this.#runOnce();
        if (this.#stopping) {
          this.#stopRunning();
          return;
        }
        if (this.#ready.length === 0) {
          const when = this._nextTimerWhen();
          if (when === null) {
            this.#clearHostTimer();
            return;
          }
          const delay = when - this.time();
          if (delay > this._clockResolution) {
            this._waitForTimer(delay, when);
            return;
          }
        }
        if (sinceClockCheck >= HANDLES_PER_CLOCK_CHECK) {
          sinceClockCheck = 0;
          if (performance.now() - started >= TURN_BUDGET_MS) {
            // The host's turn, then this one as a microtask (see `_resume`).
            this.#turnScheduled = true;
            setImmediate(this.#turnFromHost);
            return;
          }
        }
      }
    } finally {
      this.#inTurn = false;
      setRunningLoop(null);
    }
  }

  #stopRunning(): void {
    this.#running = false;
    this.#stopping = false;
    this.#clearHostTimer();
    const finish = this.#finishRun;
    this.#finishRun = null;
    finish?.();
  }

  /**
   * One iteration: the due timers join the ready queue, then exactly the handles ready now
   * run. This is the only place callbacks are called. Returns how many ran.
   */
  #runOnce(): number {
    const timers = this.#timers;
    const ready = this.#ready;
    if (timers.length > 0) {
      if (
        this.#cancelledTimers > MIN_CANCELLED_TIMERS_TO_SWEEP &&
        this.#cancelledTimers * 2 > timers.length
      ) {
        this.#sweepCancelledTimers();
      }
      const end = this.time() + this._clockResolution;
      let top = timers.peek();
      while (top !== undefined && top._when <= end) {
        timers.pop();
        top._scheduled = false;
        if (top._cancelled) this.#cancelledTimers--;
        else ready.push(top);
        top = timers.peek();
      }
    }
    const count = ready.length;
    if (this.#debug) {
      for (let i = 0; i < count; i++) this.#runDebug(ready.shift());
    } else {
      for (let i = 0; i < count; i++) {
        const handle = ready.shift();
        if (handle._cancelled !== true) handle._run();
      }
    }
    return count;
  }

  #runDebug(handle: Runnable): void {
    if (handle._cancelled === true) return;
    const started = performance.now();
    handle._run();
    const took = performance.now() - started;
    if (took >= this.slowCallbackDuration) {
      logger.warning(`Executing ${handle} took ${(took / 1000).toFixed(3)} seconds`);
    }
  }

  #sweepCancelledTimers(): void {
    this.#timers.filter((timer) => {
      if (!timer._cancelled) return true;
      timer._scheduled = false;
      return false;
    });
    this.#cancelledTimers = 0;
  }

  #checkClosed(): void {
    if (this.#closed) throw new RuntimeError('Event loop is closed');
  }

  #checkNotRunning(): void {
    if (this.#running) throw new RuntimeError('This event loop is already running');
    if (tryGetRunningLoop() !== null) {
      throw new RuntimeError('Cannot run the event loop while another loop is running');
    }
  }

  toString(): string {
    return `<${this.constructor.name} running=${this.#running} closed=${this.#closed} debug=${this.#debug}>`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

function checkCallback(callback: unknown, method: string): void {
  // Calling a coroutine function only makes a coroutine that nothing runs (CPython refuses both).
  if (isCoroutineFunction(callback) || isCoroutine(callback)) {
    throw new TypeError(`coroutines cannot be used with ${method}()`);
  }
  if (typeof callback !== 'function') {
    throw new TypeError(`a function was expected by ${method}(), got ${describeKind(callback)}`);
  }
}

function checkTime(value: unknown, method: string, what: string): void {
  if (typeof value !== 'number') {
    throw new TypeError(`${method}() ${what} must be a number, got ${describeKind(value)}`);
  }
  if (Number.isNaN(value)) throw new RangeError(`${method}() ${what} must not be NaN`);
}

function formatError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return inspect(error);
}

/** A new event loop (Python's `new_event_loop()`). */
export function newEventLoop(): EventLoop {
  return new EventLoop();
}
