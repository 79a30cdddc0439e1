/**
 * Timeout: a deadline around a block of code (Python's `asyncio.Timeout`, `asyncio.timeout` and
 * `asyncio.timeout_at`).
 *
 * Invariant: a Timeout holds a scheduled expiry handle only while it is ENTERED. A Timeout only
 * starts a cancellation: on expiry it calls `task.cancel()` on the task that entered it, and the
 * task delivers the CancelledError wherever its coroutine waits. On the way out the Timeout takes
 * its own request back with `task.uncancel()` and, when no other request came meanwhile, turns
 * the CancelledError into a TimeoutError. Cancellations that are not its own pass through.
 */
import { inspect } from 'node:util';
import {
  CancelledError,
  type Coro,
  describeKind,
  type EventLoop,
  getRunningLoop,
  type Handle,
  RuntimeError,
  TimeoutError,
  tryGetRunningLoop,
} from '@asyncio-ts/core-loop';
import { currentTask, type Task } from '@asyncio-ts/tasks';
import { checkTime } from './internal/arguments.js';

/** The lifecycle of a Timeout; the values are CPython's, shown by `toString()`. */
const State = {
  Created: 'created',
  Entered: 'active',
  Expiring: 'expiring',
  Expired: 'expired',
  Exited: 'finished',
} as const;
type State = (typeof State)[keyof typeof State];

/** The body of a timeout block: a coroutine function that receives the {@link Timeout}. */
export type TimeoutBody<R> = (cm: Timeout) => Coro<R>;

function checkBody(body: unknown, method: string): void {
  if (typeof body !== 'function') {
    throw new TypeError(
      `${method}() body must be a function* that receives the Timeout, got ${describeKind(body)}`,
    );
  }
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function'
  );
}

/** Whether `error` looks like an ExceptionGroup: an object with an `exceptions` array. */
function isExceptionGroup(error: unknown): error is { exceptions: unknown[] } {
  return (
    typeof error === 'object' &&
    error !== null &&
    Array.isArray((error as { exceptions?: unknown }).exceptions)
  );
}

/**
 * Where an error was raised while a CancelledError was being handled, and chained to it by
 * `cause`, a TimeoutError is put in between (CPython's `Timeout._insert_timeout_error`, which
 * walks `__context__`; JavaScript has no implicit context, so the explicit `cause` chain stands
 * in for it). The walk stops at a cycle.
 */
function insertTimeoutError(error: unknown): void {
  const seen = new Set<object>();
  let link = error;
  while (typeof link === 'object' && link !== null && !seen.has(link)) {
    seen.add(link);
    const cause = (link as { cause?: unknown }).cause;
    if (cause instanceof CancelledError) {
      Reflect.set(link, 'cause', new TimeoutError('', { cause }));
      return;
    }
    link = cause;
  }
}

/**
 * A deadline on loop time for a block of code run in the current task. When the deadline passes
 * while the block runs, the task is cancelled, and the block's CancelledError comes out of
 * {@link Timeout.run} as a {@link TimeoutError} whose `cause` is that CancelledError. Create one
 * with {@link timeout} or {@link timeoutAt}; use the class directly only to enter a Timeout made
 * beforehand.
 *
 * Nested timeouts each convert only their own expiry: the TimeoutError comes from the one whose
 * deadline cancelled the body, and the timeouts around it see an ordinary error. When several
 * expired together, the CancelledError passes the inner ones and the outermost converts it. A
 * cancellation from elsewhere that arrives while an expired timeout unwinds is not lost: the
 * CancelledError propagates.
 * @example
 * ```ts
 * import { Timeout } from '@asyncio-ts/timeouts';
 * import { getRunningLoop } from '@asyncio-ts/core-loop';
 * function* main() {
 *   const cm = new Timeout(getRunningLoop().time() + 500);
 *   yield* cm.run(function* () {
 *     yield* fetchAll();
 *   });
 * }
 * ```
 */
export class Timeout {
  #state: State;
  #when: number | null;
  #task: Task<unknown> | null;
  #cancellingAtEnter: number;
  #expiryHandle: Handle | null;

  /**
   * @param whenMs the deadline on `loop.time()` (ms); null for none. A deadline already past
   * expires on the loop's next iteration after the Timeout is entered.
   * @throws TypeError when `whenMs` is neither a number nor null; RangeError when it is NaN.
   */
  constructor(whenMs: number | null) {
    checkTime(whenMs, 'Timeout() when');
    this.#state = State.Created;
    this.#when = whenMs;
    this.#task = null;
    this.#cancellingAtEnter = 0;
    this.#expiryHandle = null;
  }

  /** The deadline on `loop.time()` (ms), or null when there is none. */
  when(): number | null {
    return this.#when;
  }

  /**
   * Moves the deadline of an active Timeout: `whenMs` at or before `loop.time()` expires it on
   * the next iteration, null removes the deadline.
   * @throws RuntimeError "Timeout has not been entered" before `run()`, and
   * "Cannot change state of expiring Timeout" (or `expired`, `finished`) once it expired or
   * exited; TypeError / RangeError for a `whenMs` that is not a number or null, or NaN.
   */
  reschedule(whenMs: number | null): void {
    if (this.#state !== State.Entered) {
      if (this.#state === State.Created) throw new RuntimeError('Timeout has not been entered');
      throw new RuntimeError(`Cannot change state of ${this.#state} Timeout`);
    }
    checkTime(whenMs, 'Timeout.reschedule() when');
    this.#when = whenMs;
    this.#expiryHandle?.cancel();
    this.#expiryHandle = whenMs === null ? null : this.#schedule(this.#task!.getLoop(), whenMs);
  }

  /** Whether the deadline passed while the block ran (it may still be unwinding). */
  expired(): boolean {
    return this.#state === State.Expiring || this.#state === State.Expired;
  }

  /**
   * Runs `body(this)` in the current task under this deadline (Python's `async with cm:`) and
   * returns what it returns.
   * @throws TimeoutError when the deadline passed and cancelled the body; RuntimeError
   * "Timeout has already been entered" on a second `run()`, and "Timeout should be used inside a
   * task" outside a task (both when awaited); TypeError when `body` is not a function.
   */
  run<R>(body: TimeoutBody<R>): Coro<R> {
    checkBody(body, 'Timeout.run');
    return this.#run(body);
  }

  /** CPython's repr: `<Timeout [active] when=1200>`, `<Timeout [expired]>`. */
  toString(): string {
    if (this.#state !== State.Entered) return `<Timeout [${this.#state}]>`;
    const when = this.#when === null ? null : Math.round(this.#when * 1000) / 1000;
    return `<Timeout [${this.#state}] when=${when}>`;
  }

  /** What `console.log` and `util.inspect` show: the same as `toString()`. */
  [inspect.custom](): string {
    return this.toString();
  }

  *#run<R>(body: TimeoutBody<R>): Coro<R> {
    this.#enter();
    let result: R;
    try {
      const coro = body(this);
      if (!isIterable(coro)) {
        throw new TypeError(
          `a Timeout body must return a coroutine (write it as function*), got ${describeKind(coro)}`,
        );
      }
      result = yield* coro as Coro<R>;
    } catch (error) {
      this.#exit(true, error);
      throw error;
    } finally {
      // Reached still open when the body returned, or when the coroutine was closed by return().
      if (this.#state === State.Entered || this.#state === State.Expiring) {
        this.#exit(false, undefined);
      }
    }
    return result;
  }

  #enter(): void {
    if (this.#state !== State.Created) throw new RuntimeError('Timeout has already been entered');
    const loop = tryGetRunningLoop();
    const task = loop === null ? null : currentTask(loop);
    if (task === null) throw new RuntimeError('Timeout should be used inside a task');
    this.#state = State.Entered;
    this.#task = task;
    this.#cancellingAtEnter = task.cancelling();
    this.reschedule(this.#when);
  }

  #exit(raised: boolean, error: unknown): void {
    this.#expiryHandle?.cancel();
    this.#expiryHandle = null;
    if (this.#state === State.Entered) {
      this.#state = State.Exited;
      return;
    }
    this.#state = State.Expired;
    // More requests than when we entered means someone else cancelled the task too: their
    // CancelledError must reach them, so it is left alone.
    if (this.#task!.uncancel() > this.#cancellingAtEnter || !raised) return;
    if (error instanceof CancelledError) throw new TimeoutError('', { cause: error });
    insertTimeoutError(error);
    if (isExceptionGroup(error)) {
      for (const member of error.exceptions) insertTimeoutError(member);
    }
  }

  #schedule(loop: EventLoop, whenMs: number): Handle | null {
    // An infinite deadline never comes; a timer for it would let a VirtualTimeLoop jump there.
    if (whenMs === Number.POSITIVE_INFINITY) return null;
    if (whenMs <= loop.time()) return loop.callSoon(Timeout.#expire, this);
    return loop.callAt(whenMs, Timeout.#expire, this);
  }

  static #expire(timeout: Timeout): void {
    timeout.#task!.cancel();
    timeout.#state = State.Expiring;
    timeout.#expiryHandle = null;
  }
}

/**
 * Runs `body` in the current task with a deadline `delayMs` from now on the loop's clock, and
 * returns what it returns (Python's `async with asyncio.timeout(delay):`). When the deadline
 * passes first, the body is cancelled where it waits, and once it has unwound this throws
 * {@link TimeoutError} (its `cause` is the CancelledError). `null` sets no deadline; 0 or a
 * negative delay expires on the next iteration of the loop. The body gets the {@link Timeout},
 * to read or move the deadline.
 * @example
 * ```ts
 * import { timeout } from '@asyncio-ts/timeouts';
 * import { TimeoutError } from '@asyncio-ts/core-loop';
 * function* main() {
 *   try {
 *     yield* timeout(100, function* (cm) {
 *       yield* longRunningTask();
 *     });
 *   } catch (error) {
 *     if (!(error instanceof TimeoutError)) throw error;
 *   }
 * }
 * ```
 * @throws TypeError when `delayMs` is neither a number nor null or `body` is not a function;
 * RangeError when `delayMs` is NaN; RuntimeError "no running event loop" outside the loop.
 */
export function timeout<R>(delayMs: number | null, body: TimeoutBody<R>): Coro<R> {
  checkTime(delayMs, 'timeout() delay');
  checkBody(body, 'timeout');
  const loop = getRunningLoop();
  return new Timeout(delayMs === null ? null : loop.time() + delayMs).run(body);
}

/**
 * {@link timeout} with an absolute deadline on `loop.time()` (ms) instead of a delay (Python's
 * `asyncio.timeout_at`). A deadline already past expires on the loop's next iteration.
 * @example
 * ```ts
 * import { timeoutAt } from '@asyncio-ts/timeouts';
 * import { getRunningLoop } from '@asyncio-ts/core-loop';
 * function* main() {
 *   const deadline = getRunningLoop().time() + 10_000;
 *   yield* timeoutAt(deadline, function* () {
 *     yield* stepOne();
 *   });
 * }
 * ```
 * @throws TypeError when `whenMs` is neither a number nor null or `body` is not a function;
 * RangeError when `whenMs` is NaN.
 */
export function timeoutAt<R>(whenMs: number | null, body: TimeoutBody<R>): Coro<R> {
  checkTime(whenMs, 'timeoutAt() when');
  checkBody(body, 'timeoutAt');
  return new Timeout(whenMs).run(body);
}
