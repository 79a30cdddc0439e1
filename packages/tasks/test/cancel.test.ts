import {
  CancelledError,
  type Coro,
  type Future,
  getRunningLoop,
  VirtualTimeLoop,
} from '@asyncio-ts/core-loop';
import { describe, expect, it } from 'vitest';
import { createTask, gather, sleep, type Task } from '../src/index.js';
import {
  expectError,
  hostTimer,
  now,
  pollUntilDone,
  rejectionOf,
  runVirtual,
  thrownBy,
  thrownByAwaiting,
} from './utils.js';

function nameAndMessage(error: unknown): [string, string] {
  return [(error as Error).constructor.name, (error as Error).message];
}

describe('cancel() before the first step', () => {
  it('keeps the coroutine from ever running and cancels the task', async () => {
    const log: string[] = [];
    const seen = await runVirtual(function* () {
      const task = createTask(
        (function* (): Coro<string> {
          log.push('coroutine ran');
          yield* sleep(10);
          return 'finished';
        })(),
      );
      const accepted = task.cancel();
      const error = yield* thrownByAwaiting(task);
      return [accepted, task.cancelled(), task.cancelling(), nameAndMessage(error)];
    });
    expect(log).toEqual([]);
    expect(seen).toEqual([true, true, 1, ['CancelledError', '']]);
  });

  it('hands its message to whoever awaits the task', async () => {
    const error = await runVirtual(function* () {
      const task = createTask(sleep(10));
      task.cancel('before it started');
      return yield* thrownByAwaiting(task);
    });
    expectError(error, CancelledError, 'before it started');
  });
});

describe('cancel() while the task waits', () => {
  it('cancels the future it waits on and throws CancelledError in at that point', async () => {
    const log: string[] = [];
    const seen = await runVirtual(function* () {
      const fut = getRunningLoop().createFuture<string>();
      const task = createTask(
        (function* (): Coro<string> {
          try {
            log.push('waiting');
            const value = yield* fut;
            log.push('resumed normally');
            return value;
          } catch (e) {
            log.push(`caught ${nameAndMessage(e).join(': ')}`);
            throw e;
          }
        })(),
      );
      yield;
      const accepted = task.cancel();
      log.push(`future cancelled right away: ${fut.cancelled()}`);
      const error = yield* thrownByAwaiting(task);
      return [accepted, task.cancelled(), nameAndMessage(error)];
    });
    expect(log).toEqual([
      'waiting',
      'future cancelled right away: true',
      'caught CancelledError: ',
    ]);
    expect(seen).toEqual([true, true, ['CancelledError', '']]);
  });

  it('throws in a CancelledError whose message is the cancel message', async () => {
    const messages = await runVirtual(function* () {
      const seen: string[] = [];
      const task = createTask(
        (function* (): Coro<void> {
          try {
            yield* sleep(1000);
          } catch (e) {
            seen.push((e as Error).message);
            throw e;
          }
        })(),
      );
      yield;
      task.cancel('shutting down');
      const error = yield* thrownByAwaiting(task);
      seen.push((error as Error).message);
      return seen;
    });
    expect(messages).toEqual(['shutting down', 'shutting down']);
  });

  it.each([
    ['no message', undefined],
    ['a null message', null],
    ['an empty message', ''],
  ])('gives CancelledError the message "" for %s', async (_kind, msg) => {
    const error = await runVirtual(function* () {
      const task = createTask(sleep(1000));
      yield;
      task.cancel(msg);
      return yield* thrownByAwaiting(task);
    });
    expectError(error, CancelledError, '');
  });

  it('ends the wait at the time of the cancel, not at the deadline', async () => {
    const loop = new VirtualTimeLoop();
    const seen = await runVirtual(function* () {
      const sleeper = createTask(sleep(5000));
      getRunningLoop().callLater(100, () => sleeper.cancel());
      try {
        yield* sleeper;
        return ['slept in', now()];
      } catch (e) {
        return [nameAndMessage(e)[0], now()];
      }
    }, loop);
    expect(seen).toEqual(['CancelledError', 100]);
    expect(loop.time()).toBe(100);
  });

  it('cancels the task at its next step when it gave up the loop with a bare yield', async () => {
    const log: string[] = [];
    const seen = await runVirtual(function* () {
      const task = createTask(
        (function* (): Coro<number> {
          log.push('step 1');
          yield;
          log.push('step 2');
          yield;
          return 12;
        })(),
      );
      yield;
      task.cancel();
      const error = yield* thrownByAwaiting(task);
      return [task.cancelled(), nameAndMessage(error), task.cancel()];
    });
    expect(log).toEqual(['step 1']);
    expect(seen).toEqual([true, ['CancelledError', ''], false]);
  });

  it('throws CancelledError in instead of the value when its future finished but the task has not resumed yet', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const fut = getRunningLoop().createFuture<string>();
      const task = createTask(
        (function* (): Coro<void> {
          try {
            log.push(`got ${yield* fut}`);
          } catch (e) {
            log.push(`caught ${nameAndMessage(e).join(': ')}`);
          }
        })(),
      );
      yield;
      fut.setResult('value');
      log.push(`cancel returns ${task.cancel('late')}`);
      yield* task;
    });
    expect(log).toEqual(['cancel returns true', 'caught CancelledError: late']);
  });
});

describe('cancel() of a task that is done', () => {
  it('returns false and counts nothing', async () => {
    const seen = await runVirtual(function* () {
      const task = createTask(sleep(1, 'done'));
      yield* task;
      return [
        task.cancel(),
        task.cancel('again'),
        task.cancelling(),
        task.cancelled(),
        task.result(),
      ];
    });
    expect(seen).toEqual([false, false, 0, false, 'done']);
  });
});

describe('a coroutine that handles its cancellation', () => {
  it('is not cancelled when it catches CancelledError and returns: its return value is the result', async () => {
    const seen = await runVirtual(function* () {
      const fut1 = getRunningLoop().createFuture<void>();
      const fut2 = getRunningLoop().createFuture<void>();
      const task = createTask(
        (function* (): Coro<number> {
          yield* fut1;
          try {
            yield* fut2;
          } catch (e) {
            if (e instanceof CancelledError) return 42;
            throw e;
          }
          return 0;
        })(),
      );
      yield;
      fut1.setResult();
      yield;
      yield;
      task.cancel();
      const fut2Cancelled = fut2.cancelled();
      const value = yield* task;
      return [fut2Cancelled, value, task.cancelled(), task.cancelling()];
    });
    expect(seen).toEqual([true, 42, false, 1]);
  });

  it('can ignore the cancellation and go on waiting for something else', async () => {
    const seen = await runVirtual(function* () {
      const fut2 = getRunningLoop().createFuture<void>();
      const fut3 = getRunningLoop().createFuture<number>();
      const task = createTask(
        (function* (): Coro<number> {
          try {
            yield* fut2;
          } catch (e) {
            if (!(e instanceof CancelledError)) throw e;
          }
          return yield* fut3;
        })(),
      );
      yield;
      task.cancel();
      yield;
      yield;
      const stillPending = !task.done();
      fut3.setResult(42);
      const value = yield* task;
      return [fut2.cancelled(), stillPending, value, task.cancelled()];
    });
    expect(seen).toEqual([true, true, 42, false]);
  });

  it('is cancelled when it raises its own CancelledError, and counts no request', async () => {
    const seen = await runVirtual(function* () {
      const own = new CancelledError('raised by the coroutine');
      const task = createTask(
        (function* (): Coro<void> {
          yield* sleep(1);
          throw own;
        })(),
      );
      const error = yield* thrownByAwaiting(task);
      return [error === own, task.cancelled(), task.cancelling()];
    });
    expect(seen).toEqual([true, true, 0]);
  });
});

describe('the CancelledError handed out by a cancelled task', () => {
  it('is the same object the coroutine raised for the first awaiter, a new one after', async () => {
    const seen = await runVirtual(function* () {
      let raised: unknown = null;
      const task = createTask(
        (function* (): Coro<void> {
          try {
            yield* sleep(1000);
          } catch (e) {
            raised = e;
            throw e;
          }
        })(),
      );
      yield;
      task.cancel('first message');
      const first = yield* thrownByAwaiting(task);
      const later = thrownBy(() => task.result());
      return [first === raised, nameAndMessage(first), later === raised, nameAndMessage(later)];
    });
    expect(seen).toEqual([
      true,
      ['CancelledError', 'first message'],
      false,
      ['CancelledError', ''],
    ]);
  });

  it('is the coroutine’s for exception() too when exception() retrieves it first', async () => {
    const seen = await runVirtual(function* () {
      let raised: unknown = null;
      const task = createTask(
        (function* (): Coro<void> {
          try {
            yield* sleep(1000);
          } catch (e) {
            raised = e;
            throw e;
          }
        })(),
      );
      yield;
      task.cancel('via exception()');
      yield* pollUntilDone(task);
      const first = thrownBy(() => task.exception());
      return [first === raised, nameAndMessage(first)];
    });
    expect(seen).toEqual([true, ['CancelledError', 'via exception()']]);
  });
});

describe('a task that cancels itself', () => {
  it('is cancelled at its next wait, which ends at once', async () => {
    const loop = new VirtualTimeLoop();
    const log: string[] = [];
    const seen = await runVirtual(function* () {
      let task: Task<number> | null = null;
      task = createTask(
        (function* (): Coro<number> {
          task!.cancel();
          log.push(`cancelling ${task!.cancelling()}`);
          yield* sleep(100_000);
          log.push('slept');
          return 12;
        })(),
      );
      const error = yield* thrownByAwaiting(task);
      return [task.cancelled(), nameAndMessage(error), now()];
    }, loop);
    expect(log).toEqual(['cancelling 1']);
    expect(seen).toEqual([true, ['CancelledError', ''], 0]);
    expect(loop.time()).toBe(0);
  });

  it('is cancelled even when its coroutine returns right after the cancel', async () => {
    const seen = await runVirtual(function* () {
      let task: Task<number> | null = null;
      task = createTask(
        (function* (): Coro<number> {
          task!.cancel('at the very end');
          return 12;
        })(),
      );
      const error = yield* thrownByAwaiting(task);
      return [task.cancelled(), nameAndMessage(error)];
    });
    expect(seen).toEqual([true, ['CancelledError', 'at the very end']]);
  });

  it('cancels the task it then waits on, and the future that task waits on', async () => {
    const seen = await runVirtual(function* () {
      const fut = getRunningLoop().createFuture<void>();
      let nested: Task<void> | null = null;
      let task: Task<void> | null = null;
      task = createTask(
        (function* (): Coro<void> {
          nested = createTask(
            (function* (): Coro<void> {
              yield* fut;
            })(),
          );
          yield* sleep(0);
          task!.cancel();
          yield* nested;
        })(),
      );
      const error = yield* thrownByAwaiting(task);
      return [task.cancelled(), nested!.cancelled(), fut.cancelled(), nameAndMessage(error)];
    });
    expect(seen).toEqual([true, true, true, ['CancelledError', '']]);
  });
});

describe('cancelling() and uncancel()', () => {
  it('count the cancel requests, and uncancel() takes one back without going below zero', async () => {
    const counts = await runVirtual(function* () {
      const task = createTask(
        (function* (): Coro<void> {
          for (;;) {
            try {
              yield* sleep(10);
              return;
            } catch (e) {
              if (!(e instanceof CancelledError)) throw e;
            }
          }
        })(),
      );
      const seen = [task.cancelling()];
      yield;
      task.cancel();
      seen.push(task.cancelling());
      task.cancel();
      seen.push(task.cancelling());
      seen.push(task.uncancel());
      seen.push(task.uncancel());
      seen.push(task.uncancel());
      seen.push(task.cancelling());
      yield* task;
      return seen;
    });
    expect(counts).toEqual([0, 1, 2, 1, 0, 0, 0]);
  });

  it('count two for a task cancelled twice, and both calls return true', async () => {
    const seen = await runVirtual(function* () {
      const task = createTask(sleep(1000));
      yield;
      const results = [task.cancel('one'), task.cancel('two')];
      const count = task.cancelling();
      const error = yield* thrownByAwaiting(task);
      return [results, count, nameAndMessage(error)];
    });
    expect(seen).toEqual([[true, true], 2, ['CancelledError', 'one']]);
  });

  it('show "cancelling" in toString() while a request is outstanding', async () => {
    const forms = await runVirtual(function* () {
      const task = createTask(
        (function* (): Coro<void> {
          try {
            yield* sleep(10);
          } catch {
            yield* sleep(10);
          }
        })(),
        { name: 'c' },
      );
      yield;
      task.cancel();
      const seen = [String(task).startsWith('<Task cancelling name=c ')];
      yield;
      yield;
      task.uncancel();
      seen.push(String(task).startsWith('<Task pending name=c '));
      yield* task;
      return seen;
    });
    expect(forms).toEqual([true, true]);
  });

  it('uncancel() to zero drops a pending cancel, so the next wait runs to its end', async () => {
    const loop = new VirtualTimeLoop();
    const seen = await runVirtual(function* () {
      let task: Task<string> | null = null;
      task = createTask(
        (function* (): Coro<string> {
          task!.cancel();
          const left = task!.uncancel();
          yield* sleep(10);
          return `slept with ${left} requests left`;
        })(),
      );
      const value = yield* task;
      return [value, task.cancelled(), now()];
    }, loop);
    expect(seen).toEqual(['slept with 0 requests left', false, 10]);
  });

  it('uncancel() above zero keeps the pending cancel', async () => {
    const seen = await runVirtual(function* () {
      let task: Task<string> | null = null;
      task = createTask(
        (function* (): Coro<string> {
          task!.cancel();
          task!.cancel();
          const left = task!.uncancel();
          try {
            yield* sleep(10);
          } catch (e) {
            return `${(e as Error).constructor.name} with ${left} request left`;
          }
          return 'slept';
        })(),
      );
      const value = yield* task;
      return [value, now()];
    });
    expect(seen).toEqual(['CancelledError with 1 request left', 0]);
  });

  it('let a task swallow one cancellation and be cancelled by the next', async () => {
    const log: string[] = [];
    const seen = await runVirtual(function* () {
      let task: Task<void> | null = null;
      task = createTask(
        (function* (): Coro<void> {
          try {
            yield* sleep(10);
          } catch (e) {
            if (!(e instanceof CancelledError)) throw e;
            log.push(`swallowed, ${task!.uncancel()} left`);
          }
          log.push('waiting again');
          yield* sleep(10);
          log.push('not reached');
        })(),
      );
      yield;
      task.cancel();
      yield* sleep(1);
      task.cancel();
      const error = yield* thrownByAwaiting(task);
      return [task.cancelled(), task.cancelling(), nameAndMessage(error)];
    });
    expect(log).toEqual(['swallowed, 0 left', 'waiting again']);
    expect(seen).toEqual([true, 1, ['CancelledError', '']]);
  });
});

describe('cancelling a task that waits on another task', () => {
  it('cancels the inner task, and the CancelledError propagates out through both', async () => {
    const log: string[] = [];
    const seen = await runVirtual(function* () {
      const waiter = getRunningLoop().createFuture<void>();
      const inner = createTask(
        (function* (): Coro<void> {
          try {
            yield* waiter;
          } catch (e) {
            log.push(`inner caught ${nameAndMessage(e).join(': ')}`);
            throw e;
          }
        })(),
      );
      const outer = createTask(
        (function* (): Coro<void> {
          try {
            yield* inner;
          } catch (e) {
            log.push(`outer caught ${nameAndMessage(e).join(': ')}`);
            throw e;
          }
        })(),
      );
      yield;
      yield;
      outer.cancel('from main');
      const error = yield* thrownByAwaiting(outer);
      return [
        waiter.cancelled(),
        inner.cancelled(),
        outer.cancelled(),
        inner.cancelling(),
        outer.cancelling(),
        nameAndMessage(error),
      ];
    });
    expect(log).toEqual([
      'inner caught CancelledError: from main',
      'outer caught CancelledError: from main',
    ]);
    expect(seen).toEqual([true, true, true, 1, 1, ['CancelledError', 'from main']]);
  });

  it('lets the outer task go on with the result when the inner one ignores the cancellation', async () => {
    const log: string[] = [];
    const seen = await runVirtual(function* () {
      const inner = createTask(
        (function* (): Coro<string> {
          try {
            yield* sleep(100);
          } catch (e) {
            if (!(e instanceof CancelledError)) throw e;
            log.push('inner ignores the cancellation');
          }
          yield* sleep(5);
          return 'inner result';
        })(),
      );
      const outer = createTask(
        (function* (): Coro<string> {
          const value = yield* inner;
          log.push(`outer got ${value} at ${now()}`);
          return `outer saw ${value}`;
        })(),
      );
      yield* sleep(20);
      outer.cancel();
      const value = yield* outer;
      return [value, outer.cancelled(), inner.cancelled(), outer.cancelling()];
    });
    expect(log).toEqual(['inner ignores the cancellation', 'outer got inner result at 25']);
    expect(seen).toEqual(['outer saw inner result', false, false, 1]);
  });

  it('cancels the task when the future it waits on is cancelled by someone else, with no request counted', async () => {
    const seen = await runVirtual(function* () {
      const fut = getRunningLoop().createFuture<number>();
      const task = createTask(
        (function* (): Coro<number> {
          return yield* fut;
        })(),
      );
      yield;
      fut.cancel('the future went away');
      const error = yield* thrownByAwaiting(task);
      return [task.cancelled(), task.cancelling(), nameAndMessage(error)];
    });
    expect(seen).toEqual([true, 0, ['CancelledError', 'the future went away']]);
  });

  it('cancels the task when both it and its future are cancelled', async () => {
    const seen = await runVirtual(function* () {
      const fut = getRunningLoop().createFuture<number>();
      const task = createTask(
        (function* (): Coro<number> {
          yield* fut;
          return 12;
        })(),
      );
      yield;
      fut.cancel();
      const accepted = task.cancel();
      const error = yield* thrownByAwaiting(task);
      return [accepted, fut.cancelled(), task.cancelled(), nameAndMessage(error)];
    });
    expect(seen).toEqual([true, true, true, ['CancelledError', '']]);
  });
});

describe('cancellation survives delegation', () => {
  function* level3(log: string[]): Coro<string> {
    try {
      log.push(`level3 waits at ${now()}`);
      yield* sleep(1000);
      log.push('level3 resumed as if nothing happened');
      return 'level3 result';
    } finally {
      log.push(`level3 cleanup starts at ${now()}`);
      yield* sleep(10);
      log.push(`level3 cleanup ends at ${now()}`);
    }
  }

  function* level2(log: string[], caught: unknown[]): Coro<string> {
    try {
      const value = yield* level3(log);
      log.push('level2 resumed as if nothing happened');
      return value;
    } catch (e) {
      caught.push(e);
      log.push(`level2 sees ${nameAndMessage(e).join(': ')}`);
      throw e;
    }
  }

  function* level1(log: string[], caught: unknown[]): Coro<string> {
    try {
      const value = yield* level2(log, caught);
      log.push('level1 resumed as if nothing happened');
      return value;
    } finally {
      log.push(`level1 finally at ${now()}`);
    }
  }

  it('runs a waiting finally three levels deep to its end, then reaches the top as CancelledError', async () => {
    const log: string[] = [];
    const caught: unknown[] = [];
    const loop = new VirtualTimeLoop();
    const seen = await runVirtual(function* () {
      const task = createTask(level1(log, caught));
      yield* sleep(5);
      task.cancel('stop');
      log.push('cancel requested');
      yield* sleep(3);
      log.push(`during cleanup: done=${task.done()} cancelling=${task.cancelling()}`);
      const error = yield* thrownByAwaiting(task);
      log.push(`main sees ${nameAndMessage(error).join(': ')} at ${now()}`);
      return [task.cancelled(), error === caught[0]];
    }, loop);
    expect(log).toEqual([
      'level3 waits at 0',
      'cancel requested',
      'level3 cleanup starts at 5',
      'during cleanup: done=false cancelling=1',
      'level3 cleanup ends at 15',
      'level2 sees CancelledError: stop',
      'level1 finally at 15',
      'main sees CancelledError: stop at 15',
    ]);
    expect(seen).toEqual([true, true]);
    expect(loop.time()).toBe(15);
  });

  it('cancels the cleanup’s own wait when a second cancel arrives during it', async () => {
    const log: string[] = [];
    const caught: unknown[] = [];
    const seen = await runVirtual(function* () {
      const task = createTask(level1(log, caught));
      yield* sleep(5);
      task.cancel('first');
      yield* sleep(3);
      task.cancel('second');
      const error = yield* thrownByAwaiting(task);
      return [task.cancelled(), task.cancelling(), nameAndMessage(error), now()];
    });
    expect(log).toEqual([
      'level3 waits at 0',
      'level3 cleanup starts at 5',
      'level2 sees CancelledError: second',
      'level1 finally at 8',
    ]);
    expect(seen).toEqual([true, 2, ['CancelledError', 'second'], 8]);
  });

  it('lets a level that catches the CancelledError return a value the levels above resume with', async () => {
    const log: string[] = [];
    function* catcher(): Coro<string> {
      try {
        return yield* level3(log);
      } catch (e) {
        log.push(`catcher swallows ${nameAndMessage(e).join(': ')}`);
        return 'fallback';
      }
    }
    function* top(): Coro<string> {
      const value = yield* catcher();
      log.push(`top resumes with ${value}`);
      return value;
    }
    const seen = await runVirtual(function* () {
      const task = createTask(top());
      yield* sleep(5);
      task.cancel('soft');
      const value = yield* task;
      return [value, task.cancelled(), task.cancelling(), now()];
    });
    expect(log).toEqual([
      'level3 waits at 0',
      'level3 cleanup starts at 5',
      'level3 cleanup ends at 15',
      'catcher swallows CancelledError: soft',
      'top resumes with fallback',
    ]);
    expect(seen).toEqual(['fallback', false, 1, 15]);
  });
});

describe('cancelling a sleep', () => {
  it('cancels its timer, so the loop does not wait for the deadline', async () => {
    const loop = new VirtualTimeLoop();
    const seen = await runVirtual(function* () {
      const task = createTask(sleep(3_600_000));
      yield;
      task.cancel();
      const error = yield* thrownByAwaiting(task);
      // The loop idles here: a timer left behind would move the virtual clock to 3600000.
      yield hostTimer();
      return nameAndMessage(error);
    }, loop);
    expect(seen).toEqual(['CancelledError', '']);
    expect(loop.time()).toBe(0);
  });
});

describe('awaiting a future that a callback cancels', () => {
  it('is a plain Future whose cancellation reaches the waiting coroutine', async () => {
    const error = await runVirtual(function* () {
      const fut: Future<number> = getRunningLoop().createFuture<number>();
      getRunningLoop().callLater(30, () => fut.cancel('timer cancelled it'));
      return yield* thrownByAwaiting(fut);
    });
    expectError(error, CancelledError, 'timer cancelled it');
  });
});

describe('cancellation meeting other outcomes', () => {
  it('lets an error thrown by the cleanup replace the CancelledError: the task fails with it', async () => {
    const cleanupError = new Error('cleanup failed');
    const seen = await runVirtual(function* () {
      const task = createTask(
        (function* (): Coro<void> {
          try {
            yield* sleep(100);
          } finally {
            yield* sleep(1);
            // biome-ignore lint/correctness/noUnsafeFinally: the replacement is what is tested
            throw cleanupError;
          }
        })(),
      );
      yield;
      task.cancel();
      const error = yield* thrownByAwaiting(task);
      return [error, task.cancelled(), task.exception()];
    });
    expect(seen).toEqual([cleanupError, false, cleanupError]);
  });

  it('cancels a task at its next step when the gather it awaits can no longer be cancelled', async () => {
    const log: string[] = [];
    const seen = await runVirtual(function* () {
      const fut = getRunningLoop().createFuture<number>();
      const task = createTask(
        (function* (): Coro<void> {
          try {
            const results = yield* gather([fut]);
            log.push(`got ${results}`);
          } catch (e) {
            log.push(`caught ${nameAndMessage(e).join(': ')}`);
            throw e;
          }
        })(),
      );
      yield;
      fut.addDoneCallback(() => {
        log.push(`cancel returns ${task.cancel('too late for the gather')}`);
      });
      fut.setResult(1);
      const error = yield* thrownByAwaiting(task);
      return [task.cancelled(), nameAndMessage(error)];
    });
    expect(log).toEqual(['cancel returns true', 'caught CancelledError: too late for the gather']);
    expect(seen).toEqual([true, ['CancelledError', 'too late for the gather']]);
  });

  it('gives the coroutine’s CancelledError to the first of two awaiting tasks and a new one to the second', async () => {
    const seen = await runVirtual(function* () {
      let raised: unknown = null;
      const target = createTask(
        (function* (): Coro<void> {
          try {
            yield* sleep(100);
          } catch (e) {
            raised = e;
            throw e;
          }
        })(),
      );
      const first = createTask(thrownByAwaiting(target));
      const second = createTask(thrownByAwaiting(target));
      yield;
      target.cancel('shared');
      const a = yield* first;
      const b = yield* second;
      return [a === raised, nameAndMessage(a), b === raised, nameAndMessage(b)];
    });
    expect(seen).toEqual([true, ['CancelledError', 'shared'], false, ['CancelledError', '']]);
  });

  it('rejects `await task` in async code with CancelledError for a cancelled task', async () => {
    const loop = new VirtualTimeLoop();
    const task = loop.createTask(sleep(100));
    const running = loop.runUntilComplete(task);
    task.cancel('from outside');
    const error = await rejectionOf(task);
    await rejectionOf(running);
    loop.close();
    expectError(error, CancelledError, 'from outside');
  });
});
