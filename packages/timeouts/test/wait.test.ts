import {
  CancelledError,
  type Coro,
  ensureFuture,
  Future,
  futureAwaitedBy,
  getRunningLoop,
  newEventLoop,
  RuntimeError,
  VirtualTimeLoop,
} from '@asyncio-ts/core-loop';
import { createTask, sleep, type Task } from '@asyncio-ts/tasks';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ALL_COMPLETED,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  type ReturnWhen,
  wait,
} from '../src/wait.js';
import {
  expectError,
  fails,
  hostTimer,
  now,
  returns,
  runVirtual,
  thrownBy,
  thrownByAwaiting,
  ticks,
} from './utils.js';

/** A coroutine that sleeps `ms`, then throws `error`. */
function* failsAfter(ms: number, error: unknown): Coro<never> {
  yield* sleep(ms);
  throw error;
}

/** A future of the running loop that `ms` from now gets `value`. */
function resultLater<T>(ms: number, value: T): Future<T> {
  const loop = getRunningLoop();
  const future = loop.createFuture<T>();
  loop.callLater(ms, () => future.setResult(value));
  return future;
}

/** The results of done futures, in set order. */
function resultsOf(futures: Set<Future<unknown>>): unknown[] {
  return [...futures].map((future) => future.result());
}

describe('wait() with ALL_COMPLETED (the default)', () => {
  it('returns every task as done once the last one finishes', async () => {
    const loop = new VirtualTimeLoop();
    const seen = await runVirtual(function* () {
      const a = createTask(sleep(100, 'a'));
      const b = createTask(sleep(150, 'b'));
      const [done, pending] = yield* wait([b, a]);
      return [resultsOf(done), pending.size, now()];
    }, loop);
    expect(seen).toEqual([['b', 'a'], 0, 150]);
    expect(loop.time()).toBe(150);
  });

  it('again on tasks already done takes no time', async () => {
    const seen = await runVirtual(function* () {
      const a = createTask(sleep(100, 'a'));
      const b = createTask(sleep(150, 'b'));
      yield* wait([a, b]);
      const [done, pending] = yield* wait([a, b]);
      return [resultsOf(done), pending.size, now()];
    });
    expect(seen).toEqual([['a', 'b'], 0, 150]);
  });

  it('still gives up the loop once when everything is done already', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const finished = getRunningLoop().createFuture<number>();
      finished.setResult(1);
      createTask(
        (function* () {
          log.push('other task runs');
        })(),
      );
      log.push('wait starts');
      const [done] = yield* wait([finished]);
      log.push(`wait returns ${done.size} done`);
    });
    expect(log).toEqual(['wait starts', 'other task runs', 'wait returns 1 done']);
  });

  it('returns the sets in the order the futures were first given', async () => {
    const seen = await runVirtual(function* () {
      const loop = getRunningLoop();
      const futures = [0, 1, 2, 3].map(() => loop.createFuture<number>());
      futures.forEach((future, i) => {
        loop.callLater(10 * (4 - i), () => future.setResult(i));
      });
      const [done] = yield* wait([futures[2]!, futures[0]!, futures[3]!, futures[1]!]);
      return resultsOf(done);
    });
    expect(seen).toEqual([2, 0, 3, 1]);
  });

  it('accepts any iterable that is not a coroutine: an iterator, a Set, a Map key view', async () => {
    const seen = await runVirtual(function* () {
      const a = createTask(sleep(100, 'a'));
      const b = createTask(sleep(150, 'b'));
      const fromIterator = yield* wait([b, a].values());
      const fromSet = yield* wait(new Set([a, b]));
      const fromKeys = yield* wait(new Map([[b, 1]]).keys());
      return [fromIterator, fromSet, fromKeys].map(([done, pending]) => [
        resultsOf(done),
        pending.size,
      ]);
    });
    expect(seen).toEqual([
      [['b', 'a'], 0],
      [['a', 'b'], 0],
      [['b'], 0],
    ]);
  });

  it('waits for a task given twice once', async () => {
    const seen = await runVirtual(function* () {
      const c = createTask(returns('test'));
      const d = createTask(returns('spam'));
      const [done, pending] = yield* wait([c, c, d, c]);
      return [done.size, resultsOf(done), pending.size];
    });
    expect(seen).toEqual([2, ['test', 'spam'], 0]);
  });

  it('returns a task that failed as done, without throwing its error', async () => {
    const error = new Error('really');
    const seen = await runVirtual(function* () {
      const a = createTask(sleep(100, 'a'));
      const b = createTask(failsAfter(150, error));
      const [done, pending] = yield* wait([b, a]);
      const errors = [...done].filter((f) => f.exception() !== null);
      return [done.size, pending.size, errors.length, errors[0]!.exception() === error, now()];
    });
    expect(seen).toEqual([2, 0, 1, true, 150]);
  });

  it('returns a cancelled task as done', async () => {
    const seen = await runVirtual(function* () {
      const a = createTask(sleep(1000, 'a'));
      const b = createTask(sleep(50, 'b'));
      getRunningLoop().callLater(20, () => a.cancel());
      const [done, pending] = yield* wait([a, b]);
      return [[...done].map((f) => f.cancelled()), pending.size, now()];
    });
    expect(seen).toEqual([[true, false], 0, 50]);
  });
});

describe('wait() with FIRST_COMPLETED', () => {
  it('returns when the first task finishes, leaving the other running', async () => {
    const seen = await runVirtual(function* () {
      const a = createTask(sleep(10_000, 'a'));
      const b = createTask(sleep(100, 'b'));
      const [done, pending] = yield* wait([b, a], { returnWhen: FIRST_COMPLETED });
      const state = [
        [...done].map((f) => f === b),
        [...pending].map((f) => f === a),
        a.done(),
        b.result(),
        now(),
      ];
      a.cancel();
      return state;
    });
    expect(seen).toEqual([[true], [true], false, 'b', 100]);
  });

  it('returns every task that is really done by the time it resumes', async () => {
    const seen = await runVirtual(function* () {
      const a = createTask(ticks(1));
      const b = createTask(ticks(2));
      const [done, pending] = yield* wait([b, a], { returnWhen: FIRST_COMPLETED });
      return [done.size, pending.size, a.done(), b.done(), now()];
    });
    expect(seen).toEqual([2, 0, true, true, 0]);
  });

  it('counts a cancellation as a completion', async () => {
    const seen = await runVirtual(function* () {
      const a = createTask(sleep(1000, 'a'));
      const b = createTask(sleep(500, 'b'));
      getRunningLoop().callLater(30, () => a.cancel('enough'));
      const [done, pending] = yield* wait([a, b], { returnWhen: FIRST_COMPLETED });
      const state = [[...done].map((f) => f === a && f.cancelled()), pending.has(b), now()];
      b.cancel();
      return state;
    });
    expect(seen).toEqual([[true], true, 30]);
  });

  it('returns with the futures that finished in the same loop iteration', async () => {
    const seen = await runVirtual(function* () {
      const a = resultLater(40, 'a');
      const b = resultLater(40, 'b');
      const c = resultLater(90, 'c');
      const [done, pending] = yield* wait([c, b, a], { returnWhen: FIRST_COMPLETED });
      return [resultsOf(done), pending.has(c), now()];
    });
    expect(seen).toEqual([['b', 'a'], true, 40]);
  });
});

describe('wait() with FIRST_EXCEPTION', () => {
  it('returns at once when a task has failed already', async () => {
    const error = new Error('err');
    const seen = await runVirtual(function* () {
      const a = createTask(sleep(10_000));
      const b = createTask(fails(error));
      const [done, pending] = yield* wait([b, a], { returnWhen: FIRST_EXCEPTION });
      const state = [[...done].map((f) => f === b), [...pending].map((f) => f === a), now()];
      a.cancel();
      return state;
    });
    expect(seen).toEqual([[true], [true], 0]);
  });

  it('returns when a task fails while it waits', async () => {
    const seen = await runVirtual(function* () {
      const a = createTask(sleep(10_000));
      const b = createTask(failsAfter(10, new RangeError('err')));
      const [done, pending] = yield* wait([b, a], { returnWhen: FIRST_EXCEPTION });
      const state = [[...done].map((f) => f === b), pending.has(a), a.done(), now()];
      a.cancel();
      return state;
    });
    expect(seen).toEqual([[true], true, false, 10]);
  });

  it('does not count a success or a cancellation as an exception', async () => {
    const log: string[] = [];
    const seen = await runVirtual(function* () {
      const ok = createTask(sleep(10, 'ok'));
      const cancelled = createTask(sleep(1000));
      const failing = createTask(failsAfter(30, new Error('boom')));
      const slow = createTask(sleep(5000));
      getRunningLoop().callLater(20, () => cancelled.cancel());
      for (const task of [ok, cancelled, failing]) {
        task.addDoneCallback(() => log.push(`${task.getName()} done at ${now()}`));
      }
      const [done, pending] = yield* wait([ok, cancelled, failing, slow], {
        returnWhen: FIRST_EXCEPTION,
      });
      const state = [done.size, pending.has(slow), now()];
      slow.cancel();
      return state;
    });
    expect(seen).toEqual([3, true, 30]);
    expect(log.map((line) => line.replace(/^Task-\d+/, 'T'))).toEqual([
      'T done at 10',
      'T done at 20',
      'T done at 30',
    ]);
  });

  it('waits for everything when nothing fails', async () => {
    const seen = await runVirtual(function* () {
      const a = createTask(sleep(10, 'a'));
      const b = createTask(sleep(70, 'b'));
      const [done, pending] = yield* wait([a, b], { returnWhen: FIRST_EXCEPTION });
      return [resultsOf(done), pending.size, now()];
    });
    expect(seen).toEqual([['a', 'b'], 0, 70]);
  });

  it('also returns when the only failures are cancellations and everything is done', async () => {
    const seen = await runVirtual(function* () {
      const a = createTask(sleep(100));
      const b = createTask(sleep(60, 'b'));
      getRunningLoop().callLater(5, () => a.cancel());
      const [done, pending] = yield* wait([a, b], { returnWhen: FIRST_EXCEPTION });
      return [done.size, pending.size, now()];
    });
    expect(seen).toEqual([2, 0, 60]);
  });
});

describe('wait() with a timeout', () => {
  it('returns what is done when the time is up, without cancelling the rest', async () => {
    const seen = await runVirtual(function* () {
      const a = createTask(sleep(100, 'a'));
      const b = createTask(sleep(150, 'b'));
      const [done, pending] = yield* wait([b, a], { timeout: 110 });
      const atTimeout = [resultsOf(done), [...pending].map((f) => f === b), b.cancelled(), now()];
      const later = yield* b;
      return [atTimeout, later, now()];
    });
    expect(seen).toEqual([[['a'], [true], false, 110], 'b', 150]);
  });

  it('counts a task that finishes at the timeout as done when its timer came first', async () => {
    const seen = await runVirtual(function* () {
      const a = createTask(sleep(100, 'a'));
      const b = createTask(sleep(150, 'b'));
      // As CPython's run_until_complete(wait(...)): the wait starts after the tasks did.
      const [done, pending] = yield* createTask(wait([b, a], { timeout: 100 }));
      const state = [resultsOf(done), [...pending].map((f) => f === b), now()];
      b.cancel();
      return state;
    });
    expect(seen).toEqual([['a'], [true], 100]);
  });

  it('returns before a task whose timer for the same time was set after its own', async () => {
    const seen = await runVirtual(function* () {
      const a = createTask(sleep(100, 'a'));
      const [done, pending] = yield* wait([a], { timeout: 100 });
      const state = [done.size, pending.has(a), a.done(), now()];
      return [state, yield* a, now()];
    });
    expect(seen).toEqual([[0, true, false, 100], 'a', 100]);
  });

  it('of 0 returns after one loop iteration with what is done', async () => {
    const seen = await runVirtual(function* () {
      const finished = getRunningLoop().createFuture<string>();
      finished.setResult('x');
      const slow = resultLater(10, 'slow');
      const [done, pending] = yield* wait([finished, slow], { timeout: 0 });
      return [resultsOf(done), pending.has(slow), now()];
    });
    expect(seen).toEqual([['x'], true, 0]);
  });

  it('below 0 behaves like 0', async () => {
    const seen = await runVirtual(function* () {
      const slow = resultLater(10, 'slow');
      const [done, pending] = yield* wait([slow], { timeout: -50 });
      return [done.size, pending.has(slow), now()];
    });
    expect(seen).toEqual([0, true, 0]);
  });

  it('of null, undefined or Infinity waits without limit', async () => {
    const seen = await runVirtual(function* () {
      const times: number[] = [];
      for (const timeout of [null, undefined, Number.POSITIVE_INFINITY]) {
        const start = now();
        const [done] = yield* wait([createTask(sleep(1000))], { timeout });
        times.push(done.size, now() - start);
      }
      return times;
    });
    expect(seen).toEqual([1, 1000, 1, 1000, 1, 1000]);
  });

  it('leaves no timer behind when the futures finish first', async () => {
    const loop = new VirtualTimeLoop();
    const seen = await runVirtual(function* () {
      const a = resultLater(10, 'a');
      const [done] = yield* wait([a], { timeout: 5000 });
      // Nothing is ready while the host timer runs: a forgotten 5000 ms timer would fire now.
      yield* ensureFuture(hostTimer());
      return [resultsOf(done), now()];
    }, loop);
    expect(seen).toEqual([['a'], 10]);
  });

  it('leaves no timer behind when FIRST_COMPLETED returns early', async () => {
    const seen = await runVirtual(function* () {
      const a = resultLater(10, 'a');
      const b = resultLater(20, 'b');
      yield* wait([a, b], { timeout: 5000, returnWhen: FIRST_COMPLETED });
      const returnedAt = now();
      yield* b;
      yield* ensureFuture(hostTimer());
      return [returnedAt, now()];
    });
    expect(seen).toEqual([10, 20]);
  });
});

describe('wait() and call graphs', () => {
  it('records the waiting task as awaiting each future while it waits, and no longer after', async () => {
    const seen = await runVirtual(function* () {
      const loop = getRunningLoop();
      const a = loop.createFuture<string>();
      const b = loop.createFuture<string>();
      loop.callLater(10, () => a.setResult('a'));
      const waiting = createTask(wait([a, b], { returnWhen: FIRST_COMPLETED }));
      yield* sleep(5);
      const whileWaiting = [futureAwaitedBy(a), futureAwaitedBy(b)];
      yield* waiting;
      return { waiting, whileWaiting, after: [futureAwaitedBy(a), futureAwaitedBy(b)] };
    });
    expect(seen.whileWaiting).toEqual([[seen.waiting], [seen.waiting]]);
    expect(seen.after).toEqual([[], []]);
  });
});

describe('wait() cleans up after itself', () => {
  it('removes its done callback from the futures still pending', async () => {
    const seen = await runVirtual(function* () {
      const loop = getRunningLoop();
      const a = loop.createFuture<string>();
      const b = loop.createFuture<string>();
      loop.callLater(10, () => a.setResult('a'));
      const waiting = createTask(wait([a, b], { returnWhen: FIRST_COMPLETED }));
      yield* sleep(5);
      const whileWaiting = String(b);
      yield* waiting;
      return [whileWaiting, String(b)];
    });
    expect(seen).toEqual(['<Future pending cb=[onCompletion()]>', '<Future pending>']);
  });

  it('removes them after a timeout too', async () => {
    const seen = await runVirtual(function* () {
      const a = getRunningLoop().createFuture<number>();
      const [, pending] = yield* wait([a], { timeout: 10 });
      return [pending.has(a), String(a), now()];
    });
    expect(seen).toEqual([true, '<Future pending>', 10]);
  });

  it('when the waiting task is cancelled: the wait ends, the futures go on', async () => {
    const log: string[] = [];
    const seen = await runVirtual(function* () {
      const loop = getRunningLoop();
      const gate = loop.createFuture<void>();
      const inner = createTask(
        (function* () {
          yield* gate;
          log.push(`inner finishes at ${now()}`);
        })(),
      );
      const outer = createTask(
        (function* () {
          yield* wait([inner]);
          log.push('outer got past wait');
        })(),
      );
      yield* sleep(5);
      outer.cancel('stop');
      const error = yield* thrownByAwaiting(outer);
      expectError(error, CancelledError, 'stop');
      const afterCancel = [String(gate), inner.done(), inner.cancelled()];
      loop.callLater(10, () => gate.setResult());
      yield* inner;
      return afterCancel;
    });
    expect(seen).toEqual(['<Future pending cb=[Task.wakeup()]>', false, false]);
    expect(log).toEqual(['inner finishes at 15']);
  });

  it('cancels its timer when the waiting task is cancelled', async () => {
    const seen = await runVirtual(function* () {
      const never = getRunningLoop().createFuture<void>();
      const waiting = createTask(wait([never], { timeout: 5000 }));
      yield* sleep(10);
      waiting.cancel();
      const error = yield* thrownByAwaiting(waiting);
      // Nothing is ready while the host timer runs: a forgotten 5000 ms timer would fire now.
      yield* ensureFuture(hostTimer());
      return [(error as Error).constructor.name, String(never), now()];
    });
    expect(seen).toEqual(['CancelledError', '<Future pending>', 10]);
  });

  it('a future given twice gets one callback, and loses it', async () => {
    const seen = await runVirtual(function* () {
      const loop = getRunningLoop();
      const a = loop.createFuture<string>();
      const waiting = createTask(wait([a, a, a], { timeout: 10 }));
      yield;
      const whileWaiting = String(a);
      const [, pending] = yield* waiting;
      return [whileWaiting, pending.size, String(a)];
    });
    expect(seen).toEqual(['<Future pending cb=[onCompletion()]>', 1, '<Future pending>']);
  });
});

describe('wait() of promises', () => {
  it('wraps each PromiseLike in a future, and returns the wrappers', async () => {
    const seen = await runVirtual(function* () {
      const promise = Promise.resolve('p');
      const [done, pending] = yield* wait<string>([promise, resultLater(10, 'f')]);
      const [wrapper, future] = [...done];
      return [
        wrapper instanceof Future,
        (wrapper as unknown) === promise,
        wrapper!.result(),
        future!.result(),
        pending.size,
      ];
    });
    expect(seen).toEqual([true, false, 'p', 'f', 0]);
  });

  it('returns a rejected promise as a done wrapper holding its error', async () => {
    const error = new Error('rejected');
    const seen = await runVirtual(function* () {
      const [done] = yield* wait([Promise.reject(error)]);
      return [...done].map((f) => f.exception() === error);
    });
    expect(seen).toEqual([true]);
  });
});

describe('wait() refuses bad arguments when awaited', () => {
  it('a single future, task or coroutine instead of a collection', async () => {
    const seen = await runVirtual(function* () {
      const future = getRunningLoop().createFuture<void>();
      const task = createTask(returns(1));
      const coro = returns(2);
      const errors = [
        yield* thrownByAwaiting(wait(future as never)),
        yield* thrownByAwaiting(wait(task as never)),
        yield* thrownByAwaiting(wait(coro as never)),
      ];
      yield* task;
      return errors;
    });
    expectError(seen[0], TypeError, 'expect a list of futures, not Future');
    expectError(seen[1], TypeError, 'expect a list of futures, not Task');
    expectError(seen[2], TypeError, 'expect a list of futures, not coroutine');
  });

  it('a generator of tasks, which is a coroutine object here', async () => {
    const seen = await runVirtual(function* () {
      const task = createTask(returns(1));
      const tasks = (function* () {
        yield task;
      })();
      return yield* thrownByAwaiting(wait(tasks as never));
    });
    expectError(seen, TypeError, 'expect a list of futures, not coroutine');
  });

  it('something that is not iterable', async () => {
    const seen = await runVirtual(function* () {
      return [
        yield* thrownByAwaiting(wait(5 as never)),
        yield* thrownByAwaiting(wait(null as never)),
        yield* thrownByAwaiting(wait('ab' as never)),
        yield* thrownByAwaiting(wait({} as never)),
      ];
    });
    expectError(seen[0], TypeError, 'expect a list of futures, not number');
    expectError(seen[1], TypeError, 'expect a list of futures, not null');
    expectError(seen[2], TypeError, 'expect a list of futures, not string');
    expectError(seen[3], TypeError, 'expect a list of futures, not Object');
  });

  it('an empty collection', async () => {
    const seen = await runVirtual(function* () {
      return [
        yield* thrownByAwaiting(wait([])),
        yield* thrownByAwaiting(wait(new Set<Future<void>>())),
        yield* thrownByAwaiting(wait(([] as Future<void>[]).values())),
      ];
    });
    for (const error of seen) expectError(error, RangeError, 'Set of Tasks/Futures is empty.');
  });

  it('a returnWhen that is not one of the constants', async () => {
    const seen = await runVirtual(function* () {
      const future = getRunningLoop().createFuture<void>();
      return [
        yield* thrownByAwaiting(wait([future], { returnWhen: -1 as unknown as ReturnWhen })),
        yield* thrownByAwaiting(
          wait([future], { returnWhen: 'first_completed' as unknown as ReturnWhen }),
        ),
      ];
    });
    expectError(seen[0], RangeError, 'Invalid return_when value: -1');
    expectError(seen[1], RangeError, 'Invalid return_when value: first_completed');
  });

  it('a coroutine inside the collection, which it does not start', async () => {
    const log: string[] = [];
    const seen = await runVirtual(function* () {
      const coro = (function* () {
        log.push('coroutine ran');
      })();
      const task = createTask(returns(1));
      const error = yield* thrownByAwaiting(wait([task, coro] as never));
      yield* ticks(2);
      return error;
    });
    expectError(
      seen,
      TypeError,
      'Passing coroutines is forbidden, use tasks explicitly: wrap each coroutine in a task with createTask()',
    );
    expect(log).toEqual([]);
  });

  it('something inside that is not awaitable', async () => {
    const seen = await runVirtual(function* () {
      return yield* thrownByAwaiting(wait([42] as never));
    });
    expectError(
      seen,
      TypeError,
      'An asyncio Future, a coroutine or an awaitable is required, got number',
    );
  });

  it('a timeout that is not a number, or NaN', async () => {
    const seen = await runVirtual(function* () {
      const future = getRunningLoop().createFuture<void>();
      return [
        yield* thrownByAwaiting(wait([future], { timeout: '100' as unknown as number })),
        yield* thrownByAwaiting(wait([future], { timeout: Number.NaN })),
      ];
    });
    expectError(seen[0], TypeError, 'wait() timeout must be a number or null, got string');
    expectError(seen[1], RangeError, 'wait() timeout must not be NaN');
  });

  it('a future of another loop', async () => {
    const other = newEventLoop();
    const foreign = new Future<void>({ loop: other });
    const seen = await runVirtual(function* () {
      return yield* thrownByAwaiting(wait([foreign]));
    });
    other.close();
    expectError(
      seen,
      RangeError,
      'The future belongs to a different loop than the one specified as the loop argument',
    );
  });

  it('checks the collection, then emptiness, then returnWhen, then timeout, then coroutines', async () => {
    const seen = await runVirtual(function* () {
      const coro = returns(1);
      const bad = { returnWhen: 'x' as unknown as ReturnWhen, timeout: Number.NaN };
      return [
        yield* thrownByAwaiting(wait(coro as never, bad)),
        yield* thrownByAwaiting(wait([], bad)),
        yield* thrownByAwaiting(wait([coro] as never, bad)),
        yield* thrownByAwaiting(wait([coro] as never, { timeout: Number.NaN })),
      ];
    });
    expectError(seen[0], TypeError, 'expect a list of futures, not coroutine');
    expectError(seen[1], RangeError, 'Set of Tasks/Futures is empty.');
    expectError(seen[2], RangeError, 'Invalid return_when value: x');
    expectError(seen[3], RangeError, 'wait() timeout must not be NaN');
  });

  it('throws nothing when called, only when awaited', () => {
    const coro = wait(5 as never);
    expectError(
      thrownBy(() => coro.next()),
      TypeError,
      'expect a list of futures, not number',
    );
  });

  it('needs a running loop', () => {
    const loop = new VirtualTimeLoop();
    const future = new Future<void>({ loop });
    expectError(
      thrownBy(() => wait([future]).next()),
      RuntimeError,
      'no running event loop',
    );
    loop.close();
  });
});

describe('wait() types', () => {
  it('returns sets of the futures of the element type', async () => {
    await runVirtual(function* () {
      const task: Task<number> = createTask(returns(1));
      const [done, pending] = yield* wait([task]);
      expectTypeOf(done).toEqualTypeOf<Set<Future<number>>>();
      expectTypeOf(pending).toEqualTypeOf<Set<Future<number>>>();
      expectTypeOf(FIRST_COMPLETED).toEqualTypeOf<'FIRST_COMPLETED'>();
      expectTypeOf<ReturnWhen>().toEqualTypeOf<
        'FIRST_COMPLETED' | 'FIRST_EXCEPTION' | 'ALL_COMPLETED'
      >();
      expect([ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION]).toEqual([
        'ALL_COMPLETED',
        'FIRST_COMPLETED',
        'FIRST_EXCEPTION',
      ]);
    });
  });
});
