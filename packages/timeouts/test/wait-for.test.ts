import {
  CancelledError,
  type Coro,
  ensureFuture,
  type Future,
  getRunningLoop,
  TimeoutError,
  VirtualTimeLoop,
} from '@asyncio-ts/core-loop';
import { allTasks, createTask, currentTask, sleep } from '@asyncio-ts/tasks';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { timeout } from '../src/timeout.js';
import { waitFor } from '../src/wait-for.js';
import {
  expectError,
  fails,
  hostTimer,
  hostTurn,
  now,
  returns,
  runVirtual,
  thrownByAwaiting,
  ticks,
} from './utils.js';

class FooError extends Error {}

function nameOf(error: unknown): string {
  return (error as Error).constructor.name;
}

/**
 * A coroutine that runs until `ms` after it started on the loop clock, swallowing every
 * cancellation on the way (CPython's SlowTask in test_waitfor.py).
 */
class SlowTask {
  exited = false;

  *run(ms: number): Coro<void> {
    const exitAt = now() + ms;
    for (;;) {
      const left = exitAt - now();
      if (left <= 0) break;
      try {
        yield* sleep(left);
      } catch (error) {
        if (!(error instanceof CancelledError)) throw error;
      }
    }
    this.exited = true;
  }
}

describe('waitFor(aw, ms): in time', () => {
  it('returns the result of a coroutine that finishes in time', async () => {
    const loop = new VirtualTimeLoop();
    const result = await runVirtual(function* () {
      const value = yield* waitFor(sleep(10, 'ok'), 100);
      expectTypeOf(value).toEqualTypeOf<string>();
      return [value, now()];
    }, loop);
    expect(result).toEqual(['ok', 10]);
    expect(loop.time()).toBe(10);
  });

  it('awaits a coroutine in the current task, without a task of its own', async () => {
    const result = await runVirtual(function* () {
      const main = currentTask();
      const before = allTasks().size;
      return yield* waitFor(
        (function* (): Coro<[boolean, number]> {
          yield* sleep(1);
          return [currentTask() === main, allTasks().size - before];
        })(),
        100,
      );
    });
    expect(result).toEqual([true, 0]);
  });

  it('returns the result of a task that finishes in time', async () => {
    const result = await runVirtual(function* () {
      const task = createTask(sleep(30, 'task value'));
      const value = yield* waitFor(task, 100);
      return [value, now(), task.done()];
    });
    expect(result).toEqual(['task value', 30, true]);
  });

  it('the result wins when a future is set before the deadline (race condition)', async () => {
    const result = await runVirtual(function* () {
      const future: Future<string> = getRunningLoop().createFuture();
      getRunningLoop().callLater(100, () => future.setResult('ok'));
      const value = yield* waitFor(future, 200);
      return [value, now()];
    });
    expect(result).toEqual(['ok', 100]);
  });

  it('rethrows the error of an awaitable that fails in time, and leaves no timer', async () => {
    const loop = new VirtualTimeLoop();
    const failure = new FooError('failed');
    const result = await runVirtual(function* () {
      const error = yield* thrownByAwaiting(
        waitFor(
          (function* (): Coro<never> {
            yield* sleep(5);
            throw failure;
          })(),
          100,
        ),
      );
      // A timer left behind would move the clock while only the host timer is pending.
      yield* ensureFuture(hostTimer());
      return [error, now(), currentTask()!.cancelling()];
    }, loop);
    expect(result).toEqual([failure, 5, 0]);
  });

  it('waits for a promise wrapped in a Future', async () => {
    const result = await runVirtual(function* () {
      const value = yield* waitFor(Promise.resolve(5), 100);
      expectTypeOf(value).toEqualTypeOf<number>();
      return [value, now()];
    });
    expect(result).toEqual([5, 0]);
  });

  it('rethrows the reason of a promise that rejects', async () => {
    const reason = new FooError('rejected');
    const error = await runVirtual(function* () {
      return yield* thrownByAwaiting(waitFor(Promise.reject(reason), 100));
    });
    expect(error).toBe(reason);
  });

  it('null waits as long as it takes', async () => {
    const loop = new VirtualTimeLoop();
    const result = await runVirtual(function* () {
      const value = yield* waitFor(sleep(1_000_000, 'done'), null);
      return [value, now()];
    }, loop);
    expect(result).toEqual(['done', 1_000_000]);
  });

  it('null returns a coroutine result that needs no waiting', async () => {
    const value = await runVirtual(function* () {
      return yield* waitFor(returns('done'), null);
    });
    expect(value).toBe('done');
  });

  it('Infinity waits as long as it takes', async () => {
    const result = await runVirtual(function* () {
      const value = yield* waitFor(sleep(1e9, 'late'), Number.POSITIVE_INFINITY);
      return [value, now()];
    });
    expect(result).toEqual(['late', 1e9]);
  });
});

describe('waitFor(aw, ms): timing out', () => {
  it('throws TimeoutError at the deadline, after the coroutine has unwound', async () => {
    const loop = new VirtualTimeLoop();
    const log: string[] = [];
    const error = await runVirtual(function* () {
      const error = yield* thrownByAwaiting(
        waitFor(
          (function* (): Coro<string> {
            try {
              yield* sleep(10_000);
            } finally {
              log.push(`coroutine cleanup at ${now()}`);
            }
            return 'late';
          })(),
          100,
        ),
      );
      log.push(`${nameOf(error)} at ${now()}, cancelling ${currentTask()!.cancelling()}`);
      return error;
    }, loop);
    expect(log).toEqual(['coroutine cleanup at 100', 'TimeoutError at 100, cancelling 0']);
    expectError(error, TimeoutError, '');
    expectError((error as Error).cause, CancelledError, '');
  });

  it('cancels a task and waits for it to finish before throwing TimeoutError', async () => {
    const log: string[] = [];
    const result = await runVirtual(function* () {
      const task = createTask(
        (function* (): Coro<string> {
          try {
            yield* sleep(10_000);
          } catch (e) {
            log.push(`task got ${nameOf(e)} at ${now()}`);
            yield* sleep(5);
            log.push(`task cleanup done at ${now()}`);
            throw e;
          }
          return 'done';
        })(),
      );
      const error = yield* thrownByAwaiting(waitFor(task, 100));
      log.push(`${nameOf(error)} at ${now()}`);
      return [task.cancelled(), nameOf((error as Error).cause)];
    });
    expect(log).toEqual([
      'task got CancelledError at 100',
      'task cleanup done at 105',
      'TimeoutError at 105',
    ]);
    expect(result).toEqual([true, 'CancelledError']);
  });

  it('cancels a plain Future at the deadline', async () => {
    const result = await runVirtual(function* () {
      const future: Future<string> = getRunningLoop().createFuture();
      const error = yield* thrownByAwaiting(waitFor(future, 50));
      return [nameOf(error), future.cancelled(), now()];
    });
    expect(result).toEqual(['TimeoutError', true, 50]);
  });

  it('times out a promise that never settles', async () => {
    const result = await runVirtual(function* () {
      const error = yield* thrownByAwaiting(waitFor(new Promise<never>(() => {}), 50));
      return [nameOf(error), now()];
    });
    expect(result).toEqual(['TimeoutError', 50]);
  });

  it('returns the value of a coroutine that swallows the cancellation', async () => {
    const result = await runVirtual(function* () {
      const value = yield* waitFor(
        (function* (): Coro<number> {
          try {
            yield* sleep(10_000);
          } catch {
            return 42;
          }
          return 0;
        })(),
        100,
      );
      return [value, now(), currentTask()!.cancelling()];
    });
    expect(result).toEqual([42, 100, 0]);
  });

  it('returns what a coroutine returns after it caught the CancelledError itself', async () => {
    const result = await runVirtual(function* () {
      const value = yield* waitFor(
        (function* (): Coro<number> {
          const error = yield* thrownByAwaiting(sleep(1000));
          return error instanceof CancelledError ? 1 : 0;
        })(),
        10,
      );
      return [value, now()];
    });
    expect(result).toEqual([1, 10]);
  });

  it('rethrows an error the task throws while it is being cancelled', async () => {
    const result = await runVirtual(function* () {
      const task = createTask(
        (function* (): Coro<void> {
          try {
            yield* sleep(200);
          } finally {
            // biome-ignore lint/correctness/noUnsafeFinally: an error in cleanup is the case here
            throw new FooError('in cleanup');
          }
        })(),
      );
      const error = yield* thrownByAwaiting(waitFor(task, 1));
      return [error, now()];
    });
    expectError(result[0], FooError, 'in cleanup');
    expect(result[1]).toBe(1);
  });

  it('a coroutine that ignores cancellation runs to its end and its value is returned', async () => {
    const loop = new VirtualTimeLoop();
    const slow = new SlowTask();
    const result = await runVirtual(function* () {
      const value = yield* waitFor(slow.run(200), 100);
      return [value, now(), currentTask()!.cancelling()];
    }, loop);
    expect(result).toEqual([undefined, 200, 0]);
    expect(slow.exited).toBe(true);
  });

  it('inside a shorter timeout, the outer deadline wins and waitFor lets it through', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const error = yield* thrownByAwaiting(
        timeout(10, function* () {
          try {
            return yield* waitFor(sleep(1000, 'late'), 100);
          } catch (e) {
            log.push(`waitFor let out ${nameOf(e)} at ${now()}`);
            throw e;
          }
        }),
      );
      log.push(`timeout threw ${nameOf(error)}`);
    });
    expect(log).toEqual(['waitFor let out CancelledError at 10', 'timeout threw TimeoutError']);
  });
});

describe('waitFor(aw, ms) with ms <= 0', () => {
  it('returns the result of a future that is already done, without giving up the loop', async () => {
    const log: string[] = [];
    const result = await runVirtual(function* () {
      const future: Future<string> = getRunningLoop().createFuture();
      future.setResult('done');
      getRunningLoop().callSoon(() => log.push('other callback'));
      const value = yield* waitFor(future, 0);
      log.push(`got ${value}`);
      yield* ticks(1);
      return [value, now()];
    });
    expect(log).toEqual(['got done', 'other callback']);
    expect(result).toEqual(['done', 0]);
  });

  it('rethrows the error of a future that already failed', async () => {
    const failure = new FooError('failed before');
    const error = await runVirtual(function* () {
      const future: Future<string> = getRunningLoop().createFuture();
      future.setException(failure);
      return yield* thrownByAwaiting(waitFor(future, -5));
    });
    expect(error).toBe(failure);
  });

  it('never starts a coroutine', async () => {
    const log: string[] = [];
    const result = await runVirtual(function* () {
      const error = yield* thrownByAwaiting(
        waitFor(
          (function* (): Coro<void> {
            log.push('coroutine started');
          })(),
          0,
        ),
      );
      return [nameOf(error), nameOf((error as Error).cause), now()];
    });
    expect(log).toEqual([]);
    expect(result).toEqual(['TimeoutError', 'CancelledError', 0]);
  });

  for (const ms of [0, -1]) {
    it(`cancels a running task and waits for it (ms = ${ms})`, async () => {
      const log: string[] = [];
      const result = await runVirtual(function* () {
        const started: Future<void> = getRunningLoop().createFuture();
        const task = createTask(
          (function* (): Coro<string> {
            started.setResult(undefined);
            try {
              yield* sleep(10_000);
            } finally {
              log.push(`task cleanup at ${now()}`);
            }
            return 'done';
          })(),
        );
        yield* started;
        const error = yield* thrownByAwaiting(waitFor(task, ms));
        log.push(`${nameOf(error)} at ${now()}`);
        return [task.done(), task.cancelled()];
      });
      expect(log).toEqual(['task cleanup at 0', 'TimeoutError at 0']);
      expect(result).toEqual([true, true]);
    });
  }

  it('waits until the cancelled task has finished its cleanup', async () => {
    const log: string[] = [];
    const error = await runVirtual(function* () {
      const task = createTask(
        (function* (): Coro<void> {
          try {
            yield* sleep(10_000);
          } catch (e) {
            yield* sleep(7);
            log.push(`task cleanup done at ${now()}`);
            throw e;
          }
        })(),
      );
      yield* sleep(1);
      const error = yield* thrownByAwaiting(waitFor(task, 0));
      log.push(`${nameOf(error)} at ${now()}`);
      return error;
    });
    expect(log).toEqual(['task cleanup done at 8', 'TimeoutError at 8']);
    expectError((error as Error).cause, CancelledError, '');
  });

  it('returns the value of a task that ignores the cancellation', async () => {
    const result = await runVirtual(function* () {
      const task = createTask(
        (function* (): Coro<string> {
          try {
            yield* sleep(10_000);
          } catch {
            yield* sleep(3);
            return 'ignored the cancel';
          }
          return 'finished';
        })(),
      );
      yield* ticks(1);
      const value = yield* waitFor(task, 0);
      return [value, now()];
    });
    expect(result).toEqual(['ignored the cancel', 3]);
  });

  it('cancels a promise that has not settled', async () => {
    const result = await runVirtual(function* () {
      const error = yield* thrownByAwaiting(waitFor(new Promise<never>(() => {}), 0));
      return [nameOf(error), now()];
    });
    expect(result).toEqual(['TimeoutError', 0]);
  });

  it('cancelling the waiting task stops the wait; the awaitable stays cancel-requested', async () => {
    const log: string[] = [];
    const result = await runVirtual(function* () {
      const inner = createTask(
        (function* (): Coro<string> {
          for (;;) {
            try {
              yield* sleep(100);
              return 'inner done';
            } catch {
              log.push(`inner ignored a cancel at ${now()}`);
            }
          }
        })(),
      );
      yield* ticks(1);
      const waiting = createTask(waitFor(inner, 0));
      yield* ticks(1);
      waiting.cancel('stop waiting');
      const error = yield* thrownByAwaiting(waiting);
      const value = yield* inner;
      return [error, value, now()];
    });
    expect(log).toEqual(['inner ignored a cancel at 0']);
    expectError(result[0], CancelledError, 'stop waiting');
    expect(result.slice(1)).toEqual(['inner done', 100]);
  });
});

describe('waitFor(aw, ms): cancelled from outside', () => {
  for (const ms of [60_000, null]) {
    it(`cancelling the waiting task cancels the awaited task too (ms = ${ms})`, async () => {
      const result = await runVirtual(function* () {
        const loop = getRunningLoop();
        const blocked = createTask(
          (function* (): Coro<void> {
            yield* loop.createFuture<void>();
          })(),
        );
        const waiting = createTask(waitFor(blocked, ms));
        loop.callSoon(() => waiting.cancel());
        const error = yield* thrownByAwaiting(waiting);
        return [nameOf(error), waiting.cancelled(), blocked.cancelled(), now()];
      });
      expect(result).toEqual(['CancelledError', true, true, 0]);
    });
  }

  it('is itself cancellable while the awaited task holds up the cancellation', async () => {
    const log: string[] = [];
    const result = await runVirtual(function* () {
      const inner = createTask(
        (function* (): Coro<number> {
          try {
            yield* sleep(300);
          } catch {
            log.push(`inner cancelled at ${now()}`);
            try {
              yield* sleep(300);
            } catch {
              yield* sleep(300);
            }
          }
          return 42;
        })(),
      );
      const waiting = createTask(waitFor(inner, 100));
      waiting.cancel();
      const error = yield* thrownByAwaiting(waiting);
      log.push(`waitFor ${nameOf(error)} at ${now()}`);
      const value = yield* inner;
      return [value, now()];
    });
    expect(log).toEqual(['waitFor CancelledError at 0']);
    expect(result).toEqual([42, 300]);
  });

  it('a coroutine that ignores the cancel keeps running to its end (SlowTask)', async () => {
    const slow = new SlowTask();
    const result = await runVirtual(function* () {
      const waiting = createTask(waitFor(slow.run(200), 400));
      yield* ticks(1);
      waiting.cancel();
      yield* pollDone(waiting);
      return [slow.exited, waiting.cancelled(), now()];
    });
    expect(result).toEqual([true, false, 200]);
  });

  it('a cancel after waitFor returned still reaches the next wait (CPython issue 86296)', async () => {
    const log: string[] = [];
    const result = await runVirtual(function* () {
      const task = createTask(
        (function* (): Coro<void> {
          yield* waitFor(returns(undefined), 100);
          yield* sleep(1000);
          log.push('reached the end');
        })(),
      );
      yield* ticks(1);
      const doneEarly = task.done();
      task.cancel();
      const error = yield* thrownByAwaiting(task);
      return [doneEarly, nameOf(error), now()];
    });
    expect(log).toEqual([]);
    expect(result).toEqual([false, 'CancelledError', 0]);
  });

  it('a cancel that comes as the deadline passes stays a CancelledError', async () => {
    const result = await runVirtual(function* () {
      const loop = getRunningLoop();
      const main = currentTask()!;
      const error = yield* thrownByAwaiting(
        waitFor(
          (function* (): Coro<void> {
            loop.callAt(100, () => main.cancel('outside'));
            yield* sleep(1000);
          })(),
          100,
        ),
      );
      return [error, main.cancelling(), now()];
    });
    // The deadline's cancel reached the sleep first, so its (empty) message is the one seen.
    expectError(result[0], CancelledError, '');
    expect(result.slice(1)).toEqual([1, 100]);
  });
});

describe('waitFor(): arguments', () => {
  it('refuses a timeout that is not a number or null, and NaN, when awaited', async () => {
    const errors = await runVirtual(function* () {
      return [
        yield* thrownByAwaiting(waitFor(returns(1), '5' as unknown as number)),
        yield* thrownByAwaiting(waitFor(returns(1), undefined as unknown as number)),
        yield* thrownByAwaiting(waitFor(returns(1), Number.NaN)),
      ];
    });
    expectError(errors[0], TypeError, 'waitFor() timeout must be a number or null, got string');
    expectError(errors[1], TypeError, 'waitFor() timeout must be a number or null, got undefined');
    expectError(errors[2], RangeError, 'waitFor() timeout must not be NaN');
  });

  it('refuses what is not a coroutine, a Future or a PromiseLike, whatever the timeout', async () => {
    const errors = await runVirtual(function* () {
      return [
        yield* thrownByAwaiting(waitFor(42 as unknown as Coro<number>, 100)),
        yield* thrownByAwaiting(waitFor([1] as unknown as Coro<number>, null)),
        yield* thrownByAwaiting(waitFor('x' as unknown as Coro<number>, 0)),
      ];
    });
    expectError(
      errors[0],
      TypeError,
      'An asyncio Future, a coroutine or an awaitable is required, got number',
    );
    expectError(
      errors[1],
      TypeError,
      'An asyncio Future, a coroutine or an awaitable is required, got Array',
    );
    expectError(
      errors[2],
      TypeError,
      'An asyncio Future, a coroutine or an awaitable is required, got string',
    );
  });

  it('does nothing until it is awaited', async () => {
    const log: string[] = [];
    const result = await runVirtual(function* () {
      const pending = waitFor(
        (function* (): Coro<string> {
          log.push(`coroutine ran at ${now()}`);
          return 'value';
        })(),
        10,
      );
      waitFor(42 as unknown as Coro<number>, Number.NaN);
      yield* sleep(50);
      const value = yield* pending;
      return [value, now()];
    });
    expect(log).toEqual(['coroutine ran at 50']);
    expect(result).toEqual(['value', 50]);
  });

  it('a failed coroutine result passes through with a timeout of 0 too', async () => {
    const failure = new FooError('no');
    const error = await runVirtual(function* () {
      const task = createTask(fails(failure));
      yield* ticks(1);
      return yield* thrownByAwaiting(waitFor(task, 0));
    });
    expect(error).toBe(failure);
  });

  it('works from ordinary async code through a task', async () => {
    const loop = new VirtualTimeLoop();
    const value = await runVirtual(function* () {
      const task = createTask(waitFor(sleep(10, 'from a task'), 20));
      yield* ensureFuture(hostTurn());
      return yield* task;
    }, loop);
    expect(value).toBe('from a task');
    expect(loop.time()).toBe(10);
  });
});

function* pollDone(future: { done(): boolean }): Coro<void> {
  while (!future.done()) yield* sleep(1);
}
