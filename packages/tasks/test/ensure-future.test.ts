import {
  type Coro,
  Future,
  getRunningLoop,
  RuntimeError,
  VirtualTimeLoop,
} from '@asyncio-ts/core-loop';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createTask, ensureFuture, sleep, Task, wrapFuture } from '../src/index.js';
import {
  expectError,
  rejectionOf,
  returns,
  runVirtual,
  thrownBy,
  thrownByAwaiting,
} from './utils.js';

const REQUIRED = 'An asyncio Future, a coroutine or an awaitable is required, got';
const OTHER_LOOP =
  'The future belongs to a different loop than the one specified as the loop argument';

describe('ensureFuture() of a future', () => {
  it('returns the same future', async () => {
    const seen = await runVirtual(function* () {
      const fut = getRunningLoop().createFuture<string>();
      fut.setResult('ko');
      const same = ensureFuture(fut);
      return [same === fut, yield* same];
    });
    expect(seen).toEqual([true, 'ko']);
  });

  it('returns the same task', async () => {
    const seen = await runVirtual(function* () {
      const task = createTask(sleep(1, 'ok'));
      const same = ensureFuture(task);
      return [same === task, yield* same];
    });
    expect(seen).toEqual([true, 'ok']);
  });

  it('returns the same future when the loop option is its own loop', () => {
    const loop = new VirtualTimeLoop();
    const fut = loop.createFuture<number>();
    expect(ensureFuture(fut, { loop })).toBe(fut);
    loop.close();
  });

  it('throws RangeError when the loop option is another loop', () => {
    const loop = new VirtualTimeLoop();
    const other = new VirtualTimeLoop();
    const fut = loop.createFuture<number>();
    expectError(
      thrownBy(() => ensureFuture(fut, { loop: other })),
      RangeError,
      OTHER_LOOP,
    );
    loop.close();
    other.close();
  });

  it('throws RangeError for a task of another loop too', async () => {
    const other = new VirtualTimeLoop();
    const error = await runVirtual(function* () {
      const task = createTask(sleep(1));
      const err = thrownBy(() => ensureFuture(task, { loop: other }));
      yield* task;
      return err;
    });
    expectError(error, RangeError, OTHER_LOOP);
    other.close();
  });
});

describe('ensureFuture() of a coroutine', () => {
  it('wraps it in a Task on the running loop, which runs it', async () => {
    const seen = await runVirtual(function* () {
      const fut = ensureFuture(sleep(20, 'slept'));
      const isTask = fut instanceof Task;
      const sameLoop = fut.getLoop() === getRunningLoop();
      const value = yield* fut;
      return [isTask, sameLoop, value, getRunningLoop().time()];
    });
    expect(seen).toEqual([true, true, 'slept', 20]);
  });

  it('wraps it in a Task on the loop given, which runs when that loop runs', async () => {
    const loop = new VirtualTimeLoop();
    const log: string[] = [];
    function* work(): Coro<string> {
      log.push('running');
      yield* sleep(5);
      return 'ok';
    }
    const task = ensureFuture(work(), { loop });
    expect(task instanceof Task).toBe(true);
    expect(task.getLoop()).toBe(loop);
    expect(log).toEqual([]);
    expect(await loop.runUntilComplete(task)).toBe('ok');
    expect(log).toEqual(['running']);
    expect(loop.time()).toBe(5);
    loop.close();
  });

  it('keeps the coroutine’s result type', async () => {
    const value = await runVirtual(function* () {
      const fut = ensureFuture(returns(3));
      expectTypeOf(fut).toEqualTypeOf<Future<number>>();
      return yield* fut;
    });
    expect(value).toBe(3);
  });
});

describe('ensureFuture() of a promise', () => {
  it('makes a Future, not a Task, that settles with the promise’s value', async () => {
    const seen = await runVirtual(function* () {
      const fut = ensureFuture(Promise.resolve('resolved'));
      const kind = [fut instanceof Future, fut instanceof Task];
      return [kind, yield* fut];
    });
    expect(seen).toEqual([[true, false], 'resolved']);
  });

  it('makes a Future that fails with the promise’s rejection', async () => {
    const error = new Error('rejected');
    const caught = await runVirtual(function* () {
      return yield* thrownByAwaiting(ensureFuture(Promise.reject(error)));
    });
    expect(caught).toBe(error);
  });

  it('accepts any thenable', async () => {
    const value = await runVirtual(function* () {
      const thenable: PromiseLike<number> = {
        // biome-ignore lint/suspicious/noThenProperty: a thenable is the point of this test
        then(onFulfilled, onRejected) {
          return Promise.resolve(11).then(onFulfilled, onRejected);
        },
      };
      return yield* ensureFuture(thenable);
    });
    expect(value).toBe(11);
  });

  it('waits for the promise across host turns', async () => {
    const log: string[] = [];
    const value = await runVirtual(function* () {
      const promise = new Promise<string>((resolve) =>
        setTimeout(() => {
          log.push('timer fired');
          resolve('late');
        }, 1),
      );
      log.push('waiting');
      const v = yield* ensureFuture(promise);
      log.push('resumed');
      return v;
    });
    expect(value).toBe('late');
    expect(log).toEqual(['waiting', 'timer fired', 'resumed']);
  });

  it('makes a Future on the loop given, outside a running loop', async () => {
    const loop = new VirtualTimeLoop();
    const fut = ensureFuture(Promise.resolve(5), { loop });
    expect(fut.getLoop()).toBe(loop);
    expect(await loop.runUntilComplete(fut)).toBe(5);
    loop.close();
  });

  it('behaves as wrapFuture() does', async () => {
    const values = await runVirtual(function* () {
      const a = ensureFuture(Promise.resolve('same'));
      const b = wrapFuture(Promise.resolve('same'));
      return [a.constructor === b.constructor, yield* a, yield* b];
    });
    expect(values).toEqual([true, 'same', 'same']);
  });
});

describe('ensureFuture() refuses anything else', () => {
  it.each([
    ['a string', 'ok', 'string'],
    ['a number', 5, 'number'],
    ['an array', [1, 2], 'Array'],
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
    ['a plain object', { a: 1 }, 'Object'],
  ])('throws TypeError for %s', async (_kind, value, named) => {
    const error = await runVirtual(function* () {
      return thrownBy(() => ensureFuture(value as unknown as Future<unknown>));
    });
    expectError(error, TypeError, `${REQUIRED} ${named}`);
  });

  it('throws TypeError naming a coroutine function that was not called', async () => {
    function* notCalled(): Coro<number> {
      yield;
      return 1;
    }
    const error = await runVirtual(function* () {
      return thrownBy(() => ensureFuture(notCalled as unknown as Coro<number>));
    });
    expectError(error, TypeError, `${REQUIRED} coroutine function notCalled`);
  });

  it('throws TypeError for an object that is only iterable, not a future, coroutine or promise', async () => {
    class Box {
      *[Symbol.iterator](): Coro<number> {
        yield* sleep(1);
        return 1;
      }
    }
    const error = await runVirtual(function* () {
      return thrownBy(() => ensureFuture(new Box()));
    });
    expectError(error, TypeError, `${REQUIRED} Box`);
  });

  it('throws RuntimeError for a coroutine when no loop is running, given or current', () => {
    const coro = returns(1);
    expectError(
      thrownBy(() => ensureFuture(coro)),
      RuntimeError,
      'There is no current event loop',
    );
  });
});

describe('a future made by ensureFuture() outside the loop', () => {
  it('can be awaited from async code', async () => {
    const loop = new VirtualTimeLoop();
    const fut = ensureFuture(sleep(15, 'awaited'), { loop });
    const running = loop.runUntilComplete(fut);
    expect(await fut).toBe('awaited');
    await running;
    loop.close();
  });

  it('rejects in async code with the coroutine’s error', async () => {
    const loop = new VirtualTimeLoop();
    const error = new Error('coroutine failed');
    function* failing(): Coro<never> {
      yield* sleep(1);
      throw error;
    }
    const fut = ensureFuture(failing(), { loop });
    const running = loop.runUntilComplete(fut);
    expect(await rejectionOf(fut)).toBe(error);
    expect(await rejectionOf(running)).toBe(error);
    loop.close();
  });
});
