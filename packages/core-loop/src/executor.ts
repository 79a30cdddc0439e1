/**
 * Executors run plain functions away from the loop's callbacks (Python's
 * `concurrent.futures.Executor`, as `loop.runInExecutor` uses them).
 */
import { RuntimeError } from './errors.js';

/** Runs functions and settles a promise with each one's result. */
export interface Executor {
  /** Starts `fn(...args)`; the promise settles with its result or error. */
  submit<A extends unknown[], R>(
    fn: (...args: A) => R | PromiseLike<R>,
    ...args: A
  ): PromiseLike<R>;
  /** Refuses new work; with `wait`, the promise settles once running work is done. */
  shutdown(options?: { wait?: boolean; cancelFutures?: boolean }): void | PromiseLike<void>;
}

/**
 * The executor a loop uses when none was set: it runs each function on a later turn of the
 * host's event loop, on the loop's own thread, so the loop's callbacks are not delayed by it
 * starting. For real parallelism set a worker-thread executor with `loop.setDefaultExecutor`.
 */
export class HostTurnExecutor implements Executor {
  #shutdown = false;
  readonly #running = new Set<Promise<unknown>>();

  submit<A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>, ...args: A): Promise<R> {
    if (this.#shutdown) throw new RuntimeError('cannot schedule new futures after shutdown');
    const work = new Promise<void>((resolve) => setImmediate(resolve)).then(() => fn(...args));
    this.#running.add(work);
    const forget = (): void => {
      this.#running.delete(work);
    };
    work.then(forget, forget);
    return work;
  }

  shutdown(options?: { wait?: boolean }): Promise<void> | undefined {
    this.#shutdown = true;
    if (options?.wait === false) return undefined;
    return Promise.allSettled(this.#running).then(() => undefined);
  }
}

let defaultExecutorFactory: (() => Executor) | null = null;

/**
 * Sets what a loop creates as its default executor on the first `runInExecutor(null, ...)`
 * (null: a {@link HostTurnExecutor}). Process-wide, so a package that brings a better executor
 * (worker threads) installs it once, for every loop; a loop that already made its default
 * executor, or was given one with `setDefaultExecutor`, keeps it.
 * @throws TypeError when `factory` is neither a function nor null.
 */
export function setDefaultExecutorFactory(factory: (() => Executor) | null): void {
  if (factory !== null && typeof factory !== 'function') {
    throw new TypeError(
      `the default executor factory must be a function or null, got ${typeof factory}`,
    );
  }
  defaultExecutorFactory = factory;
}

/** @internal A new default executor, from the factory that is set. */
export function createDefaultExecutor(): Executor {
  return defaultExecutorFactory === null ? new HostTurnExecutor() : defaultExecutorFactory();
}
