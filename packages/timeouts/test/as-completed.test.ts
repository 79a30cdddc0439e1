import {
  type Coro,
  ensureFuture,
  Future,
  getRunningLoop,
  isCoroutine,
  newEventLoop,
  RuntimeError,
  TimeoutError,
  VirtualTimeLoop,
} from '@asyncio-ts/core-loop';
import { createTask, gather, sleep } from '@asyncio-ts/tasks';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { asCompleted } from '../src/as-completed.js';
import { wait } from '../src/wait.js';
import {
  expectError,
  hostTimer,
  now,
  returns,
  runVirtual,
  thrownBy,
  thrownByAwaiting,
} from './utils.js';

/** A coroutine that logs when it ends, and returns `value` after `ms`. */
function* sleeper<T>(log: string[], ms: number, value: T): Coro<T> {
  yield* sleep(ms);
  log.push(`${String(value)} finishes at ${now()}`);
  return value;
}

/** A coroutine that sleeps `ms`, then throws `error`. */
function* failsAfter(ms: number, error: unknown): Coro<never> {
  yield* sleep(ms);
  throw error;
}

/** Awaits `next` and logs its result; its error goes through. */
function* takeOne(next: Coro<unknown>, log: string[], name: string): Coro<void> {
  log.push(`${name} got ${String(yield* next)} at ${now()}`);
}

/** Awaits each awaitable in turn; logs its result or the class and message of its error. */
function* awaitEach(awaitables: Iterable<Coro<unknown>>, log: string[]): Coro<void> {
  for (const next of awaitables) {
    try {
      log.push(`got ${String(yield* next)} at ${now()}`);
    } catch (error) {
      log.push(`${(error as Error).constructor.name}(${(error as Error).message}) at ${now()}`);
    }
  }
}

describe('asCompleted() hands out results in the order they finish', () => {
  it('whatever the order of its arguments', async () => {
    const log: string[] = [];
    const loop = new VirtualTimeLoop();
    await runVirtual(function* () {
      yield* awaitEach(asCompleted([sleep(300, 'c'), sleep(100, 'a'), sleep(200, 'b')]), log);
    }, loop);
    expect(log).toEqual(['got a at 100', 'got b at 200', 'got c at 300']);
    expect(loop.time()).toBe(300);
  });

  it('with ties in the order the tasks finish', async () => {
    const log: string[] = [];
    const seen = await runVirtual(function* () {
      const values: string[] = [];
      for (const next of asCompleted([
        sleeper(log, 10, 'b'),
        sleeper(log, 150, 'c'),
        sleeper(log, 10, 'a'),
      ])) {
        values.push(yield* next);
      }
      return [values, now()];
    });
    expect(seen).toEqual([['b', 'a', 'c'], 150]);
    expect(log).toEqual(['b finishes at 10', 'a finishes at 10', 'c finishes at 150']);
  });

  it('of futures, tasks, coroutines and promises together', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const loop = getRunningLoop();
      const future = loop.createFuture<string>();
      loop.callLater(30, () => future.setResult('future'));
      const task = createTask(sleep(20, 'task'));
      const promise = Promise.resolve('promise');
      yield* awaitEach(asCompleted<string>([future, task, sleep(10, 'coroutine'), promise]), log);
    });
    expect(log).toEqual([
      'got promise at 0',
      'got coroutine at 10',
      'got task at 20',
      'got future at 30',
    ]);
  });

  it('throws the error of an input that failed, and goes on with the others', async () => {
    const error = new RangeError('bad input');
    const seen = await runVirtual(function* () {
      const errors: unknown[] = [];
      const results: string[] = [];
      for (const next of asCompleted<string>([sleep(20, 'ok'), failsAfter(10, error)])) {
        try {
          results.push(yield* next);
        } catch (caught) {
          errors.push(caught);
        }
      }
      return [errors.length, errors[0] === error, results, now()];
    });
    expect(seen).toEqual([1, true, ['ok'], 20]);
  });

  it('throws CancelledError for an input that was cancelled', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const doomed = createTask(sleep(100, 'doomed'));
      getRunningLoop().callLater(5, () => doomed.cancel('stop it'));
      yield* awaitEach(asCompleted([doomed, sleep(50, 'fine')]), log);
    });
    expect(log).toEqual(['CancelledError(stop it) at 5', 'got fine at 50']);
  });

  it('hands out the result of a future done before it was called at once', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const future = getRunningLoop().createFuture<string>();
      future.setResult('ready');
      yield* awaitEach(asCompleted([future]), log);
    });
    expect(log).toEqual(['got ready at 0']);
  });
});

describe('asCompleted() awaitables', () => {
  it('are as many as the distinct inputs', async () => {
    const seen = await runVirtual(function* () {
      const task = createTask(returns('t'));
      const coro = returns('c');
      const promise = Promise.resolve('p');
      const awaitables = [...asCompleted<string>([task, coro, task, promise, coro, promise])];
      const results: string[] = [];
      for (const next of awaitables) results.push(yield* next);
      return [awaitables.length, results.sort()];
    });
    expect(seen).toEqual([3, ['c', 'p', 't']]);
  });

  it('of a coroutine given twice run it once', async () => {
    const log: string[] = [];
    const seen = await runVirtual(function* () {
      const ham = (function* () {
        log.push('ham runs');
        return 'ham';
      })();
      const result: string[] = [];
      for (const next of asCompleted([ham, ham, returns('spam')])) result.push(yield* next);
      return result;
    });
    expect(seen).toEqual(['ham', 'spam']);
    expect(log).toEqual(['ham runs']);
  });

  it('are coroutine objects that run nothing until awaited', async () => {
    const seen = await runVirtual(function* () {
      const iterator = asCompleted([sleep(10, 'a')]);
      const first = iterator.next();
      const firstIsCoroutine = isCoroutine(first.value);
      const end = iterator.next();
      const value = yield* first.value!;
      return [firstIsCoroutine, end, value, now()];
    });
    expect(seen).toEqual([true, { value: undefined, done: true }, 'a', 10]);
  });

  it('go to whichever is awaited first: the last one taken gets the first result', async () => {
    const seen = await runVirtual(function* () {
      const awaitables = [...asCompleted([sleep(50, 'a'), sleep(100, 'b')])];
      const x = yield* awaitables[1]!;
      const xAt = now();
      const y = yield* awaitables[0]!;
      return [awaitables.length, x, xAt, y, now()];
    });
    expect(seen).toEqual([2, 'a', 50, 'b', 100]);
  });

  it('can be awaited concurrently from several tasks', async () => {
    const seen = await runVirtual(function* () {
      const awaitables = [...asCompleted([sleep(50, 'a'), sleep(50, 'b'), sleep(80, 'c')])];
      const tasks = awaitables.map((next) => ensureFuture(next));
      const [done, pending] = yield* wait(tasks);
      return [[...done].map((t) => t.result()), pending.size, now()];
    });
    expect(seen).toEqual([['a', 'b', 'c'], 0, 80]);
  });

  it('pass a wake-up on when the task it was meant for is cancelled', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const loop = getRunningLoop();
      const first = loop.createFuture<string>();
      const second = loop.createFuture<string>();
      const [next1, next2] = [...asCompleted([first, second])];
      const t1 = createTask(takeOne(next1!, log, 't1'));
      const t2 = createTask(takeOne(next2!, log, 't2'));
      yield* sleep(1);
      // Added after asCompleted's own callback: it runs once t1's wait is woken, before t1
      // resumes, so t1 is cancelled holding a wake-up.
      first.addDoneCallback(() => t1.cancel());
      loop.callLater(10, () => first.setResult('first'));
      loop.callLater(500, () => second.setResult('second'));
      const error = yield* thrownByAwaiting(t1);
      log.push(`t1 ${(error as Error).constructor.name} at ${now()}`);
      yield* t2;
    });
    expect(log).toEqual(['t2 got first at 11', 't1 CancelledError at 11']);
  });

  it('pass a wake-up on when the coroutine it was meant for is closed', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const loop = getRunningLoop();
      const first = loop.createFuture<string>();
      const second = loop.createFuture<string>();
      const [next1, next2] = [...asCompleted([first, second])];
      // Drives next1 by hand: it waits on the future it yields, and is closed once woken.
      const yielded = next1!.next().value as Future<void>;
      yielded.addDoneCallback(() => {
        log.push(`next1 woken at ${now()}, closed`);
        next1!.return(undefined as never);
      });
      const t2 = createTask(takeOne(next2!, log, 't2'));
      loop.callLater(10, () => first.setResult('first'));
      loop.callLater(500, () => second.setResult('second'));
      yield* t2;
    });
    expect(log).toEqual(['next1 woken at 10, closed', 't2 got first at 10']);
  });

  it('leave nothing behind when the task awaiting one is cancelled', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const awaitables = asCompleted([sleep(100, 'a'), sleep(200, 'b')]);
      const waiting = createTask(takeOne(awaitables.next().value!, log, 'waiting'));
      yield* sleep(50);
      waiting.cancel();
      yield* thrownByAwaiting(waiting);
      log.push(`cancelled at ${now()}`);
      yield* awaitEach(awaitables, log);
    });
    expect(log).toEqual(['cancelled at 50', 'got a at 100']);
  });
});

describe('asCompleted() keeps its place', () => {
  it('after a break, a second loop goes on with the rest', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const iterator = asCompleted([sleep(10, 'a'), sleep(20, 'b'), sleep(30, 'c')]);
      for (const next of iterator) {
        log.push(`first loop got ${yield* next}`);
        break;
      }
      for (const next of iterator) log.push(`second loop got ${yield* next} at ${now()}`);
    });
    expect(log).toEqual(['first loop got a', 'second loop got b at 20', 'second loop got c at 30']);
  });

  it('and is done for good once every awaitable was handed out', async () => {
    const seen = await runVirtual(function* () {
      const iterator = asCompleted([sleep(10, 'a')]);
      const all = [...iterator];
      const again = [...iterator];
      return [all.length, again.length, yield* all[0]!];
    });
    expect(seen).toEqual([1, 0, 'a']);
  });

  it('of nothing hands out nothing', async () => {
    const seen = await runVirtual(function* () {
      return [[...asCompleted([])].length, [...asCompleted(new Set<Future<number>>())].length];
    });
    expect(seen).toEqual([0, 0]);
  });

  it('shows how many awaitables are left and how many inputs are pending', async () => {
    const seen = await runVirtual(function* () {
      const iterator = asCompleted([sleep(10, 'a'), sleep(20, 'b')]);
      const states = [String(iterator)];
      const first = iterator.next().value!;
      states.push(String(iterator));
      yield* first;
      states.push(String(iterator));
      yield* iterator.next().value!;
      states.push(String(iterator));
      return states;
    });
    expect(seen).toEqual([
      '<AsCompletedIterator [left:2, pending:2]>',
      '<AsCompletedIterator [left:1, pending:2]>',
      '<AsCompletedIterator [left:1, pending:1]>',
      '<AsCompletedIterator [left:0, pending:0]>',
    ]);
  });
});

describe('asCompleted() with a timeout', () => {
  it('throws TimeoutError for every awaitable left when it passes', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const a = createTask(sleep(100, 'a'));
      const b = createTask(sleep(150, 'b'));
      const c = createTask(sleep(170, 'c'));
      yield* awaitEach(asCompleted([a, b, c], { timeout: 120 }), log);
    });
    expect(log).toEqual(['got a at 100', 'TimeoutError() at 120', 'TimeoutError() at 120']);
  });

  it('throws exactly TimeoutError, with no message', async () => {
    const seen = await runVirtual(function* () {
      const [next] = [...asCompleted([sleep(100)], { timeout: 10 })];
      return yield* thrownByAwaiting(next!);
    });
    expectError(seen, TimeoutError, '');
  });

  it('does not cancel the inputs still running, and removes its callbacks from them', async () => {
    const seen = await runVirtual(function* () {
      const loop = getRunningLoop();
      const slow = loop.createFuture<string>();
      const task = createTask(sleep(150, 'b'));
      const iterator = asCompleted([slow, task], { timeout: 100 });
      const whileWaiting = String(slow);
      const [next] = [...iterator];
      const error = yield* thrownByAwaiting(next!);
      const after = [String(slow), task.cancelled(), (error as Error).constructor.name, now()];
      return [whileWaiting, after, yield* task, now()];
    });
    expect(seen).toEqual([
      '<Future pending cb=[onCompletion()]>',
      ['<Future pending>', false, 'TimeoutError', 100],
      'b',
      150,
    ]);
  });

  it('that passed before an awaitable is awaited makes it throw at once', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const iterator = asCompleted([sleep(10, 'a'), sleep(500, 'b')], { timeout: 100 });
      yield* sleep(300);
      yield* awaitEach(iterator, log);
    });
    expect(log).toEqual(['got a at 300', 'TimeoutError() at 300']);
  });

  it('counts from the call, not from the first await', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const iterator = asCompleted([sleep(100, 'a'), sleep(200, 'b')], { timeout: 150 });
      yield* sleep(50);
      yield* awaitEach(iterator, log);
    });
    expect(log).toEqual(['got a at 100', 'TimeoutError() at 150']);
  });

  it('that is never reached leaves no timer behind', async () => {
    const seen = await runVirtual(function* () {
      const results: string[] = [];
      for (const next of asCompleted([sleep(10, 'a')], { timeout: 1000 })) {
        results.push(yield* next);
      }
      // Nothing is ready while the host timer runs: a forgotten 1000 ms timer would fire now.
      yield* ensureFuture(hostTimer());
      return [results, now()];
    });
    expect(seen).toEqual([['a'], 10]);
  });

  it('of 0 times out every input not done at once', async () => {
    const seen = await runVirtual(function* () {
      const log: string[] = [];
      const ready = getRunningLoop().createFuture<string>();
      ready.setResult('ready');
      yield* awaitEach(asCompleted([ready, sleep(5, 'later')], { timeout: 0 }), log);
      return log;
    });
    expect(seen).toEqual(['got ready at 0', 'TimeoutError() at 0']);
  });

  it('of null, undefined or Infinity is no timeout', async () => {
    const seen = await runVirtual(function* () {
      const log: string[] = [];
      for (const timeout of [null, undefined, Number.POSITIVE_INFINITY]) {
        yield* awaitEach(asCompleted([sleep(1000, 'x')], { timeout }), log);
      }
      return log;
    });
    expect(seen).toEqual(['got x at 1000', 'got x at 2000', 'got x at 3000']);
  });

  it('on no inputs arms no timer', async () => {
    const seen = await runVirtual(function* () {
      const count = [...asCompleted([], { timeout: 100 })].length;
      yield* ensureFuture(hostTimer());
      return [count, now()];
    });
    expect(seen).toEqual([0, 0]);
  });
});

describe('asCompleted() refuses bad arguments when called', () => {
  it('a single future, task or coroutine instead of a collection', async () => {
    const seen = await runVirtual(function* () {
      const future = getRunningLoop().createFuture<void>();
      const task = createTask(returns(1));
      const coro = returns(2);
      const errors = [
        thrownBy(() => asCompleted(future as never)),
        thrownBy(() => asCompleted(task as never)),
        thrownBy(() => asCompleted(coro as never)),
      ];
      yield* task;
      return errors;
    });
    expectError(seen[0], TypeError, 'expect an iterable of futures, not Future');
    expectError(seen[1], TypeError, 'expect an iterable of futures, not Task');
    expectError(seen[2], TypeError, 'expect an iterable of futures, not coroutine');
  });

  it('something that is not iterable, or holds something that is not awaitable', async () => {
    const seen = await runVirtual(function* () {
      return [
        thrownBy(() => asCompleted(7 as never)),
        thrownBy(() => asCompleted(undefined as never)),
        thrownBy(() => asCompleted(['text'] as never)),
      ];
    });
    expectError(seen[0], TypeError, 'expect an iterable of futures, not number');
    expectError(seen[1], TypeError, 'expect an iterable of futures, not undefined');
    expectError(
      seen[2],
      TypeError,
      'An asyncio Future, a coroutine or an awaitable is required, got string',
    );
  });

  it('a timeout that is not a number, or NaN', async () => {
    const seen = await runVirtual(function* () {
      return [
        thrownBy(() => asCompleted([], { timeout: {} as unknown as number })),
        thrownBy(() => asCompleted([], { timeout: Number.NaN })),
      ];
    });
    expectError(seen[0], TypeError, 'asCompleted() timeout must be a number or null, got Object');
    expectError(seen[1], RangeError, 'asCompleted() timeout must not be NaN');
  });

  it('a future of another loop', async () => {
    const other = newEventLoop();
    const foreign = new Future<void>({ loop: other });
    const seen = await runVirtual(function* () {
      return thrownBy(() => asCompleted([foreign]));
    });
    other.close();
    expectError(
      seen,
      RangeError,
      'The future belongs to a different loop than the one specified as the loop argument',
    );
  });

  it('a coroutine when there is no running or current loop', () => {
    const log: string[] = [];
    const coro = (function* () {
      log.push('ran');
    })();
    expectError(
      thrownBy(() => asCompleted([coro])),
      RuntimeError,
      'There is no current event loop',
    );
    expect(log).toEqual([]);
  });

  it('starts coroutines as tasks on the running loop at once', async () => {
    const log: string[] = [];
    const seen = await runVirtual(function* () {
      asCompleted([sleeper(log, 10, 'started')]);
      yield* sleep(20);
      return now();
    });
    expect(seen).toBe(20);
    expect(log).toEqual(['started finishes at 10']);
  });
});

describe('asCompleted() types', () => {
  it('hands out coroutines of the inputs’ result type', async () => {
    await runVirtual(function* () {
      const iterator = asCompleted([sleep(1, 5), createTask(returns(6))]);
      const next = iterator.next();
      if (!next.done) {
        expectTypeOf(next.value).toEqualTypeOf<Coro<number>>();
        expect(yield* next.value).toBe(6);
      }
      expectTypeOf(iterator).toEqualTypeOf<IterableIterator<Coro<number>>>();
      const [rest] = yield* gather([...iterator]);
      expect(rest).toBe(5);
    });
  });
});
