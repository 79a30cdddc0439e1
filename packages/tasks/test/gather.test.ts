import {
  CancelledError,
  type Coro,
  type Future,
  getRunningLoop,
  VirtualTimeLoop,
} from '@asyncio-ts/core-loop';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  createTask,
  GatheringFuture,
  gather,
  isAwaitableCollection,
  sleep,
  type Task,
} from '../src/index.js';
import {
  expectError,
  fails,
  now,
  pollUntilDone,
  returns,
  runVirtual,
  thrownBy,
  thrownByAwaiting,
} from './utils.js';

function nameAndMessage(error: unknown): [string, string] {
  return [(error as Error).constructor.name, (error as Error).message];
}

/** A coroutine that logs when it starts and ends, and returns `value` after `ms`. */
function* timed<T>(log: string[], name: string, ms: number, value: T): Coro<T> {
  log.push(`${name} starts at ${now()}`);
  yield* sleep(ms);
  log.push(`${name} ends at ${now()}`);
  return value;
}

describe('gather() collects results', () => {
  it('in the order of its arguments, not the order they finish, running them concurrently', async () => {
    const log: string[] = [];
    const loop = new VirtualTimeLoop();
    const results = await runVirtual(function* () {
      return yield* gather([
        timed(log, 'a', 30, 'A'),
        timed(log, 'b', 10, 'B'),
        timed(log, 'c', 20, 'C'),
      ]);
    }, loop);
    expect(results).toEqual(['A', 'B', 'C']);
    expect(log).toEqual([
      'a starts at 0',
      'b starts at 0',
      'c starts at 0',
      'b ends at 10',
      'c ends at 20',
      'a ends at 30',
    ]);
    expect(loop.time()).toBe(30);
  });

  it('keeps the tuple type of its arguments', async () => {
    const results = await runVirtual(function* () {
      const fut = getRunningLoop().createFuture<boolean>();
      fut.setResult(true);
      const [n, s, b, p] = yield* gather([sleep(1, 7), returns('text'), fut, Promise.resolve(2n)]);
      expectTypeOf(n).toEqualTypeOf<number>();
      expectTypeOf(s).toEqualTypeOf<string>();
      expectTypeOf(b).toEqualTypeOf<boolean>();
      expectTypeOf(p).toEqualTypeOf<bigint>();
      return [n, s, b, p];
    });
    expect(results).toEqual([7, 'text', true, 2n]);
  });

  it('of nothing is a future already done with []', async () => {
    const seen = await runVirtual(function* () {
      const outer = gather([]);
      const doneAtOnce = outer.done();
      return [doneAtOnce, yield* outer];
    });
    expect(seen).toEqual([true, []]);
  });

  it('of futures, tasks, coroutines and promises together', async () => {
    const results = await runVirtual(function* () {
      const fut = getRunningLoop().createFuture<string>();
      getRunningLoop().callLater(5, () => fut.setResult('future'));
      const task = createTask(sleep(3, 'task'));
      return yield* gather([fut, task, sleep(4, 'coroutine'), Promise.resolve('promise')]);
    });
    expect(results).toEqual(['future', 'task', 'coroutine', 'promise']);
  });

  it('of promises settles with their values', async () => {
    const results = await runVirtual(function* () {
      const later = new Promise<number>((resolve) => setImmediate(() => resolve(2)));
      return yield* gather([Promise.resolve(1), later, Promise.resolve('three')]);
    });
    expect(results).toEqual([1, 2, 'three']);
  });

  it('of a promise that rejects fails with the rejection', async () => {
    const error = new Error('promise rejected');
    const caught = await runVirtual(function* () {
      return yield* thrownByAwaiting(gather([Promise.resolve(1), Promise.reject(error)]));
    });
    expect(caught).toBe(error);
  });

  it('of any iterable, such as a Set', async () => {
    const results = await runVirtual(function* () {
      const values = yield* gather(new Set([sleep(2, 'x'), sleep(1, 'y')]));
      expectTypeOf(values).toEqualTypeOf<string[]>();
      return values;
    });
    expect(results).toEqual(['x', 'y']);
  });

  it('is done at once when every child is already done', async () => {
    const seen = await runVirtual(function* () {
      const a = getRunningLoop().createFuture<number>();
      const b = getRunningLoop().createFuture<number>();
      a.setResult(1);
      b.setResult(2);
      const outer = gather([a, b]);
      return [outer.done(), outer.result()];
    });
    expect(seen).toEqual([true, [1, 2]]);
  });

  it('returns a GatheringFuture', async () => {
    const isGathering = await runVirtual(function* () {
      const outer = gather([sleep(1)]);
      yield* outer;
      return outer instanceof GatheringFuture;
    });
    expect(isGathering).toBe(true);
  });
});

describe('gather() of the same awaitable more than once', () => {
  it('runs a repeated coroutine once and repeats its result', async () => {
    let runs = 0;
    function* counted(value: string): Coro<string> {
      runs++;
      yield* sleep(1);
      return value;
    }
    const results = await runVirtual(function* () {
      const c = counted('abc');
      return yield* gather([c, c, counted('def'), c]);
    });
    expect(results).toEqual(['abc', 'abc', 'def', 'abc']);
    expect(runs).toBe(2);
  });

  it('shares one child for a repeated future', async () => {
    const results = await runVirtual(function* () {
      const fut = getRunningLoop().createFuture<number>();
      getRunningLoop().callLater(1, () => fut.setResult(9));
      return yield* gather([fut, fut]);
    });
    expect(results).toEqual([9, 9]);
  });
});

describe('gather() when a child fails', () => {
  it('settles with the first error while the other children keep running', async () => {
    const log: string[] = [];
    const error = new Error('first failure');
    const loop = new VirtualTimeLoop();
    const seen = await runVirtual(function* () {
      const slow = createTask(timed(log, 'slow', 20, 'slow result'));
      function* failing(): Coro<never> {
        yield* sleep(10);
        log.push(`failing throws at ${now()}`);
        throw error;
      }
      const caught = yield* thrownByAwaiting(gather([failing(), slow]));
      log.push(`gather failed at ${now()}`);
      const slowResult = yield* slow;
      log.push(`slow still finished at ${now()}`);
      return [caught, slowResult, slow.cancelled()];
    }, loop);
    expect(seen).toEqual([error, 'slow result', false]);
    expect(log).toEqual([
      'slow starts at 0',
      'failing throws at 10',
      'gather failed at 10',
      'slow ends at 20',
      'slow still finished at 20',
    ]);
  });

  it('keeps the first error when a second child fails later', async () => {
    const first = new Error('first');
    const second = new Error('second');
    const seen = await runVirtual(function* () {
      const a = getRunningLoop().createFuture<number>();
      const b = getRunningLoop().createFuture<number>();
      const outer = gather([a, b]);
      a.setException(first);
      yield* pollUntilDone(outer);
      b.setException(second);
      yield;
      yield;
      return [outer.exception(), b.exception()];
    });
    expect(seen).toEqual([first, second]);
  });

  it('puts errors in their places with returnExceptions', async () => {
    const error = new RangeError('bad value');
    const results = await runVirtual(function* () {
      function* failing(): Coro<never> {
        yield* sleep(2);
        throw error;
      }
      return yield* gather([sleep(3, 1), failing(), sleep(1, 3)], { returnExceptions: true });
    });
    expect(results).toEqual([1, error, 3]);
    expect(results[1]).toBe(error);
  });

  it('with returnExceptions puts a CancelledError carrying the message in the place of a cancelled child', async () => {
    const results = await runVirtual(function* () {
      const loop = getRunningLoop();
      const a = loop.createFuture<number>();
      const b = loop.createFuture<number>();
      const c = loop.createFuture<number>();
      const d = loop.createFuture<number>();
      const outer = gather([a, b, c, d], { returnExceptions: true });
      a.setResult(1);
      b.cancel('b went away');
      c.setException(new Error('c failed'));
      d.cancel();
      return yield* outer;
    });
    expect(results.map((r) => (r instanceof Error ? nameAndMessage(r) : r))).toEqual([
      1,
      ['CancelledError', 'b went away'],
      ['Error', 'c failed'],
      ['CancelledError', ''],
    ]);
  });

  it('without returnExceptions fails with CancelledError when a child is cancelled, yet is not cancelled itself', async () => {
    const seen = await runVirtual(function* () {
      const loop = getRunningLoop();
      const a = loop.createFuture<number>();
      const b = loop.createFuture<number>();
      const outer = gather([a, b]);
      b.cancel('child cancelled');
      yield* pollUntilDone(outer);
      const exception = outer.exception();
      return [outer.cancelled(), nameAndMessage(exception), a.done()];
    });
    expect(seen).toEqual([false, ['CancelledError', 'child cancelled'], false]);
  });

  it('without returnExceptions makes the awaiting task cancelled when a child task is cancelled', async () => {
    const seen = await runVirtual(function* () {
      const child = createTask(sleep(100, 'child'));
      const awaiter = createTask(
        (function* (): Coro<unknown[]> {
          return yield* gather([child, sleep(50, 'other')]);
        })(),
      );
      yield* sleep(10);
      child.cancel('stop the child');
      const error = yield* thrownByAwaiting(awaiter);
      return [nameAndMessage(error), awaiter.cancelled(), child.cancelled()];
    });
    expect(seen).toEqual([['CancelledError', 'stop the child'], true, true]);
  });
});

describe('cancelling gather()', () => {
  it('cancels every child, and the awaiter gets CancelledError even with returnExceptions', async () => {
    const log: string[] = [];
    const loop = new VirtualTimeLoop();
    const seen = await runVirtual(function* () {
      function* child(name: string): Coro<string> {
        try {
          yield* sleep(100);
          return name;
        } catch (e) {
          log.push(`${name} caught ${nameAndMessage(e).join(': ')}`);
          throw e;
        }
      }
      const outer = gather([child('a'), child('b')], { returnExceptions: true });
      yield* sleep(10);
      const accepted = outer.cancel('stop all');
      const error = yield* thrownByAwaiting(outer);
      return [accepted, nameAndMessage(error), outer.cancelled(), now()];
    }, loop);
    expect(log).toEqual(['a caught CancelledError: stop all', 'b caught CancelledError: stop all']);
    expect(seen).toEqual([true, ['CancelledError', 'stop all'], false, 10]);
    expect(loop.time()).toBe(10);
  });

  it('by cancelling the task that awaits it reaches every child and their futures', async () => {
    let proof = 0;
    const seen = await runVirtual(function* () {
      const waiter = getRunningLoop().createFuture<void>();
      function* inner(): Coro<void> {
        yield* waiter;
        proof += 1;
      }
      const child1 = createTask(inner());
      const child2 = createTask(inner());
      let gatherer: Future<unknown[]> | null = null;
      const outer = createTask(
        (function* (): Coro<void> {
          gatherer = gather([child1, child2]);
          yield* gatherer;
          proof += 100;
        })(),
      );
      yield;
      const accepted = outer.cancel();
      const error = yield* thrownByAwaiting(outer);
      yield;
      return [
        accepted,
        nameAndMessage(error),
        gatherer!.cancel(),
        waiter.cancelled(),
        child1.cancelled(),
        child2.cancelled(),
      ];
    });
    expect(seen).toEqual([true, ['CancelledError', ''], false, true, true, true]);
    expect(proof).toBe(0);
  });

  it('a task that loops over gather(..., returnExceptions) is still cancelled', async () => {
    const loop = new VirtualTimeLoop();
    const seen = await runVirtual(function* () {
      let rounds = 0;
      const looper = createTask(
        (function* (): Coro<void> {
          for (;;) {
            rounds++;
            yield* gather([sleep(50)], { returnExceptions: true });
          }
        })(),
      );
      yield* sleep(120);
      looper.cancel();
      const error = yield* thrownByAwaiting(looper);
      return [nameAndMessage(error), looper.cancelled(), rounds, now()];
    }, loop);
    expect(seen).toEqual([['CancelledError', ''], true, 3, 120]);
  });

  it('returns false once the gather is done', async () => {
    const seen = await runVirtual(function* () {
      const outer = gather([sleep(1, 'x')]);
      const value = yield* outer;
      return [outer.cancel(), outer.cancelled(), value];
    });
    expect(seen).toEqual([false, false, ['x']]);
  });

  it('returns false when every child is done though the gather has not settled yet', async () => {
    const seen = await runVirtual(function* () {
      const loop = getRunningLoop();
      const fut = loop.createFuture<number>();
      function* childCoro(): Coro<number> {
        return yield* fut;
      }
      const outer = gather([childCoro()]);
      yield;
      let cancelResult: boolean | null = null;
      fut.addDoneCallback(() => {
        cancelResult = outer.cancel();
      });
      fut.setResult(42);
      const value = yield* outer;
      return [cancelResult, outer.cancelled(), value];
    });
    expect(seen).toEqual([false, false, [42]]);
  });
});

describe('gather() refuses what is not a collection of awaitables', () => {
  it('throws TypeError for a single future instead of an array', async () => {
    const error = await runVirtual(function* () {
      const fut = getRunningLoop().createFuture<number>();
      return thrownBy(() => gather(fut as unknown as Future<number>[]));
    });
    expectError(
      error,
      TypeError,
      'gather() expects an array (or iterable) of awaitables, got Future',
    );
  });

  it('throws TypeError for a string', async () => {
    const error = await runVirtual(function* () {
      return thrownBy(() => gather('ab' as unknown as Future<string>[]));
    });
    expectError(
      error,
      TypeError,
      'gather() expects an array (or iterable) of awaitables, got string',
    );
  });

  it('throws TypeError for a single coroutine', async () => {
    const error = await runVirtual(function* () {
      const coro = sleep(1);
      const err = thrownBy(() => gather(coro as unknown as Coro<void>[]));
      coro.return(undefined);
      return err;
    });
    expectError(
      error,
      TypeError,
      'gather() expects an array (or iterable) of awaitables, got coroutine',
    );
  });

  it('throws TypeError for an element that is not awaitable', async () => {
    const error = await runVirtual(function* () {
      return thrownBy(() => gather([42 as unknown as Future<number>]));
    });
    expectError(
      error,
      TypeError,
      'An asyncio Future, a coroutine or an awaitable is required, got number',
    );
  });
});

describe('isAwaitableCollection()', () => {
  it('accepts arrays and other iterables, and refuses futures, coroutines and the rest', async () => {
    const verdicts = await runVirtual(function* () {
      const fut = getRunningLoop().createFuture<number>();
      fut.setResult(1);
      const coro = sleep(0);
      const verdict = [[], new Set([fut]), new Map(), fut, coro, 'ab', null, { length: 0 }].map(
        isAwaitableCollection,
      );
      yield* coro;
      return verdict;
    });
    expect(verdicts).toEqual([true, true, true, false, false, false, false, false]);
  });
});

describe('gather() nesting and errors', () => {
  it('nests: a gather of gathers keeps each level’s results and order', async () => {
    const results = await runVirtual(function* () {
      return yield* gather([gather([sleep(2, 1), sleep(1, 2)]), sleep(1, 3)]);
    });
    expect(results).toEqual([[1, 2], 3]);
  });

  it('settles a failing child’s awaiter with the same error object', async () => {
    const error = new Error('shared');
    const seen = await runVirtual(function* () {
      const task: Task<never> = createTask(fails(error));
      const caught = yield* thrownByAwaiting(gather([task]));
      return [caught, task.exception()];
    });
    expect(seen).toEqual([error, error]);
  });

  it('raises the error as thrown, CancelledError included, as an instance', async () => {
    const seen = await runVirtual(function* () {
      const fut = getRunningLoop().createFuture<number>();
      const outer = gather([fut]);
      fut.cancel();
      const error = yield* thrownByAwaiting(outer);
      return error instanceof CancelledError;
    });
    expect(seen).toBe(true);
  });
});

describe('gather() edge cases from CPython', () => {
  it('still raises CancelledError to the awaiter when a cancelled child ignores the cancellation', async () => {
    const log: string[] = [];
    const seen = await runVirtual(function* () {
      const stubborn = createTask(
        (function* (): Coro<string> {
          try {
            yield* sleep(100);
          } catch (e) {
            if (!(e instanceof CancelledError)) throw e;
            log.push('child ignores the cancellation');
          }
          return 'finished anyway';
        })(),
      );
      const outer = gather([stubborn]);
      yield;
      const accepted = outer.cancel();
      const error = yield* thrownByAwaiting(outer);
      return [accepted, nameAndMessage(error), stubborn.cancelled(), stubborn.result()];
    });
    expect(log).toEqual(['child ignores the cancellation']);
    expect(seen).toEqual([true, ['CancelledError', ''], false, 'finished anyway']);
  });

  it('throws RangeError for futures of two different loops', () => {
    const a = new VirtualTimeLoop();
    const b = new VirtualTimeLoop();
    const error = thrownBy(() => gather([a.createFuture<number>(), b.createFuture<number>()]));
    expectError(
      error,
      RangeError,
      'The future belongs to a different loop than the one specified as the loop argument',
    );
    a.close();
    b.close();
  });
});
