/**
 * Task: a coroutine driven on the loop (Python's `asyncio.Task`).
 *
 * Invariant: a pending Task has either a `futWaiter` (the future its coroutine waits on) or a
 * scheduled step, never both. A step resumes the coroutine with `next(value)` or `throw(exc)`;
 * what the coroutine yields decides what happens next: a Future is waited on (its done callback
 * is the task's wakeup), a bare `yield` reschedules the step, a PromiseLike is wrapped in a
 * Future first. Cancellation is requested by `cancel()` and delivered by cancelling `futWaiter`,
 * or, when there is none, by throwing CancelledError in at the next step (`mustCancel`).
 */
import {
  CancelledError,
  type Context,
  type Coro,
  coroutineFrames,
  currentContext,
  describeKind,
  EventLoop,
  enterContext,
  exitContext,
  Future,
  formatStackFrame,
  getRunningLoop,
  InvalidStateError,
  inspectValue,
  isCoroutine,
  isCoroutineFunction,
  isCurrentContext,
  RuntimeError,
  recordsSuspensions,
  type StackFrame,
  shareContext,
  type TaskOptions,
  takeSuspensionStack,
  wrapFuture,
  type Yieldable,
} from '@asyncio-ts/core-loop';
import { publishTaskCreated, publishTaskDone } from './channels.js';
import {
  enterTask,
  isStepping,
  leaveTask,
  pendingTasksOf,
  swapCurrentTask,
} from './current-task.js';
import { createdAt, describeCoroutine, warnSwallowedCancellation } from './debug-reports.js';

/** The options of `new Task(coro, options)`. */
export interface TaskConstructorOptions extends TaskOptions {
  loop?: EventLoop;
}

/**
 * Where each task last suspended, recorded only while suspensions are recorded (debug mode or
 * `setIntrospection(true)`); a side table, so tasks pay no field for it otherwise.
 */
const suspensions = new WeakMap<Task<unknown>, Error>();

/** Marks a step that resumes the coroutine with a value rather than throwing into it. */
const NO_EXCEPTION: unique symbol = Symbol('NO_EXCEPTION');

/** The bit of `#cancels` that says a cancellation must be thrown in at the next step. */
const MUST_CANCEL = 1;

let taskCounter = 0;

/**
 * The frames of a task's error: none when no coroutine frame is among them (the error came out
 * of a hand-written coroutine such as `sleep()`'s, and the frames under the loop are the
 * host's, not the task's).
 */
function errorFrames(error: Error): StackFrame[] {
  const frames = coroutineFrames(error);
  return frames.some((frame) => frame.isCoroutine) ? frames : [];
}

/**
 * The frames of a task's suspension, from its innermost coroutine frame out. The frames above
 * that one are whatever recorded the suspension (a future's iterator, a sleep, a lock's wait),
 * never the task's; with no coroutine frame at all there are none.
 */
function suspensionFrames(trace: Error | undefined): StackFrame[] {
  const frames = coroutineFrames(trace);
  const innermost = frames.findIndex((frame) => frame.isCoroutine);
  return innermost < 0 ? [] : frames.slice(innermost);
}

/** Turns an abort reason into a cancel message. */
function abortMessage(reason: unknown): string {
  if (typeof reason === 'string') return reason;
  if (reason instanceof Error) return reason.message;
  return String(reason);
}

/**
 * A coroutine scheduled on the loop. Create one with {@link createTask}; wait for it with
 * `yield* task` (inside a coroutine) or `await task` (outside).
 * @example
 * ```ts
 * import { createTask, run, sleep } from '@asyncio-ts/tasks';
 * await run(function* () {
 *   const task = createTask(sleep(100, 'done'), { name: 'sleeper' });
 *   console.log(yield* task); // done
 * });
 * ```
 */
export class Task<T = unknown> extends Future<T> {
  // Fields may be `#private`; methods are TypeScript-private instead: a class with a `#method`
  // stores a brand in every instance, a word per object that a pending task cannot spare.
  #coro: Coro<T> | null;
  /** Shared with sibling tasks until this one sets a variable or hands its context out. */
  #context: Context;
  #name: string | number;
  #futWaiter: Future<unknown> | null;
  /**
   * The outstanding cancellation requests times two, plus one while a cancellation must still
   * be thrown in at the next step (CPython's `_num_cancels_requested` and `_must_cancel` in one
   * field: a pending task is mostly fields).
   */
  #cancels: number;
  /** @internal Links of the loop's list of pending tasks. */
  _pendingPrev: Task<unknown> | null;
  /** @internal */
  _pendingNext: Task<unknown> | null;

  /**
   * @throws TypeError when `coro` is not a coroutine object (a function must be called first).
   */
  constructor(coro: Coro<T>, options?: TaskConstructorOptions) {
    super(options);
    if (!isCoroutine(coro)) {
      const hint = isCoroutineFunction(coro)
        ? ' (call it to make a coroutine object)'
        : typeof coro === 'function'
          ? ' (a task runs a function* coroutine; wait for a promise with ensureFuture)'
          : '';
      throw new TypeError(`a coroutine was expected, got ${describeKind(coro)}${hint}`);
    }
    const name = options?.name;
    this.#name = name === undefined || name === null ? ++taskCounter : String(name);
    this.#coro = coro;
    this.#context = options?.context ?? shareContext();
    this.#futWaiter = null;
    this.#cancels = 0;
    this._pendingPrev = null;
    this._pendingNext = null;
    const signal = options?.signal;
    if (signal !== undefined) this._followSignal(signal);
    publishTaskCreated(this);
    if (options?.eagerStart === true && this.getLoop().isRunning()) {
      this._eagerStart();
    } else {
      this.getLoop().scheduleRunnable(this);
      pendingTasksOf(this.getLoop()).add(this);
    }
  }

  /** The coroutine, or null once an eager task finished during its eager start. */
  getCoro(): Coro<T> | null {
    return this.#coro;
  }

  /** The context every step of this task runs in. */
  getContext(): Context {
    const context = this.#context;
    if (!context._isShared()) return context;
    // Its own from now on: the current context when this task's step is the one running in it.
    const own = isCurrentContext(context) && isStepping(this) ? currentContext() : context._own();
    this.#context = own;
    return own;
  }

  /** The task's name: the one given, else `Task-N`. */
  getName(): string {
    return typeof this.#name === 'number' ? `Task-${this.#name}` : this.#name;
  }

  /** Renames the task (any value is turned into a string). */
  setName(value: unknown): void {
    this.#name = String(value);
  }

  /**
   * The frames of the coroutine, oldest first, as `at name (file:line:column)` lines: where it is
   * suspended (on a future, or in `sleep(0)`), or, once it failed, where its error was thrown. A
   * suspended generator keeps no frames to inspect, so the frames of a suspension are recorded
   * when it happens, only in debug mode or after `setIntrospection(true)`; otherwise a pending
   * task has none. These are the frames of the task's call graph (`captureCallGraph`), in the
   * opposite order. With `limit`, a pending task keeps its newest frames and a failed one its
   * oldest, as CPython.
   */
  getStack(options?: { limit?: number }): string[] {
    const limit = options?.limit;
    let frames: StackFrame[];
    if (this.done()) {
      const exc = this.cancelled() ? null : this._peekException();
      frames = exc instanceof Error ? errorFrames(exc) : [];
      frames.reverse();
      if (limit !== undefined) frames = frames.slice(0, Math.max(0, limit));
    } else {
      frames = this._suspendedFrames();
      frames.reverse();
      if (limit !== undefined) frames = frames.slice(Math.max(0, frames.length - limit));
    }
    return frames.map(formatStackFrame);
  }

  /**
   * The frames where the pending task is suspended, newest first (the call stack of its call
   * graph); empty when done or when its suspension was not recorded. Low-level: for
   * introspection (`captureCallGraph`), which most code should use instead.
   */
  _suspendedFrames(): StackFrame[] {
    if (this.done()) return [];
    return suspensionFrames(suspensions.get(this));
  }

  /** Prints the task and its stack to `file` (default: standard error). */
  printStack(options?: { limit?: number; file?: { write(text: string): unknown } }): void {
    const file = options?.file ?? process.stderr;
    const frames = this.getStack(
      options?.limit === undefined ? undefined : { limit: options.limit },
    );
    const kind = this.done() ? 'Traceback' : 'Stack';
    const lines =
      frames.length === 0
        ? [`No stack for ${this}`]
        : [`${kind} for ${this} (most recent call last):`, ...frames];
    if (this.done() && !this.cancelled()) {
      const exc = this.exception();
      if (exc !== null) lines.push(exc instanceof Error ? (exc.stack ?? String(exc)) : String(exc));
    }
    file.write(`${lines.join('\n')}\n`);
  }

  /**
   * Requests cancellation: the coroutine gets a CancelledError (carrying `msg`) thrown in where
   * it waits, on its next step. It may catch it; see {@link uncancel}.
   * @returns false when the task is already done.
   */
  override cancel(msg?: string | null): boolean {
    this._markRetrieved();
    if (this.done()) return false;
    this.#cancels += 2;
    const waiter = this.#futWaiter;
    // Leave futWaiter in place: it may be a task that ignores the cancellation, so it may need
    // cancelling again later.
    if (waiter !== null && waiter.cancel(msg)) return true;
    this.#cancels |= MUST_CANCEL;
    this._cancelMessage = msg ?? null;
    return true;
  }

  /** How many cancellation requests are outstanding (not undone by `uncancel`). */
  cancelling(): number {
    return this.#cancels >> 1;
  }

  /**
   * Undoes one cancellation request; at zero a pending `mustCancel` is dropped too. Used by
   * code that cancels and then swallows the CancelledError (timeouts, task groups).
   * @returns the number of requests left.
   */
  uncancel(): number {
    if (this.#cancels >= 2) {
      this.#cancels -= 2;
      if (this.#cancels < 2) this.#cancels = 0;
    }
    return this.#cancels >> 1;
  }

  /** @throws RuntimeError: a task's result comes from its coroutine. */
  override setResult(_value: T): never {
    throw new RuntimeError('Task does not support setResult() operation');
  }

  /** @throws RuntimeError: a task's exception comes from its coroutine. */
  override setException(_exception: unknown): never {
    throw new RuntimeError('Task does not support setException() operation');
  }

  protected override _scheduleCallbacks(): void {
    pendingTasksOf(this.getLoop()).delete(this);
    // A done task's record is never read again and goes with the task: no delete on this path.
    publishTaskDone(this);
    super._scheduleCallbacks();
  }

  private _followSignal(signal: AbortSignal): void {
    if (signal.aborted) {
      this.cancel(abortMessage(signal.reason));
      return;
    }
    const onAbort = (): void => {
      this.cancel(abortMessage(signal.reason));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    super.addDoneCallback(() => signal.removeEventListener('abort', onAbort));
  }

  private _eagerStart(): void {
    const previous = swapCurrentTask(this);
    pendingTasksOf(this.getLoop()).add(this);
    // A signal that was aborted already cancelled the task in the constructor: the first step
    // throws CancelledError in, as it does for a task that starts lazily.
    let exc: unknown = NO_EXCEPTION;
    if (this._takeMustCancel()) exc = this._makeCancelledError();
    const context = this.#context;
    const previousContext = enterContext(context);
    try {
      this._resume(exc, undefined);
    } finally {
      this._keepContext(context, exitContext(previousContext));
      swapCurrentTask(previous);
      if (this.done()) this.#coro = null;
    }
  }

  /**
   * @internal Called by the loop, in the task's context: the task queues itself for a step,
   * and the future in `futWaiter` queues it when done (the wakeup). Errors go to the loop's
   * exception handler, as for a Handle.
   */
  _run(): void {
    const context = this.#context;
    let previous: Context;
    try {
      previous = enterContext(context);
    } catch (exc) {
      this._report(exc);
      return;
    }
    try {
      const waiter = this.#futWaiter;
      if (waiter === null) this._runStep();
      else this._wake(waiter);
    } catch (exc) {
      this._report(exc);
    } finally {
      this._keepContext(context, exitContext(previous));
    }
  }

  /**
   * After a step that entered `entered`: a variable set in a shared context moved this task's
   * values to a private copy, `left`, which its later steps run in.
   */
  private _keepContext(entered: Context, left: Context): void {
    if (left !== entered) this.#context = left;
  }

  private _report(exc: unknown): void {
    this.getLoop().callExceptionHandler({
      message: `Exception in callback ${this.constructor.name}.step()`,
      exception: exc,
      task: this,
    });
  }

  /** A scheduled step: the first, one after a bare `yield`, or one that throws in an error. */
  private _runStep(): void {
    // A pending future has no outcome, so its result slot holds the error to throw in, if any.
    const exc = this._result;
    if (exc === undefined) {
      this._stepWith(NO_EXCEPTION, undefined);
    } else {
      this._result = undefined;
      this._stepWith(exc, undefined);
    }
  }

  /** The done callback of the future the task waits on. */
  private _wake(future: Future<unknown>): void {
    // A cancelled future hands over its CancelledError without a throw and catch here.
    if (future.cancelled()) {
      this._stepWith(future._makeCancelledError(), undefined);
      return;
    }
    let value: unknown;
    try {
      value = future.result();
    } catch (exc) {
      this._stepWith(exc, undefined);
      return;
    }
    this._stepWith(NO_EXCEPTION, value);
  }

  private _stepWith(exc: unknown, value: unknown): void {
    if (this.done()) {
      throw new InvalidStateError(`step(): already done: ${this}, ${inspectValue(exc)}`);
    }
    if (this._takeMustCancel() && !(exc instanceof CancelledError)) {
      exc = this._makeCancelledError();
    }
    this.#futWaiter = null;
    enterTask(this);
    try {
      this._resume(exc, value);
    } finally {
      leaveTask(this);
    }
  }

  /** Resumes the coroutine once and acts on what it yields, returns or throws. */
  private _resume(exc: unknown, value: unknown): void {
    const coro = this.#coro!;
    // A stack recorded by a coroutine that no task drove (one stepped by hand) must not be
    // taken for where this one suspends.
    if (recordsSuspensions(this.getLoop())) takeSuspensionStack();
    let step: IteratorResult<Yieldable, T>;
    try {
      step = exc === NO_EXCEPTION ? coro.next(value) : coro.throw(exc);
    } catch (error) {
      if (error instanceof CancelledError) {
        this._cancelWithError(error);
      } else {
        super.setException(error);
      }
      return;
    }
    if (step.done === true) {
      if (this._takeMustCancel()) {
        // Cancelled right before the coroutine returned.
        super.cancel(this._cancelMessage);
      } else {
        if (this.#cancels >= 2) warnSwallowedCancellation(this);
        super.setResult(step.value);
      }
      return;
    }
    const yielded = step.value;
    // Looked at again: the step itself may have switched recording on.
    if (recordsSuspensions(this.getLoop())) this._recordSuspension();
    if (yielded instanceof Future) this._waitOn(yielded);
    else if (yielded === undefined) this.getLoop().scheduleRunnable(this);
    else if (typeof (yielded as PromiseLike<unknown>)?.then === 'function') {
      this._waitOn(wrapFuture(yielded, { loop: this.getLoop() }));
    } else if (isCoroutine(yielded)) {
      this._stepLater(
        new RuntimeError(`yield was used instead of yield* for a coroutine in task ${this}`),
      );
    } else {
      this._stepLater(new RuntimeError(`Task got bad yield: ${inspectValue(yielded)}`));
    }
  }

  private _recordSuspension(): void {
    const trace = takeSuspensionStack();
    if (trace === null) suspensions.delete(this);
    else suspensions.set(this, trace);
  }

  private _waitOn(future: Future<unknown>): void {
    if (future.getLoop() !== this.getLoop()) {
      this._stepLater(
        new RuntimeError(`Task ${this} got Future ${future} attached to a different loop`),
      );
    } else if (future === this) {
      this._stepLater(new RuntimeError(`Task cannot await on itself: ${this}`));
    } else {
      future.addWaiter(this);
      this.#futWaiter = future;
      if ((this.#cancels & MUST_CANCEL) !== 0 && future.cancel(this._cancelMessage)) {
        this.#cancels &= ~MUST_CANCEL;
      }
    }
  }

  /** Whether a cancellation must be thrown in at this step; clears the request if so. */
  private _takeMustCancel(): boolean {
    if ((this.#cancels & MUST_CANCEL) === 0) return false;
    this.#cancels &= ~MUST_CANCEL;
    return true;
  }

  /** Schedules a step that throws `exc` (an Error) into the coroutine. */
  private _stepLater(exc: Error): void {
    this._result = exc;
    this.getLoop().scheduleRunnable(this);
  }

  protected override describe(): string[] {
    const info = super.describe();
    if (this.#cancels >= 2 && !this.done()) info[0] = 'cancelling';
    info.splice(1, 0, `name=${this.getName()}`);
    const coro = describeCoroutine(this._suspendedFrames());
    if (coro !== null) info.splice(2, 0, `coro=${coro}`);
    if (this.#futWaiter !== null) info.push(`wait_for=${this.#futWaiter}`);
    const created = createdAt(this._sourceTraceback());
    if (created !== null) info.push(`created at ${created}`);
    return info;
  }
}

EventLoop.taskConstructor = Task as unknown as typeof EventLoop.taskConstructor;

/**
 * Wraps `coro` in a Task on the running loop and schedules it (Python's `asyncio.create_task`).
 * Keep a reference to the task, or await it: an error in a task nobody awaits is reported
 * through the loop's exception handler only when the task is collected.
 * @example
 * ```ts
 * import { createTask, run, sleep } from '@asyncio-ts/tasks';
 * await run(function* () {
 *   const a = createTask(sleep(1000, 'a'));
 *   const b = createTask(sleep(2000, 'b'));
 *   console.log(yield* a, yield* b); // after 2 s, not 3
 * });
 * ```
 * @throws RuntimeError "no running event loop" outside a running loop; TypeError when `coro` is
 * not a coroutine object.
 */
export function createTask<T>(coro: Coro<T>, options?: TaskOptions): Task<T> {
  return getRunningLoop().createTask(coro, options) as Task<T>;
}
