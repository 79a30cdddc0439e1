/**
 * Runner and run: the entry points that own a loop from start to close (Python's
 * `asyncio.Runner` and `asyncio.run`).
 */
import {
  type Awaitable,
  CancelledError,
  type Context,
  type Coro,
  copyContext,
  describeKind,
  type EventLoop,
  isCoroutine,
  isFuture,
  KeyboardInterrupt,
  newEventLoop,
  RuntimeError,
  setEventLoop,
  tryGetRunningLoop,
  wrapFuture,
} from '@asyncio-ts/core-loop';
import { allTasks } from './current-task.js';
import { gather } from './gather.js';
import type { Task } from './task.js';

/** Options of {@link Runner} and {@link run}. */
export interface RunnerOptions {
  /** Turn the loop's debug mode on (or off); unset leaves the default. */
  debug?: boolean;
  /** Makes the loop; without it the Runner makes a new `EventLoop` and makes it current. */
  loopFactory?: () => EventLoop;
}

const CREATED = 0;
const INITIALIZED = 1;
const CLOSED = 2;
type RunnerState = typeof CREATED | typeof INITIALIZED | typeof CLOSED;

function* awaitIt<T>(aw: Awaitable<T>): Coro<T> {
  return yield* aw;
}

/**
 * Runs coroutines on one loop it owns, then closes it: `close()` cancels the tasks still
 * pending and waits for them, shuts down the default executor and closes the loop.
 * While a `run()` is in progress the first SIGINT (Ctrl-C) cancels the main task, and `run()`
 * then rejects with KeyboardInterrupt; a second SIGINT ends the process at once.
 * @example
 * ```ts
 * import { Runner, sleep } from '@asyncio-ts/tasks';
 * await using runner = new Runner();
 * await runner.run(sleep(10));
 * console.log(await runner.run(sleep(10, 'second')));
 * ```
 */
export class Runner {
  #state: RunnerState;
  readonly #debug: boolean | undefined;
  readonly #loopFactory: (() => EventLoop) | undefined;
  #loop: EventLoop | null;
  #context: Context | null;
  #setEventLoop: boolean;
  #interruptCount: number;

  constructor(options?: RunnerOptions) {
    this.#state = CREATED;
    this.#debug = options?.debug;
    this.#loopFactory = options?.loopFactory;
    this.#loop = null;
    this.#context = null;
    this.#setEventLoop = false;
    this.#interruptCount = 0;
  }

  /**
   * Runs `coro` (or any awaitable) on the runner's loop and settles with its result.
   * @throws RuntimeError (synchronously) inside a running loop or after `close()`; TypeError
   * when `coro` is not awaitable.
   */
  run<T>(
    coro: Coro<T> | Awaitable<T> | PromiseLike<T>,
    options?: { context?: Context; signal?: AbortSignal },
  ): Promise<T> {
    if (tryGetRunningLoop() !== null) {
      throw new RuntimeError('Runner.run() cannot be called from a running event loop');
    }
    const isPromise = typeof (coro as PromiseLike<T> | null)?.then === 'function';
    if (!isCoroutine(coro) && !isFuture(coro) && !isPromise) {
      // Checked before the loop is made, so a bad call leaves no loop behind.
      throw new TypeError(
        `An asyncio Future, a coroutine or an awaitable is required, got ${describeKind(coro)}`,
      );
    }
    const loop = this.#lazyInit();
    let main: Coro<T>;
    if (isCoroutine(coro)) main = coro as Coro<T>;
    else if (isFuture(coro)) main = awaitIt(coro as Awaitable<T>);
    else main = awaitIt(wrapFuture(coro as PromiseLike<T>, { loop }));
    const taskOptions: { context: Context; signal?: AbortSignal } = {
      context: options?.context ?? this.#context!,
    };
    if (options?.signal !== undefined) taskOptions.signal = options.signal;
    const task = loop.createTask(main, taskOptions) as Task<T>;
    this.#interruptCount = 0;
    const stopListening = this.#listenForInterrupt(task);
    return loop.runUntilComplete(task).then(
      (value) => {
        stopListening();
        return value;
      },
      (error: unknown) => {
        stopListening();
        if (error instanceof CancelledError && this.#interruptCount > 0 && task.uncancel() === 0) {
          throw new KeyboardInterrupt();
        }
        throw error;
      },
    );
  }

  /** The runner's loop (made on first use). @throws RuntimeError "Runner is closed". */
  getLoop(): EventLoop {
    return this.#lazyInit();
  }

  /**
   * Cancels the loop's pending tasks and waits for them, shuts down the default executor and
   * closes the loop. Idempotent.
   */
  async close(): Promise<void> {
    if (this.#state !== INITIALIZED) return;
    const loop = this.#loop!;
    try {
      await cancelAllTasks(loop);
      await loop.runUntilComplete(loop.shutdownDefaultExecutor());
    } finally {
      if (this.#setEventLoop) setEventLoop(null);
      loop.close();
      this.#loop = null;
      this.#state = CLOSED;
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #lazyInit(): EventLoop {
    if (this.#state === CLOSED) throw new RuntimeError('Runner is closed');
    if (this.#state === INITIALIZED) return this.#loop!;
    let loop: EventLoop;
    if (this.#loopFactory === undefined) {
      loop = newEventLoop();
      setEventLoop(loop);
      this.#setEventLoop = true;
    } else {
      loop = this.#loopFactory();
    }
    if (this.#debug !== undefined) loop.setDebug(this.#debug);
    this.#loop = loop;
    this.#context = copyContext();
    this.#state = INITIALIZED;
    return loop;
  }

  /** Ctrl-C cancels `task` once, unless the program handles SIGINT itself. */
  #listenForInterrupt(task: Task<unknown>): () => void {
    if (typeof process === 'undefined' || process.listenerCount('SIGINT') > 0) return () => {};
    const onSigint = (): void => {
      this.#interruptCount++;
      if (this.#interruptCount === 1 && !task.done()) {
        task.cancel();
        return;
      }
      process.removeListener('SIGINT', onSigint);
      process.kill(process.pid, 'SIGINT');
    };
    process.on('SIGINT', onSigint);
    return () => process.removeListener('SIGINT', onSigint);
  }

  toString(): string {
    const state = ['created', 'initialized', 'closed'][this.#state];
    return `<Runner ${state}>`;
  }
}

/** Cancels every pending task of `loop`, waits for them, and reports errors they ended with. */
async function cancelAllTasks(loop: EventLoop): Promise<void> {
  const toCancel = allTasks(loop);
  if (toCancel.size === 0) return;
  for (const task of toCancel) task.cancel();
  await loop.runUntilComplete(gather([...toCancel], { returnExceptions: true }));
  for (const task of toCancel) {
    if (task.cancelled()) continue;
    const exception = task.exception();
    if (exception !== null) {
      loop.callExceptionHandler({
        message: 'unhandled exception during run() shutdown',
        exception,
        task,
      });
    }
  }
}

/**
 * Runs `main` on a new loop and settles with its result; then cancels what is left, shuts down
 * the default executor and closes the loop (Python's `asyncio.run`). `main` is a coroutine
 * object or a function that makes one.
 * @example
 * ```ts
 * import { run, sleep } from 'asyncio-ts';
 * function* main() {
 *   console.log('hello');
 *   yield* sleep(1000);
 *   console.log('world');
 * }
 * await run(main);
 * ```
 * @throws RuntimeError (synchronously) when called from a running loop's callback.
 */
export function run<T>(
  main: Coro<T> | Awaitable<T> | PromiseLike<T> | (() => Coro<T>),
  options?: RunnerOptions & { signal?: AbortSignal },
): Promise<T> {
  if (tryGetRunningLoop() !== null) {
    throw new RuntimeError('run() cannot be called from a running event loop');
  }
  const coro = typeof main === 'function' ? main() : main;
  const runnerOptions: RunnerOptions = {};
  if (options?.debug !== undefined) runnerOptions.debug = options.debug;
  if (options?.loopFactory !== undefined) runnerOptions.loopFactory = options.loopFactory;
  const runner = new Runner(runnerOptions);
  let result: Promise<T>;
  try {
    result = runner.run(
      coro,
      options?.signal === undefined ? undefined : { signal: options.signal },
    );
  } catch (error) {
    void runner.close();
    throw error;
  }
  return result.finally(() => runner.close());
}
