/**
 * Handles: a callback with its arguments and context, scheduled on the loop. The loop's
 * `runOnce` is the only caller of `_run`.
 */
import { inspect } from 'node:util';
import { type Context, enterContext, exitContext } from './context.js';
import type { EventLoop, ExceptionContext } from './event-loop.js';

export type Callback = (...args: any[]) => unknown;

/** Shown for a callback whose name the engine does not know. */
function callbackName(callback: Callback): string {
  return callback.name === '' ? '<anonymous>' : callback.name.replace(/^bound /, '');
}

/** `name(arg1, arg2)`, as the loop's messages name a callback. */
export function formatCallback(callback: Callback, args: readonly unknown[] | undefined): string {
  const shown = args === undefined ? '' : args.map((a) => inspect(a, { depth: 0 })).join(', ');
  return `${callbackName(callback)}(${shown})`;
}

/**
 * Anything the loop's ready queue can hold: a {@link Handle}, or an object that schedules itself
 * without allocating one (a Task queues itself for each step). Low-level: the loop calls
 * `_run()` unless `_cancelled` is true; `_run` must not throw.
 */
export interface Runnable {
  _run(): void;
  readonly _cancelled?: boolean;
}

/**
 * A callback scheduled by {@link EventLoop.callSoon}: `cancel()` keeps it from running.
 * @example
 * ```ts
 * const handle = loop.callSoon(() => console.log('never'));
 * handle.cancel();
 * ```
 */
export class Handle implements Runnable {
  /** @internal */
  _callback: Callback;
  /** @internal */
  _args: readonly unknown[] | undefined;
  /** @internal */
  readonly _loop: EventLoop;
  /** @internal */
  readonly _context: Context;
  /** @internal */
  _cancelled: boolean;
  /** @internal Where it was scheduled, in debug mode. */
  _sourceTraceback: string | undefined;
  /** @internal What it was, kept in debug mode once `cancel()` drops the callback. */
  _repr: string | undefined;

  constructor(
    callback: Callback,
    args: readonly unknown[] | undefined,
    loop: EventLoop,
    context: Context,
  ) {
    this._callback = callback;
    this._args = args;
    this._loop = loop;
    this._context = context;
    this._cancelled = false;
    this._sourceTraceback = loop.getDebug() ? captureSource() : undefined;
    this._repr = undefined;
  }

  /** Keeps the callback from running; does nothing if it has run or was cancelled. */
  cancel(): void {
    if (this._cancelled) return;
    this._cancelled = true;
    if (this._loop.getDebug()) this._repr = this.toString();
    this._callback = noop;
    this._args = undefined;
  }

  /** Whether `cancel()` was called. */
  cancelled(): boolean {
    return this._cancelled;
  }

  /** The context the callback runs in. */
  getContext(): Context {
    return this._context;
  }

  /**
   * Runs the callback in its context; an error goes to the loop's exception handler. The loop
   * calls it (a Handle is a {@link Runnable}); other code should not.
   */
  _run(): void {
    let previous: Context;
    try {
      previous = enterContext(this._context);
    } catch (exc) {
      this._report(exc);
      return;
    }
    try {
      const args = this._args;
      if (args === undefined) this._callback();
      else if (args.length === 1) this._callback(args[0]);
      else this._callback(...args);
    } catch (exc) {
      this._report(exc);
    } finally {
      exitContext(previous);
    }
  }

  private _report(exc: unknown): void {
    const context: ExceptionContext = {
      message: `Exception in callback ${formatCallback(this._callback, this._args)}`,
      exception: exc,
      handle: this,
    };
    if (this._sourceTraceback !== undefined) context.sourceTraceback = this._sourceTraceback;
    this._loop.callExceptionHandler(context);
  }

  protected describe(): string[] {
    const info: string[] = [this.constructor.name];
    if (this._cancelled) info.push('cancelled');
    // Named until cancel() drops it: in debug mode cancel() keeps this text (CPython's _repr).
    if (this._callback !== noop) info.push(formatCallback(this._callback, this._args));
    return info;
  }

  toString(): string {
    if (this._repr !== undefined) return this._repr;
    return `<${this.describe().join(' ')}>`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * A callback scheduled for a time by {@link EventLoop.callLater} or {@link EventLoop.callAt}.
 */
export class TimerHandle extends Handle {
  /** @internal */
  _when: number;
  /** @internal Ties between equal deadlines go to the earlier scheduled. */
  _seq: number;
  /** @internal Whether it is still in the loop's timer heap. */
  _scheduled: boolean;

  constructor(
    when: number,
    seq: number,
    callback: Callback,
    args: readonly unknown[] | undefined,
    loop: EventLoop,
    context: Context,
  ) {
    super(callback, args, loop, context);
    this._when = when;
    this._seq = seq;
    this._scheduled = false;
  }

  /** The loop time (ms) at which the callback is due. */
  when(): number {
    return this._when;
  }

  override cancel(): void {
    if (!this._cancelled) this._loop._timerHandleCancelled(this);
    super.cancel();
  }

  protected override describe(): string[] {
    const info = super.describe();
    info.splice(this._cancelled ? 2 : 1, 0, `when=${this._when}`);
    return info;
  }
}

function noop(): void {}

/**
 * The stack of the code that scheduled or created something, less the library's own frames (this
 * package's, and the tasks package's: the Task constructor and `createTask` say nothing about who
 * created a task).
 */
export function captureSource(): string {
  const stack = new Error().stack ?? '';
  return stack
    .split('\n')
    .slice(1)
    .filter(
      (line) =>
        !line.includes(OWN_DIRECTORY_URL) &&
        !line.includes(OWN_DIRECTORY_PATH) &&
        !LIBRARY_FRAME.test(line),
    )
    .join('\n');
}

/**
 * Frames of this package and of the tasks package, built or not: a stack mapped to the sources
 * names `src/` files even when `dist/` runs.
 */
const LIBRARY_FRAME = /[\\/](core-loop|tasks)[\\/](dist|src)[\\/]/;

/** This package's own folder (dist/ or src/), whose frames a source trace leaves out. */
const OWN_DIRECTORY_URL = new URL('.', import.meta.url).href;
const OWN_DIRECTORY_PATH = new URL('.', import.meta.url).pathname;
