import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { CancelledError, type Coro } from '@asyncio-ts/core-loop';
import { describe, expect, test } from 'vitest';
import { aiter, type CoroIterator, createTask, sleep } from '../src/index.js';
import { expectError, runVirtual, thrownBy, thrownByAwaiting } from './utils.js';

/** Reads `it` to the end from a coroutine. */
function* readAll<T>(it: CoroIterator<T>): Coro<T[]> {
  const items: T[] = [];
  for (let r = yield* it.next(); r.done !== true; r = yield* it.next()) items.push(r.value);
  return items;
}

/** An AsyncIterable whose reads are answered by hand, and which records what it is asked. */
class ManualSource implements AsyncIterable<string> {
  readonly calls: string[] = [];
  readonly #pending: ((result: IteratorResult<string, undefined>) => void)[] = [];

  [Symbol.asyncIterator](): AsyncIterator<string, undefined> {
    return {
      next: () => {
        this.calls.push('next');
        return new Promise((resolve) => this.#pending.push(resolve));
      },
      return: () => {
        this.calls.push('return');
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  /** Answers the oldest read. */
  answer(value: string): void {
    this.#pending.shift()!({ value, done: false });
  }

  end(): void {
    this.#pending.shift()!({ value: undefined, done: true });
  }
}

describe('aiter()', () => {
  test('reads an async generator to the end, then keeps reporting done', async () => {
    async function* numbers(): AsyncGenerator<number> {
      yield 1;
      await new Promise((resolve) => setImmediate(resolve));
      yield 2;
      yield 3;
    }
    function* main(): Coro<[number[], IteratorResult<number, undefined>]> {
      const it = aiter(numbers());
      const items = yield* readAll(it);
      return [items, yield* it.next()];
    }
    expect(await runVirtual(main)).toEqual([[1, 2, 3], { value: undefined, done: true }]);
  });

  test('reads a Node Readable stream in order', async () => {
    function* main(): Coro<string[]> {
      return yield* readAll(aiter<string>(Readable.from(['alpha', 'beta', 'gamma'])));
    }
    expect(await runVirtual(main)).toEqual(['alpha', 'beta', 'gamma']);
  });

  test('reads the lines of a readline interface', async () => {
    function* main(): Coro<string[]> {
      const lines = createInterface({ input: Readable.from(['one\ntw', 'o\nthree\n']) });
      return yield* readAll(aiter<string>(lines));
    }
    expect(await runVirtual(main)).toEqual(['one', 'two', 'three']);
  });

  test('lets other tasks run while a read waits', async () => {
    const events: string[] = [];
    const source = new ManualSource();
    function* reader(it: CoroIterator<string>): Coro<void> {
      const r = yield* it.next();
      events.push(`read ${r.value}`);
    }
    function* main(): Coro<void> {
      const task = createTask(reader(aiter(source)));
      yield* sleep(10);
      events.push('main ran while the read waited');
      source.answer('x');
      yield* task;
    }
    await runVirtual(main);
    expect(events).toEqual(['main ran while the read waited', 'read x']);
  });

  test('a next() whose wait is cancelled loses no item: the following next() returns it', async () => {
    const events: string[] = [];
    const source = new ManualSource();
    const it = aiter(source);
    function* reader(): Coro<void> {
      try {
        const r = yield* it.next();
        events.push(`first reader got ${r.value}`);
      } catch (error) {
        events.push(`first reader: ${(error as Error).constructor.name}`);
        throw error;
      }
    }
    function* main(): Coro<void> {
      const task = createTask(reader());
      yield* sleep(1);
      task.cancel();
      yield* thrownByAwaiting(task);
      source.answer('kept');
      yield* sleep(1);
      const second = yield* it.next();
      events.push(`second read got ${second.value}`);
      const third = createTask(it.next());
      yield* sleep(1);
      source.answer('next one');
      events.push(`third read got ${(yield* third).value}`);
    }
    await runVirtual(main);
    expect(events).toEqual([
      'first reader: CancelledError',
      'second read got kept',
      'third read got next one',
    ]);
    expect(source.calls).toEqual(['next', 'next']);
  });

  test('return() ends the iteration early: the source finishes and next() reports done', async () => {
    const events: string[] = [];
    async function* numbers(): AsyncGenerator<number> {
      try {
        for (let i = 1; ; i++) yield i;
      } finally {
        events.push('source finally');
      }
    }
    function* main(): Coro<[number, number, IteratorResult<number, undefined>]> {
      const it = aiter(numbers());
      const a = (yield* it.next()).value!;
      const b = (yield* it.next()).value!;
      yield* it.return();
      events.push('returned');
      return [a, b, yield* it.next()];
    }
    expect(await runVirtual(main)).toEqual([1, 2, { value: undefined, done: true }]);
    expect(events).toEqual(['source finally', 'returned']);
  });

  test('return() after the end, or twice, does not call the source again', async () => {
    const source = new ManualSource();
    function* main(): Coro<IteratorResult<string, undefined>> {
      const it = aiter(source);
      const pending = createTask(it.next());
      yield* sleep(1);
      source.end();
      const result = yield* pending;
      yield* it.return();
      yield* it.return();
      return result;
    }
    expect(await runVirtual(main)).toEqual({ value: undefined, done: true });
    expect(source.calls).toEqual(['next']);
  });

  test('return() stops a Node stream before its end', async () => {
    function* main(): Coro<[string, boolean]> {
      const stream = Readable.from(['a', 'b', 'c']);
      const it = aiter<string>(stream);
      const first = (yield* it.next()).value!;
      yield* it.return();
      return [first, stream.destroyed];
    }
    expect(await runVirtual(main)).toEqual(['a', true]);
  });

  test('an error of the source is thrown by next(), the very same object', async () => {
    const error = new Error('read failed');
    async function* failing(): AsyncGenerator<number> {
      yield 1;
      throw error;
    }
    function* main(): Coro<[number, unknown]> {
      const it = aiter(failing());
      const first = (yield* it.next()).value!;
      return [first, yield* thrownByAwaiting(it.next())];
    }
    const [first, thrown] = await runVirtual(main);
    expect(first).toBe(1);
    expect(thrown).toBe(error);
  });

  test('after a read failed, the following next() asks the source again', async () => {
    const error = new Error('read failed');
    const calls: string[] = [];
    let reads = 0;
    const source: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({
        next: () => {
          reads++;
          calls.push(`next ${reads}`);
          return reads === 1
            ? Promise.reject(error)
            : Promise.resolve({ value: `item ${reads}`, done: false });
        },
      }),
    };
    function* main(): Coro<[unknown, IteratorResult<string, undefined>]> {
      const it = aiter(source);
      const failed = yield* thrownByAwaiting(it.next());
      return [failed, yield* it.next()];
    }
    const [failed, second] = await runVirtual(main);
    expect(failed).toBe(error);
    expect([second, calls]).toEqual([{ value: 'item 2', done: false }, ['next 1', 'next 2']]);
  });

  test('an async generator that threw reports done on the following next()', async () => {
    async function* failing(): AsyncGenerator<number> {
      yield 1;
      throw new Error('broken');
    }
    function* main(): Coro<[string, IteratorResult<number, undefined>]> {
      const it = aiter(failing());
      yield* it.next();
      const failed = yield* thrownByAwaiting(it.next());
      return [(failed as Error).message, yield* it.next()];
    }
    expect(await runVirtual(main)).toEqual(['broken', { value: undefined, done: true }]);
  });

  test('a task cancelled in next() gets CancelledError with the cancel message', async () => {
    const source = new ManualSource();
    function* main(): Coro<unknown> {
      const task = createTask(aiter(source).next());
      yield* sleep(1);
      task.cancel('no more reading');
      return yield* thrownByAwaiting(task);
    }
    expectError(await runVirtual(main), CancelledError, 'no more reading');
  });

  test('refuses what is not an AsyncIterable', () => {
    expectError(
      thrownBy(() => aiter(5 as never)),
      TypeError,
      'aiter() expects an AsyncIterable, got number',
    );
    expectError(
      thrownBy(() => aiter([1, 2] as never)),
      TypeError,
      'aiter() expects an AsyncIterable, got Array',
    );
  });
});
