/**
 * Running a blocking function on a worker thread without blocking the loop (Python's
 * `asyncio.to_thread`).
 */
import { type Future, getRunningLoop } from '@asyncio-ts/core-loop';
import './default-executor.js';
import { type FunctionRef, toWireRef } from './function-ref.js';
import { refStub } from './internal/job-functions.js';
import type { JobScope } from './loop-handle.js';
import { submitToDefault } from './worker-pool-executor.js';

/**
 * Runs `fn(...args)` on a worker thread of the running loop's default executor (a
 * {@link WorkerPoolExecutor}, created on first use and shut down when `run()` ends) and
 * returns a Future of its result, so the loop keeps running other tasks meanwhile.
 *
 * `fn` is either
 * - a self-contained function: its source is sent to each worker once, so it sees only its
 *   arguments and the worker's globals. A function that uses a variable of the scope it was
 *   written in fails with a ReferenceError that says so; pass the value as an argument. Inside
 *   a `function` (not an arrow), `this` is a {@link JobScope}: `this.signal`,
 *   `this.runCoroutineThreadsafe(...)`.
 * - a {@link FunctionRef} `{ module, export }`: the worker imports the module and calls the
 *   export, which may import anything (including `currentJobSignal` from this package).
 *
 * Arguments and the result are structured-cloned; wrap an ArrayBuffer (or typed array) in
 * {@link transfer} to move it instead. The function may return a promise, which is awaited in
 * the worker. An error it throws arrives as the same class when that is a JavaScript built-in
 * (TypeError, RangeError, ...) or a core-loop error (RuntimeError, CancelledError, ...), else as
 * an Error whose `name` is the thrower's class name; the message and the worker's stack come
 * along. A worker that dies fails the future with {@link BrokenWorkerError}.
 *
 * Cancelling the future drops the job if it has not started, else aborts the job's signal
 * (the job decides whether to stop). Unlike Python, the job does not run in a copy of the
 * caller's ContextVar context: contexts hold live objects that cannot cross threads, and the
 * worker has its own instance of every module. Pass what the function needs as arguments.
 * @example
 * ```ts
 * import { run, sleep } from 'asyncio-ts';
 * import { toThread } from '@asyncio-ts/threads';
 * function fib(n: number): number {
 *   return n < 2 ? n : fib(n - 1) + fib(n - 2);
 * }
 * await run(function* () {
 *   const result = yield* toThread(fib, 30); // the loop keeps running meanwhile
 * });
 * ```
 * @throws RuntimeError outside a running loop; TypeError when `fn` is neither a function nor a
 * `{ module, export }` reference, or its source cannot be sent.
 */
export function toThread<A extends unknown[], R>(
  fn: (this: JobScope, ...args: A) => R,
  ...args: A
): Future<Awaited<R>>;
/** Runs the function `ref` names on a worker thread: see the overload above. */
export function toThread<R = unknown>(ref: FunctionRef, ...args: unknown[]): Future<R>;
export function toThread<A extends unknown[], R>(
  fn: ((this: JobScope, ...args: A) => R) | FunctionRef,
  ...args: A
): Future<Awaited<R>> {
  const loop = getRunningLoop();
  let callable: (...args: A) => unknown;
  if (typeof fn === 'function') callable = fn as (...args: A) => unknown;
  else if (typeof fn === 'object' && fn !== null) callable = refStub(toWireRef(fn, 'toThread()'));
  else {
    throw new TypeError(
      `toThread() expects a function or a { module, export } reference, got ${fn === null ? 'null' : typeof fn}`,
    );
  }
  return submitToDefault(loop, callable as (...args: unknown[]) => unknown, args) as Future<
    Awaited<R>
  >;
}
