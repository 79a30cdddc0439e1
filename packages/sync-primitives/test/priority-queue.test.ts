import { inspect } from 'node:util';
import type { Coro } from '@asyncio-ts/core-loop';
import { createTask, gather } from '@asyncio-ts/tasks';
import { describe, expect, it } from 'vitest';
import { PriorityQueue, QueueFull } from '../src/index.js';
import { expectError, runVirtual, thrownBy, ticks } from './utils.js';

/** Gets every item left, lowest first. */
function drain<T>(queue: PriorityQueue<T>): T[] {
  const out: T[] = [];
  while (!queue.empty()) out.push(queue.getNowait());
  return out;
}

describe('PriorityQueue order', () => {
  it('hands out the lowest item first', async () => {
    const items = await runVirtual(function* () {
      const queue = new PriorityQueue<number>();
      for (const i of [1, 3, 2]) yield* queue.put(i);
      return [yield* queue.get(), yield* queue.get(), yield* queue.get()];
    });
    expect(items).toEqual([1, 2, 3]);
  });

  it('sorts many numbers, negatives and duplicates included', () => {
    const input = [5, -3, 8, 1, 9, 2, 7, 3, 3, 6, 0, 4, -10, 2.5, 100];
    const queue = new PriorityQueue<number>();
    for (const n of input) queue.putNowait(n);
    expect(drain(queue)).toEqual([...input].sort((a, b) => a - b));
  });

  it('keeps its storage in heap order, as toString() shows (the same list as heapq)', () => {
    const queue = new PriorityQueue<number>();
    for (const n of [5, 3, 8, 1, 9, 2, 7]) queue.putNowait(n);
    expect(inspect(queue)).toBe('<PriorityQueue maxsize=0 _queue=[1, 3, 2, 5, 9, 8, 7] tasks=7>');
  });

  it('orders [priority, data] arrays like Python tuples: by priority, then by data', () => {
    const queue = new PriorityQueue<[number, string]>();
    for (const entry of [
      [2, 'write'],
      [1, 'read'],
      [2, 'close'],
      [0, 'open'],
    ] as [number, string][]) {
      queue.putNowait(entry);
    }
    expect(drain(queue)).toEqual([
      [0, 'open'],
      [1, 'read'],
      [2, 'close'],
      [2, 'write'],
    ]);
  });

  it('puts a shorter array that is a prefix of a longer one first, as Python does', () => {
    const queue = new PriorityQueue<number[]>();
    for (const entry of [[1, 2, 3], [1, 2], [1], [0, 9]]) queue.putNowait(entry);
    expect(drain(queue)).toEqual([[0, 9], [1], [1, 2], [1, 2, 3]]);
  });

  it('compares strings by code point, so an astral character sorts after U+FFFD', () => {
    const queue = new PriorityQueue<string>();
    for (const s of ['b', '\u{1F600}', '\uFFFD', 'a', 'ab', '']) queue.putNowait(s);
    expect(drain(queue)).toEqual(['', 'a', 'ab', 'b', '\uFFFD', '\u{1F600}']);
  });

  it('compares bigints, numbers and booleans by value', () => {
    const queue = new PriorityQueue<number | bigint | boolean>();
    for (const v of [3n, 2, true, 0n, 2.5]) queue.putNowait(v);
    expect(drain(queue)).toEqual([0n, true, 2, 2.5, 3n]);
  });

  it('takes items that compare equal out in the order heapq does', () => {
    // Entries compare by the number only; the letter shows which entry came out.
    const queue = new PriorityQueue<[number, string]>(0, { compare: (a, b) => a[0] - b[0] });
    const out: string[] = [];
    const ops: ([number, string] | null)[] = [
      [2, 'a'],
      [1, 'b'],
      [2, 'c'],
      [1, 'd'],
      null,
      [2, 'e'],
      [1, 'f'],
      [3, 'g'],
      [2, 'h'],
      null,
      [1, 'i'],
      [2, 'j'],
      [1, 'k'],
    ];
    for (const op of ops) {
      if (op === null) out.push(queue.getNowait().join(''));
      else queue.putNowait(op);
    }
    const storage = String(queue);
    while (!queue.empty()) out.push(queue.getNowait().join(''));
    // What CPython's heapq gives for the same pushes and pops.
    expect(out).toEqual(['1b', '1d', '1f', '1i', '1k', '2c', '2e', '2h', '2a', '2j', '3g']);
    expect(storage).toContain(
      "_queue=[[ 1, 'f' ], [ 1, 'k' ], [ 1, 'i' ], [ 2, 'a' ], [ 2, 'h' ], [ 3, 'g' ], [ 2, 'c' ], [ 2, 'j' ], [ 2, 'e' ]]",
    );
  });

  it('uses the compare option for items of any kind', () => {
    const queue = new PriorityQueue<{ deadline: number }>(0, {
      compare: (a, b) => a.deadline - b.deadline,
    });
    for (const deadline of [30, 10, 20]) queue.putNowait({ deadline });
    expect(drain(queue).map((job) => job.deadline)).toEqual([10, 20, 30]);
  });

  it('refuses a compare option that is not a function', () => {
    expectError(
      thrownBy(() => new PriorityQueue(0, { compare: 5 as never })),
      TypeError,
      'compare must be a function, got number',
    );
  });
});

describe('PriorityQueue items that cannot be compared', () => {
  it('refuses a string beside a number with a TypeError in Python words', () => {
    const queue = new PriorityQueue<unknown>();
    queue.putNowait(1);
    expectError(
      thrownBy(() => queue.putNowait('a')),
      TypeError,
      "'<' not supported between instances of 'string' and 'number': PriorityQueue compares " +
        'numbers, bigints, strings and arrays of them; give a compare function for other items',
    );
  });

  it('refuses two objects, and leaves the queue as it was', () => {
    const queue = new PriorityQueue<unknown>();
    queue.putNowait([1, { id: 'a' }]);
    const error = thrownBy(() => queue.putNowait([1, { id: 'b' }]));
    expect([(error as Error).constructor, (error as Error).message.split(':')[0]]).toEqual([
      TypeError,
      "'<' not supported between instances of 'Object' and 'Object'",
    ]);
    expect(String(queue)).toBe('<PriorityQueue maxsize=0 _queue=[[ 1, [Object] ]] tasks=1>');
    expect(queue.getNowait()).toEqual([1, { id: 'a' }]);
  });

  it('compares the same object to itself without complaint, as Python tuples do', () => {
    const shared = { id: 'x' };
    const queue = new PriorityQueue<[number, object]>();
    queue.putNowait([1, shared]);
    queue.putNowait([1, shared]);
    queue.putNowait([0, shared]);
    expect(drain(queue).map((entry) => entry[0])).toEqual([0, 1, 1]);
  });

  it('keeps every item when a compare function throws during a get', () => {
    let broken = false;
    const queue = new PriorityQueue<number>(0, {
      compare: (a, b) => {
        if (broken) throw new Error('compare broke');
        return a - b;
      },
    });
    for (const n of [4, 1, 3, 2, 5]) queue.putNowait(n);
    const before = String(queue);
    broken = true;
    const error = thrownBy(() => queue.getNowait());
    broken = false;
    expect([(error as Error).message, String(queue) === before]).toEqual(['compare broke', true]);
    expect(drain(queue)).toEqual([1, 2, 3, 4, 5]);
  });

  it('counts no unfinished task for an item it refused', () => {
    const queue = new PriorityQueue<unknown>();
    queue.putNowait(1);
    thrownBy(() => queue.putNowait('a'));
    queue.getNowait();
    queue.taskDone();
    expectError(
      thrownBy(() => queue.taskDone()),
      RangeError,
      'task_done() called too many times',
    );
  });
});

describe('PriorityQueue waiting', () => {
  it('wakes waiting getters in the order they came, each with the lowest item then', async () => {
    const seen = await runVirtual(function* () {
      const queue = new PriorityQueue<number>();
      const log: string[] = [];
      function* getter(name: string): Coro<void> {
        log.push(`${name} got ${yield* queue.get()}`);
      }
      const tasks = [createTask(getter('first')), createTask(getter('second'))];
      yield* ticks();
      queue.putNowait(9);
      queue.putNowait(1);
      yield* gather(tasks);
      return log;
    });
    expect(seen).toEqual(['first got 1', 'second got 9']);
  });

  it('blocks putters at maxsize and throws QueueFull from putNowait()', async () => {
    const seen = await runVirtual(function* () {
      const queue = new PriorityQueue<number>(2);
      yield* queue.put(5);
      yield* queue.put(3);
      const full = thrownBy(() => queue.putNowait(1));
      const putter = createTask(queue.put(1));
      yield* ticks();
      const waiting = String(queue);
      const first = yield* queue.get();
      yield* putter;
      return [(full as Error).constructor === QueueFull, waiting, first, drain(queue)];
    });
    expect(seen).toEqual([
      true,
      '<PriorityQueue maxsize=2 _queue=[3, 5] _putters[1] tasks=2>',
      3,
      [1, 5],
    ]);
  });
});
