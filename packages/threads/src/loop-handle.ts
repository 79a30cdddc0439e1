/**
 * Reaching the loop thread from a worker thread (Python's `run_coroutine_threadsafe` and
 * `loop.call_soon_threadsafe`, called from another thread). A worker can reach a loop when it is
 * a pool worker running a job (the loop that submitted the job) or was started with
 * {@link startWorker} (the loop that started it).
 */
import { isMainThread } from 'node:worker_threads';
import { RuntimeError } from '@asyncio-ts/core-loop';
import type { ConcurrentFuture } from './concurrent-future.js';
import type { FunctionRef } from './function-ref.js';
import { currentBridge, type WorkerBridge } from './internal/worker-bridge.js';

/** A loop on another thread, as a worker sees it. */
export interface LoopHandle {
  /**
   * Runs the coroutine function `ref` names with `args` as a Task on the loop, and returns a
   * future whose `result()` blocks this thread until the task is done.
   */
  runCoroutineThreadsafe<T = unknown>(ref: FunctionRef, ...args: unknown[]): ConcurrentFuture<T>;
  /** Schedules `ref(...args)` as a callback on the loop: fire and forget. */
  callSoonThreadsafe(ref: FunctionRef, ...args: unknown[]): void;
}

function bridgeFor(caller: string): WorkerBridge {
  const bridge = currentBridge();
  if (bridge !== null) return bridge;
  if (isMainThread) {
    throw new RuntimeError(
      `${caller} was called on the loop's own thread, where waiting for the loop would deadlock ` +
        'it: create a task there instead',
    );
  }
  throw new RuntimeError(
    `${caller} needs a worker thread linked to a loop: a toThread() or WorkerPoolExecutor job, or a worker from startWorker()`,
  );
}

/**
 * From a worker thread, runs the coroutine function `ref` names (`{ module, export }`) with
 * `args` as a Task on the loop that submitted this worker's current job, or else on the loop
 * that started the worker ({@link startWorker}). Arguments and the result are structured-cloned
 * (mark ArrayBuffers with `transfer()` to move them). `future.result(timeoutMs?)` blocks until
 * the task is done; `future.cancel()` cancels the task.
 * @example
 * ```ts
 * // services.ts, imported on the loop thread:  export function* lookup(id: number) { ... }
 * const future = runCoroutineThreadsafe<string>({ module: SERVICES_URL, export: 'lookup' }, 7);
 * const name = future.result(1_000);
 * ```
 * @throws RuntimeError on the loop thread (waiting there would deadlock) or in a worker that is
 * not linked to a loop; TypeError when `ref` is not a `{ module, export }` reference or an
 * argument cannot be copied.
 */
export function runCoroutineThreadsafe<T = unknown>(
  ref: FunctionRef,
  ...args: unknown[]
): ConcurrentFuture<T> {
  return bridgeFor('runCoroutineThreadsafe()').runCoroutine<T>(
    ref,
    args,
    'runCoroutineThreadsafe()',
  );
}

const handle: LoopHandle = {
  runCoroutineThreadsafe<T>(ref: FunctionRef, ...args: unknown[]): ConcurrentFuture<T> {
    return bridgeFor('parentLoop().runCoroutineThreadsafe()').runCoroutine<T>(
      ref,
      args,
      'parentLoop().runCoroutineThreadsafe()',
    );
  },
  callSoonThreadsafe(ref: FunctionRef, ...args: unknown[]): void {
    bridgeFor('parentLoop().callSoonThreadsafe()').callSoon(
      ref,
      args,
      'parentLoop().callSoonThreadsafe()',
    );
  },
};

/**
 * In a worker thread, the loop this worker serves: the loop that submitted the current job
 * (pool workers), else the loop that started the worker ({@link startWorker}).
 * @throws RuntimeError on the loop thread, or in a worker not linked to a loop.
 */
export function parentLoop(): LoopHandle {
  bridgeFor('parentLoop()');
  return handle;
}

/**
 * In a worker thread, the AbortSignal of the job running now: it aborts (with a CancelledError
 * as its reason) when the job's future is cancelled on the loop thread. Cancellation is
 * cooperative: the job reads `signal.aborted` (which sees the cancellation even in a loop that
 * never yields) or listens for `abort` (which needs the job to yield to this thread's event
 * loop). A self-contained function gets the same signal as `this.signal`.
 * @example
 * ```ts
 * export function crunch(n: number) {
 *   const signal = currentJobSignal();
 *   for (let i = 0; i < n; i++) if (signal.aborted) return 'stopped';
 *   return 'done';
 * }
 * ```
 * @throws RuntimeError outside a job of a worker pool.
 */
export function currentJobSignal(): AbortSignal {
  const bridge = currentBridge();
  const job = bridge?.job ?? null;
  if (bridge === null || job === null) {
    throw new RuntimeError(
      'currentJobSignal() is only available in a job running on a worker pool',
    );
  }
  return bridge.signalOf(job);
}

/**
 * What `this` is in a self-contained function run by a worker pool (declare it as
 * `function (this: JobScope, ...)`; arrow functions have no `this`).
 */
export interface JobScope {
  /** The job's AbortSignal: see {@link currentJobSignal}. */
  readonly signal: AbortSignal;
  /** {@link runCoroutineThreadsafe}, for functions that cannot import it. */
  runCoroutineThreadsafe<T = unknown>(ref: FunctionRef, ...args: unknown[]): ConcurrentFuture<T>;
  /** {@link LoopHandle.callSoonThreadsafe} on the job's loop. */
  callSoonThreadsafe(ref: FunctionRef, ...args: unknown[]): void;
}

/** @internal The `this` of every job function. */
export const jobScope: JobScope = {
  get signal(): AbortSignal {
    return currentJobSignal();
  },
  runCoroutineThreadsafe,
  callSoonThreadsafe: handle.callSoonThreadsafe,
};
