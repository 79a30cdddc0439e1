/**
 * A pool of worker threads that runs functions in parallel with the loop (Python's
 * `concurrent.futures.ThreadPoolExecutor`, on Node's worker_threads).
 *
 * Invariant: a worker is either running exactly one job (`worker.job`) or idle (in `#idle`),
 * never both; a job is Queued (in `#queue`), Running (on one worker) or Done, in that order.
 */
import { availableParallelism } from 'node:os';
import { inspect } from 'node:util';
import {
  MessageChannel,
  type MessagePort,
  type ResourceLimits,
  type Transferable,
  Worker,
  type WorkerOptions,
} from 'node:worker_threads';
import {
  CancelledError,
  describeKind,
  type EventLoop,
  type Executor,
  type Future,
  getEventLoop,
  RingQueue,
  type Runnable,
  RuntimeError,
  tryGetRunningLoop,
} from '@asyncio-ts/core-loop';
import { BrokenWorkerError } from './errors.js';
import { type FunctionRef, toWireRef } from './function-ref.js';
import { type JobFunction, jobFunctionOf, refStub } from './internal/job-functions.js';
import { LoopBridge } from './internal/loop-bridge.js';
import {
  ABORTED,
  BRIDGE_KEY,
  type BridgeData,
  JOBS,
  type JobReply,
  newControlWords,
  type RunMessage,
  type ToWorkerMessage,
} from './internal/protocol.js';
import { deserializeThrown } from './internal/serialize-error.js';
import type { JobScope } from './loop-handle.js';
import { unwrapArgs } from './transfer.js';

/** The program every bridged worker runs. */
export const WORKER_ENTRY = new URL('./internal/worker-entry.js', import.meta.url);

/** Options of {@link WorkerPoolExecutor}. */
export interface WorkerPoolOptions {
  /** The most workers running at once (default: `os.availableParallelism()`). */
  readonly maxWorkers?: number;
  /** An idle worker exits after this long (default 30,000 ms; `Infinity`: never). */
  readonly idleTimeoutMs?: number;
  /**
   * Cancelling a running job terminates its worker (the job stops at once; the pool starts a
   * new worker) instead of only aborting the job's signal. Default false, as in Python.
   */
  readonly terminateOnCancel?: boolean;
  /** Limits for each worker's heap and stack: a worker that exceeds them dies. */
  readonly resourceLimits?: ResourceLimits;
}

/** The promise `submit` returns: it can also cancel its job. */
export interface JobPromise<R> extends Promise<R> {
  /**
   * Cancels the job: a queued job is dropped (it never runs) and the promise rejects with
   * CancelledError; a running job's AbortSignal is aborted and the job finishes on its own
   * (or, with `terminateOnCancel`, its worker is terminated and the promise rejects with
   * CancelledError). Returns whether the job was stopped.
   */
  cancel(): boolean;
}

enum JobState {
  Queued,
  Running,
  Done,
}

enum PoolState {
  Open,
  ShuttingDown,
  Closed,
}

const POOL_STATE_NAMES = ['open', 'shutting down', 'closed'] as const;

const NO_ARGS: unknown[] = [];

const ignore = (): void => undefined;

/** A job's onError until `then` is called: an error from within `submit` waits for it. */
function keepEarlyError(this: Job, error: unknown): void {
  this.earlyError = error;
}

const NO_ERROR = Symbol('no error');

/**
 * A job, and how its outcome is delivered: to the resolve and reject functions of the promise
 * `submit` returned, or, for a job `toThread` submits to a loop's default pool, straight to the
 * two callbacks `then` was given (wrapFuture's), with no promise in between. As a Runnable it
 * is queued on the loop when `toThread`'s future is done, to drop or abort the job if that
 * future was cancelled.
 */
class Job implements Runnable {
  state: JobState;
  args: unknown[];
  worker: PoolWorker | null;
  onValue: (value: unknown) => void;
  onError: (error: unknown) => void;
  /** The promise `submit` returned, or null for a job delivered through `then`. */
  promise: JobPromise<unknown> | null;
  /** `toThread`'s future of this job, once it waits on it. */
  future: Future<unknown> | null;
  /** The error the job failed with before `then` was called (from within `submit`). */
  earlyError: unknown;

  constructor(
    readonly id: number,
    readonly fn: JobFunction,
    args: unknown[],
    readonly transferList: Transferable[] | null,
    readonly loop: EventLoop | null,
    readonly cancelIn: (job: Job) => boolean,
  ) {
    this.state = JobState.Queued;
    this.args = args;
    this.worker = null;
    this.onValue = ignore;
    this.onError = keepEarlyError;
    this.promise = null;
    this.future = null;
    this.earlyError = NO_ERROR;
  }

  /** Delivers the outcome to `onValue` / `onError` (wrapFuture calls it once, at once). */
  // biome-ignore lint/suspicious/noThenProperty: a thenable on purpose, for wrapFuture alone.
  then(onValue: (value: unknown) => void, onError: (error: unknown) => void): void {
    this.onValue = onValue;
    this.onError = onError;
    if (this.earlyError !== NO_ERROR) onError(this.earlyError);
  }

  cancel(): boolean {
    return this.cancelIn(this);
  }

  /** @internal Runs when `future` is done: a cancelled future cancels the job. */
  _run(): void {
    if (this.future !== null && this.future.cancelled()) this.cancel();
  }
}

class PoolWorker {
  job: Job | null;
  /** The loop of the latest job: where its calls from the worker to a loop go. */
  loop: EventLoop | null;
  idleSince: number;
  referenced: boolean;
  retiring: boolean;
  uncaught: unknown;
  readonly known: Set<number>;
  readonly bridge: LoopBridge;

  constructor(
    readonly thread: Worker,
    readonly control: Int32Array,
    port: MessagePort,
  ) {
    this.job = null;
    this.loop = null;
    this.idleSince = 0;
    this.referenced = true;
    this.retiring = false;
    this.uncaught = undefined;
    this.known = new Set();
    this.bridge = new LoopBridge(port, control, () => this.loop);
  }
}

/** Wakes a worker that waits for its next message in Atomics.wait (see the worker entry). */
function wakeWorker(worker: PoolWorker): void {
  Atomics.add(worker.control, JOBS, 1);
  Atomics.notify(worker.control, JOBS);
}

/** Pools made by the default-executor factory: only a loop holds them, never user code. */
const defaultPools = new WeakSet<WorkerPoolExecutor>();

/** @internal A pool to be a loop's default executor (see default-executor.ts). */
export function createDefaultPool(): WorkerPoolExecutor {
  const pool = new WorkerPoolExecutor();
  defaultPools.add(pool);
  return pool;
}

/** Whether the next `submit` to a default pool may return its Job as a bare thenable. */
let bareJobWanted = false;
let lastBareJob: Job | null = null;

/**
 * @internal Runs `fn(...args)` through `loop.runInExecutor(null, ...)`, which only calls `then`
 * on what the executor returns, so that a default pool returns the job itself rather than a
 * promise: no promise, no closures, and the reply settles the future without a microtask in
 * between. Any WorkerPoolExecutor that is the loop's default hands over its job, which watches
 * the future so that cancelling it drops or aborts the job.
 */
export function submitToDefault(
  loop: EventLoop,
  fn: (...args: unknown[]) => unknown,
  args: unknown[],
): Future<unknown> {
  bareJobWanted = true;
  lastBareJob = null;
  let future: Future<unknown>;
  try {
    future = loop.runInExecutor(null, fn, ...args);
  } finally {
    bareJobWanted = false;
  }
  // Set by submit, within runInExecutor: TypeScript cannot see that.
  const job = lastBareJob as Job | null;
  if (job !== null) {
    lastBareJob = null;
    job.future = future;
    future.addWaiter(job);
  }
  return future;
}

function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number')
    throw new TypeError(`${name} must be a number, got ${typeof value}`);
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

function currentLoopOrNull(): EventLoop | null {
  const running = tryGetRunningLoop();
  if (running !== null) return running;
  try {
    return getEventLoop();
  } catch {
    return null;
  }
}

function rejectCancelled(job: Job): void {
  job.state = JobState.Done;
  job.args = NO_ARGS;
  // Cancelling is not a failure nobody handled: no unhandled-rejection report for it.
  job.promise?.catch(ignore);
  job.onError(new CancelledError());
}

/**
 * Runs functions on a pool of worker threads (Python's `ThreadPoolExecutor`). Workers start
 * when work arrives, up to `maxWorkers`, are reused, and are unreferenced while idle, so an
 * idle pool never keeps the process alive. Jobs wait in a FIFO queue. A function is either
 * self-contained (its source is sent to each worker once; it sees only its arguments and
 * globals) or a {@link FunctionRef} made into a function by {@link toThread}; arguments and
 * results are structured-cloned (see {@link transfer} to move ArrayBuffers). Importing
 * `@asyncio-ts/threads` makes a pool every loop's default executor, so `toThread` and
 * `loop.runInExecutor(null, ...)` use one, and `run()` shuts it down at the end.
 * @example
 * ```ts
 * import { WorkerPoolExecutor } from '@asyncio-ts/threads';
 * const pool = new WorkerPoolExecutor({ maxWorkers: 4 });
 * function* main() {
 *   const loop = getRunningLoop();
 *   const n = yield* loop.runInExecutor(pool, (a: number, b: number) => a * b, 6, 7); // 42
 *   yield* wrapFuture(Promise.resolve(pool.shutdown()));
 * }
 * ```
 */
export class WorkerPoolExecutor implements Executor {
  readonly #maxWorkers: number;
  readonly #idleTimeoutMs: number;
  readonly #terminateOnCancel: boolean;
  readonly #resourceLimits: ResourceLimits | undefined;
  readonly #queue: RingQueue<Job>;
  readonly #workers: Set<PoolWorker>;
  /** Idle workers, the longest idle first. */
  #idle: PoolWorker[];
  #state: PoolState;
  #nextJobId: number;
  #idleTimer: NodeJS.Timeout | null;
  #exits: Promise<unknown>[];
  #drained: Promise<void> | null;
  #resolveDrained: (() => void) | null;
  readonly #cancelJob: (job: Job) => boolean;

  constructor(options: WorkerPoolOptions = {}) {
    this.#maxWorkers =
      options.maxWorkers === undefined
        ? availableParallelism()
        : positiveInteger(options.maxWorkers, 'maxWorkers');
    const idle = options.idleTimeoutMs ?? 30_000;
    if (typeof idle !== 'number' || Number.isNaN(idle) || idle < 0) {
      throw new RangeError(`idleTimeoutMs must be a non-negative number, got ${idle}`);
    }
    this.#idleTimeoutMs = idle;
    this.#terminateOnCancel = options.terminateOnCancel === true;
    this.#resourceLimits = options.resourceLimits;
    this.#queue = new RingQueue(16);
    this.#workers = new Set();
    this.#idle = [];
    this.#state = PoolState.Open;
    this.#nextJobId = 1;
    this.#idleTimer = null;
    this.#exits = [];
    this.#drained = null;
    this.#resolveDrained = null;
    this.#cancelJob = (job) => this.#cancel(job);
  }

  /** The most workers this pool runs at once. */
  get maxWorkers(): number {
    return this.#maxWorkers;
  }

  /** How many workers are alive (busy or idle). */
  get workerCount(): number {
    return this.#workers.size;
  }

  /** How many jobs wait for a worker (cancelled ones excluded). */
  get queuedCount(): number {
    let count = 0;
    for (const job of this.#queue) if (job.state === JobState.Queued) count++;
    return count;
  }

  /**
   * Runs `fn(...args)` on a worker (`fn` a self-contained function or a `{ module, export }`
   * reference, as for {@link toThread}); the promise settles with its result (awaited when it is a
   * promise) or rejects with its error, rebuilt on this thread (see {@link toThread}). The
   * job's loop, for `runCoroutineThreadsafe` calls the job makes, is the loop running now.
   * @throws RuntimeError "cannot schedule new futures after shutdown"; TypeError when `fn` is
   * neither a function nor a reference, or its source cannot be sent (a built-in or bound
   * function).
   */
  submit<A extends unknown[], R>(
    fn: (this: JobScope, ...args: A) => R | PromiseLike<R>,
    ...args: A
  ): JobPromise<Awaited<R>>;
  /** Runs the function `ref` names on a worker: see the overload above. */
  submit<R = unknown>(ref: FunctionRef, ...args: unknown[]): JobPromise<R>;
  submit(fn: Function | FunctionRef, ...args: unknown[]): JobPromise<unknown> {
    if (this.#state !== PoolState.Open) {
      throw new RuntimeError('cannot schedule new futures after shutdown');
    }
    let jobFunction: JobFunction;
    if (typeof fn === 'function') jobFunction = jobFunctionOf(fn);
    else if (typeof fn === 'object' && fn !== null) {
      jobFunction = jobFunctionOf(refStub(toWireRef(fn, 'submit()')));
    } else {
      throw new TypeError(
        `submit() expects a function or a { module, export } reference, got ${describeKind(fn)}`,
      );
    }
    const transferList = unwrapArgs(args);
    const job = new Job(
      this.#nextJobId++,
      jobFunction,
      args,
      transferList,
      currentLoopOrNull(),
      this.#cancelJob,
    );
    if (bareJobWanted) {
      // toThread is calling, through loop.runInExecutor: it watches its future with the job.
      bareJobWanted = false;
      lastBareJob = job;
      if (defaultPools.has(this)) {
        this.#enqueue(job);
        return job as unknown as JobPromise<unknown>;
      }
    }
    const promise = new Promise<unknown>((resolve, reject) => {
      job.onValue = resolve;
      job.onError = reject;
    }) as JobPromise<unknown>;
    promise.cancel = () => this.#cancel(job);
    job.promise = promise;
    this.#enqueue(job);
    return promise;
  }

  /**
   * Refuses new work and, once the queued and running jobs are done, ends the workers (Python's
   * `Executor.shutdown`). With `cancelFutures`, queued jobs are cancelled instead of run. With
   * `wait` (the default) the returned promise resolves once every worker has exited; without
   * it the call returns at once and the work goes on.
   */
  shutdown(options?: { wait?: boolean; cancelFutures?: boolean }): Promise<void> | undefined {
    if (this.#state === PoolState.Open) {
      this.#state = PoolState.ShuttingDown;
      this.#drained = new Promise((resolve) => {
        this.#resolveDrained = resolve;
      });
      if (options?.cancelFutures === true) {
        while (this.#queue.length > 0) {
          const job = this.#queue.shift();
          if (job.state === JobState.Queued) rejectCancelled(job);
        }
      }
      for (const worker of [...this.#idle]) this.#retire(worker);
      this.#clearIdleTimer();
      this.#checkDrained();
    }
    return options?.wait === false ? undefined : (this.#drained ?? Promise.resolve());
  }

  #enqueue(job: Job): void {
    // The longest idle worker takes the job: the one that replied last is still finishing its
    // turn, and one job after another goes about a third faster spread over the workers than
    // handed back to the same one (measured on 2 CPUs).
    const worker = this.#idle.shift() ?? this.#spawnIfRoom();
    if (worker === undefined) this.#queue.push(job);
    else this.#start(worker, job);
  }

  #spawnIfRoom(): PoolWorker | undefined {
    return this.#workers.size < this.#maxWorkers ? this.#spawn() : undefined;
  }

  #spawn(): PoolWorker {
    const control = newControlWords();
    const { port1, port2 } = new MessageChannel();
    const bridge: BridgeData = { kind: 'pool', port: port2, control };
    const options: WorkerOptions = {
      workerData: { [BRIDGE_KEY]: bridge },
      transferList: [port2],
    };
    if (this.#resourceLimits !== undefined) options.resourceLimits = this.#resourceLimits;
    const thread = new Worker(WORKER_ENTRY, options);
    const worker = new PoolWorker(thread, control, port1);
    thread.on('message', (reply: JobReply) => this.#onReply(worker, reply));
    thread.on('error', (error) => {
      worker.uncaught = error;
    });
    thread.on('exit', (code) => this.#onExit(worker, code));
    this.#workers.add(worker);
    return worker;
  }

  #start(worker: PoolWorker, job: Job): void {
    job.state = JobState.Running;
    job.worker = worker;
    worker.job = job;
    worker.loop = job.loop;
    const fn = job.fn;
    const message: RunMessage = worker.known.has(fn.id)
      ? { t: 'run', id: job.id, fn: fn.id, args: job.args }
      : fn.source !== undefined
        ? { t: 'run', id: job.id, fn: fn.id, source: fn.source, args: job.args }
        : { t: 'run', id: job.id, fn: fn.id, ref: fn.ref!, args: job.args };
    try {
      if (job.transferList === null) worker.thread.postMessage(message);
      else worker.thread.postMessage(message, job.transferList);
    } catch (error) {
      worker.job = null;
      this.#fail(
        job,
        new TypeError(
          `toThread(fn): an argument cannot be copied to a worker thread: ${(error as Error).message}`,
        ),
      );
      this.#release(worker);
      return;
    }
    wakeWorker(worker);
    worker.known.add(fn.id);
    job.args = NO_ARGS;
    if (!worker.referenced) {
      worker.referenced = true;
      worker.thread.ref();
    }
  }

  #onReply(worker: PoolWorker, reply: JobReply): void {
    const job = worker.job;
    // A reply for a job this worker no longer runs (cancelled with termination) is dropped.
    if (job === null || job.id !== reply.id) return;
    worker.job = null;
    job.state = JobState.Done;
    if (reply.t === 'ok') job.onValue(reply.value);
    else job.onError(deserializeThrown(reply.error));
    this.#release(worker);
  }

  #fail(job: Job, error: unknown): void {
    job.state = JobState.Done;
    job.args = NO_ARGS;
    job.onError(error);
  }

  /** Gives `worker` the next queued job, or makes it idle (or ends it, when shutting down). */
  #release(worker: PoolWorker): void {
    const next = this.#nextQueued();
    if (next !== undefined) {
      this.#start(worker, next);
      return;
    }
    if (this.#state !== PoolState.Open) {
      this.#retire(worker);
      this.#checkDrained();
      return;
    }
    worker.idleSince = performance.now();
    worker.referenced = false;
    worker.thread.unref();
    this.#idle.push(worker);
    this.#armIdleTimer();
  }

  #nextQueued(): Job | undefined {
    while (this.#queue.length > 0) {
      const job = this.#queue.shift();
      if (job.state === JobState.Queued) return job;
    }
    return undefined;
  }

  #cancel(job: Job): boolean {
    if (job.state === JobState.Queued) {
      // Left in the ring (removing from its middle is O(n)); #nextQueued skips it.
      rejectCancelled(job);
      this.#checkDrained();
      return true;
    }
    if (job.state !== JobState.Running) return false;
    const worker = job.worker!;
    if (this.#terminateOnCancel) {
      worker.job = null;
      rejectCancelled(job);
      this.#retire(worker);
      this.#refill();
      this.#checkDrained();
      return true;
    }
    Atomics.store(worker.control, ABORTED, job.id);
    worker.thread.postMessage({ t: 'abort', id: job.id } satisfies ToWorkerMessage);
    wakeWorker(worker);
    return false;
  }

  #onExit(worker: PoolWorker, code: number): void {
    const wasRetiring = worker.retiring;
    this.#forget(worker);
    const job = worker.job;
    if (job !== null && !wasRetiring) {
      worker.job = null;
      const uncaught = worker.uncaught;
      const reason =
        uncaught instanceof Error ? `: uncaught ${uncaught.name}: ${uncaught.message}` : '';
      this.#fail(
        job,
        new BrokenWorkerError(
          `the worker thread running this job exited with code ${code}${reason}`,
          code,
          uncaught === undefined ? undefined : { cause: uncaught },
        ),
      );
    }
    this.#refill();
    this.#checkDrained();
  }

  /** Starts queued jobs on new workers, after workers went away. */
  #refill(): void {
    while (this.#workers.size < this.#maxWorkers) {
      const job = this.#nextQueued();
      if (job === undefined) return;
      this.#start(this.#spawn(), job);
    }
  }

  #retire(worker: PoolWorker): void {
    worker.retiring = true;
    this.#forget(worker);
    const exit = worker.thread.terminate();
    if (this.#state !== PoolState.Open) this.#exits.push(exit);
  }

  #forget(worker: PoolWorker): void {
    if (!this.#workers.delete(worker)) return;
    const at = this.#idle.indexOf(worker);
    if (at >= 0) this.#idle.splice(at, 1);
    worker.bridge.close();
  }

  #checkDrained(): void {
    if (this.#state !== PoolState.ShuttingDown) return;
    for (const worker of this.#workers) if (worker.job !== null) return;
    if (this.#nextQueued() !== undefined) return;
    this.#state = PoolState.Closed;
    const resolve = this.#resolveDrained!;
    Promise.allSettled(this.#exits).then(() => resolve());
  }

  #armIdleTimer(): void {
    if (this.#idleTimer !== null || this.#idleTimeoutMs === Infinity) return;
    const oldest = this.#idle[0];
    if (oldest === undefined) return;
    const due = oldest.idleSince + this.#idleTimeoutMs - performance.now();
    this.#idleTimer = setTimeout(() => this.#retireIdle(), Math.max(0, due));
    this.#idleTimer.unref();
  }

  #retireIdle(): void {
    this.#idleTimer = null;
    const now = performance.now();
    while (this.#idle.length > 0 && now - this.#idle[0]!.idleSince >= this.#idleTimeoutMs) {
      this.#retire(this.#idle[0]!);
    }
    this.#armIdleTimer();
  }

  #clearIdleTimer(): void {
    if (this.#idleTimer !== null) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
  }

  toString(): string {
    const busy = this.#workers.size - this.#idle.length;
    return `<WorkerPoolExecutor [${POOL_STATE_NAMES[this.#state]}] workers=${this.#workers.size}/${this.#maxWorkers} busy=${busy} queued=${this.queuedCount}>`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
