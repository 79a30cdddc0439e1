/**
 * Task dumps for tests that hang (Kotlin's `CoroutinesTimeout`, for vitest): run a test's loop
 * with a deadline, and when the deadline passes, show who waits on what and where each task is
 * suspended before the test fails, instead of a bare "Test timed out".
 *
 * Imported as `@asyncio-ts/introspection/vitest`. It needs nothing from vitest at run time (only
 * the type of a test's context), so vitest stays an optional peer dependency.
 */
import { type Coro, type EventLoop, TimeoutError } from '@asyncio-ts/core-loop';
import { allTasks, Runner, type Task } from '@asyncio-ts/tasks';
import type { TestContext } from 'vitest';
import { AwaitCycleError, formatAwaitTree } from './await-tree.js';
import { type ProcessSnapshot, snapshotLoop } from './snapshot.js';
import { formatTaskTable } from './task-table.js';

/** Options of {@link runWithDump}. */
export interface RunWithDumpOptions {
  /**
   * How long `main` may run, in real milliseconds. Default 4000: under vitest's default test
   * timeout of 5000, so the dump is what the test fails with.
   */
  timeoutMs?: number;
  /** Makes the loop (as `run()`'s option); default a new `EventLoop`. */
  loopFactory?: () => EventLoop;
  /**
   * Debug mode for the loop, default true: it records where each task is suspended (every
   * `yield*` level, with files and lines), which is what makes a dump useful.
   */
  debug?: boolean;
  /**
   * The test's context (`test('...', ({ signal }) => ...)`, or the whole context): when vitest
   * aborts the test (its own timeout, or the run being cancelled), the dump is written to
   * `output` at once, since vitest has failed the test already.
   */
  context?: Pick<TestContext, 'signal'>;
  /** Where a dump made on `context`'s abort is written; default standard error. */
  output?: { write(text: string): unknown };
}

const DEFAULT_TIMEOUT_MS = 4000;

/**
 * The pending tasks of `loop` as an await tree, with the loop's clock: the dump
 * {@link runWithDump} fails with. Tasks that await each other (a deadlock, a likely cause of a
 * hang) have no tree: the dump names the cycles and shows the task table instead.
 */
export function formatTaskDump(loop: EventLoop): string {
  const loopSnapshot = snapshotLoop(loop);
  const count = loopSnapshot.tasks.length;
  const tasks = `${count} pending task${count === 1 ? '' : 's'}`;
  const header = `${tasks} at loop time ${loopSnapshot.time} ms:`;
  if (count === 0) return header;
  return `${header}\n${treeOrCycles({ pid: process.pid, argv: [], loops: [loopSnapshot] })}`;
}

function treeOrCycles(snapshot: ProcessSnapshot): string {
  try {
    return formatAwaitTree(snapshot);
  } catch (error) {
    if (!(error instanceof AwaitCycleError)) throw error;
    return `${error.message}\n\n${formatTaskTable(snapshot)}`;
  }
}

/**
 * Runs `main` like `run()` and settles with its result; but if it has not finished after
 * `timeoutMs` (or the test is aborted), it cancels the main task and rejects with a
 * TimeoutError whose message holds the await tree of every pending task of the loop.
 * @example
 * ```ts
 * import { runWithDump } from '@asyncio-ts/introspection/vitest';
 * test('the consumer gets every item', async ({ signal }) => {
 *   expect(await runWithDump(main, { timeoutMs: 2000, context: { signal } })).toBe(10);
 * });
 * // TimeoutError: main did not finish within 2000 ms; 2 pending tasks at loop time 0 ms:
 * // └── (T) Task-1
 * //     └──  main /app/test/consumer.test.ts:12
 * //         └── (T) consumer
 * //             └──  consume /app/test/consumer.test.ts:5
 * ```
 * @throws TimeoutError when `main` does not finish in time; whatever `main` throws otherwise.
 */
export function runWithDump<T>(
  main: Coro<T> | (() => Coro<T>),
  options?: RunWithDumpOptions,
): Promise<T> {
  const timeoutMs = options?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const runner = new Runner({
    debug: options?.debug ?? true,
    ...(options?.loopFactory === undefined ? {} : { loopFactory: options.loopFactory }),
  });
  const loop = runner.getLoop();
  let coro: Coro<T>;
  let outcome: Promise<T>;
  try {
    coro = typeof main === 'function' ? main() : main;
    outcome = runner.run(coro);
  } catch (error) {
    void runner.close();
    throw error;
  }
  const mainTask = findMainTask(loop, coro);
  return new Promise<T>((resolve, reject) => {
    const signal = options?.context?.signal;
    let expired = false;
    const stopWatching = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    // After a dump the promise is settled already: the loop is still closed once main ends, but
    // a task that ignores its cancellation only keeps its own loop open, never the test.
    const finish = (settle: () => void): void => {
      stopWatching();
      void runner.close().then(
        () => expired || settle(),
        () => expired || settle(),
      );
    };
    const expire = (reason: string, print: boolean): void => {
      stopWatching();
      expired = true;
      const dump = `main ${reason}; ${formatTaskDump(loop)}`;
      if (print) (options?.output ?? process.stderr).write(`${dump}\n`);
      reject(new TimeoutError(dump));
      mainTask?.cancel();
    };
    const onAbort = (): void => expire('was aborted by the test runner', true);
    const timer = setTimeout(
      () => expire(`did not finish within ${timeoutMs} ms`, false),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    outcome.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}

/** The task `Runner.run` just made for `coro` (the newest of the loop's tasks if none runs it). */
function findMainTask(loop: EventLoop, coro: Coro<unknown>): Task<unknown> | null {
  let newest: Task<unknown> | null = null;
  for (const task of allTasks(loop)) {
    if (task.getCoro() === coro) return task;
    newest = task;
  }
  return newest;
}
