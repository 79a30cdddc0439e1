import { once } from 'node:events';
import {
  CancelledError,
  type ExceptionContext,
  getRunningLoop,
  RuntimeError,
  TimeoutError,
  wrapFuture,
} from '@asyncio-ts/core-loop';
import { allTasks, currentTask, run, sleep } from '@asyncio-ts/tasks';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  currentJobSignal,
  type JobScope,
  parentLoop,
  runCoroutineThreadsafe,
  startWorker,
  toThread,
  WorkerPoolExecutor,
} from '../dist/index.js';
import { calls } from './fixtures/loop-services.mjs';
import { expectError, job, rejectionOf, service, thrownBy, thrownByAwaiting } from './utils.js';

beforeEach(() => {
  calls.length = 0;
});

/** Collects what reaches the running loop's exception handler. */
function captureExceptions(): ExceptionContext[] {
  const seen: ExceptionContext[] = [];
  getRunningLoop().setExceptionHandler((_loop, context) => {
    seen.push(context);
  });
  return seen;
}

describe('runCoroutineThreadsafe(ref, ...args), as CPython RunCoroutineThreadsafeTests', () => {
  it('runs the coroutine as a task on the loop and gives its result to the worker', async () => {
    const result = await run(function* () {
      return yield* toThread<number>(job('addOnLoop'), 1, 2, {});
    });
    expect([result, calls]).toEqual([3, ['add(1, 2) started', 'add(1, 2) returned']]);
  });

  it('raises the coroutine error in the worker', async () => {
    const error = await run(function* () {
      return yield* thrownByAwaiting(toThread(job('addOnLoop'), 1, 2, { fail: true }));
    });
    expectError(error, Error, 'Fail!');
  });

  it('raises TimeoutError in the worker when the time runs out, and the task is cancelled', async () => {
    const outcome = await run(function* () {
      const error = yield* thrownByAwaiting(toThread(job('addOnLoop'), 1, 2, {}, 0));
      const me = currentTask();
      // The worker's cancel() reaches the loop on its own host turn.
      for (let i = 0; i < 100 && [...allTasks()].some((t) => t !== me); i++) yield* sleep(1);
      return [error, [...allTasks()].filter((t) => t !== me).length];
    });
    expectError(outcome[0], TimeoutError, 'result() timed out after 0 ms');
    // Whether the task started before the cancellation arrived is up to the threads' timing.
    expect([outcome[1], calls.includes('add(1, 2) returned')]).toEqual([0, false]);
  });

  it('raises CancelledError in the worker when the task is cancelled', async () => {
    const error = await run(function* () {
      return yield* thrownByAwaiting(toThread(job('addOnLoop'), 1, 2, { cancel: true }));
    });
    expectError(error, CancelledError, '');
  });

  it('gives a task factory error to the worker and to the exception handler', async () => {
    const outcome = await run(function* () {
      const loop = getRunningLoop();
      const seen = captureExceptions();
      loop.setTaskFactory(() => {
        throw new RangeError('no tasks today');
      });
      const error = yield* thrownByAwaiting(toThread(job('addOnLoop'), 1, 2, {}));
      loop.setTaskFactory(null);
      return [error, seen.map((context) => context.exception)];
    });
    expectError(outcome[0], RangeError, 'no tasks today');
    expect(outcome[1]).toHaveLength(1);
    expectError((outcome[1] as unknown[])[0], RangeError, 'no tasks today');
  });

  it('refuses a function that returns no coroutine', async () => {
    const outcome = await run(function* () {
      const seen = captureExceptions();
      const thrown = yield* toThread(job('notACoroutine'));
      return [thrown, seen.length];
    });
    const module = (service('notACoroutine').module as URL).href;
    expect(outcome).toEqual([
      ['TypeError', `A coroutine object is required: ${module}#notACoroutine returned number`],
      1,
    ]);
  });
});

describe('ConcurrentFuture, in the worker', () => {
  it('never lets a late reply settle a later call', async () => {
    const outcome = await run(function* () {
      return yield* toThread(job('lateReply'));
    });
    expect(outcome).toEqual([
      'TimeoutError: result() timed out after 10 ms',
      'second',
      true,
      'first',
    ]);
  });

  it('cancel() cancels the future at once and the task on the loop', async () => {
    const log = await run(function* () {
      return yield* toThread(job('cancelOnLoop'));
    });
    expect([log, calls]).toEqual([
      [
        'cancel() true',
        'cancel() again false',
        'result() threw CancelledError',
        'cancelled() true',
        'after',
      ],
      ['waitForever started', 'waitForever cancelled'],
    ]);
  });

  it('cancel() before the loop created the task (its module loading): the coroutine never runs', async () => {
    const result = await run(function* () {
      return yield* toThread(job('cancelBeforeStart'));
    });
    expect([result, calls]).toEqual(['after', []]);
  });

  it('runs done callbacks and reports exception() without throwing it', async () => {
    const log = await run(function* () {
      return yield* toThread(job('callbacksAndException'));
    });
    expect(log).toEqual([
      'callback: done true',
      'exception(): Error: Fail!',
      'late callback runs at once',
      'exception() of a success: null',
      'result(): v',
    ]);
  });

  it('refuses a reference that is not one, in the worker', async () => {
    const outcome = await run(function* () {
      return yield* toThread(function (this: JobScope) {
        try {
          this.runCoroutineThreadsafe(5 as never);
        } catch (error) {
          return [(error as Error).constructor.name, (error as Error).message];
        }
        return 'no error';
      });
    });
    expect(outcome).toEqual([
      'TypeError',
      'runCoroutineThreadsafe() expects a { module, export } reference to a function, got number',
    ]);
  });

  it('fails a call from a job that was submitted outside any loop', async () => {
    const pool = new WorkerPoolExecutor({ maxWorkers: 1 });
    const error = await rejectionOf(pool.submit(job('addOnLoop'), 1, 2, {}));
    await pool.shutdown();
    expectError(
      error,
      RuntimeError,
      'no event loop to run on: the job was submitted outside a running loop',
    );
  });
});

describe('parentLoop()', () => {
  it('callSoonThreadsafe() runs the callback on the loop, before a later call', async () => {
    const result = await run(function* () {
      return yield* toThread(job('callSoonThenWait'), 'hello');
    });
    expect([result, calls]).toEqual(['ordered', ['hello on the loop']]);
  });
});

describe('on the loop thread', () => {
  it('refuses runCoroutineThreadsafe, which would deadlock', () => {
    expectError(
      thrownBy(() => runCoroutineThreadsafe(service('add'), 1, 2)),
      RuntimeError,
      "runCoroutineThreadsafe() was called on the loop's own thread, where waiting for the loop " +
        'would deadlock it: create a task there instead',
    );
    expectError(
      thrownBy(() => parentLoop()),
      RuntimeError,
      "parentLoop() was called on the loop's own thread, where waiting for the loop would " +
        'deadlock it: create a task there instead',
    );
  });

  it('has no job signal', () => {
    expectError(
      thrownBy(() => currentJobSignal()),
      RuntimeError,
      'currentJobSignal() is only available in a job running on a worker pool',
    );
  });
});

describe('startWorker(module, options)', () => {
  it('links a worker to the loop that started it, with its own workerData', async () => {
    const message = await run(function* () {
      const worker = startWorker(new URL('./fixtures/user-worker.mjs', import.meta.url), {
        workerData: { a: 2, b: 5 },
      });
      const [received] = yield* wrapFuture(once(worker, 'message'));
      yield* wrapFuture(worker.terminate());
      return received;
    });
    expect([message, calls]).toEqual([
      'worker computed 2 + 5 = 7 on the loop',
      ['add(2, 5) started', 'add(2, 5) returned'],
    ]);
  });

  it('refuses a relative module path', async () => {
    const error = await run(function* () {
      return thrownBy(() => startWorker('./worker.js'));
    });
    expectError(
      error,
      TypeError,
      'startWorker(): module "./worker.js" is relative; use new URL("./worker.js", import.meta.url)',
    );
  });
});
