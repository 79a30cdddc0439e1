import type { Coro } from '@asyncio-ts/core-loop';
import { createTask, gather } from '@asyncio-ts/tasks';
import { describe, expect, it } from 'vitest';
import { LifoQueue, Queue } from '../src/index.js';
import { runVirtual, ticks } from './utils.js';

describe('LifoQueue', () => {
  it('hands out the item put last first', async () => {
    const items = await runVirtual(function* () {
      const queue = new LifoQueue<number>();
      for (const i of [1, 3, 2]) yield* queue.put(i);
      return [yield* queue.get(), yield* queue.get(), yield* queue.get()];
    });
    expect(items).toEqual([2, 3, 1]);
  });

  it('is a Queue, and shows its stack bottom first in toString()', () => {
    const queue = new LifoQueue<string>();
    queue.putNowait('a');
    queue.putNowait('b');
    expect([queue instanceof Queue, String(queue)]).toEqual([
      true,
      "<LifoQueue maxsize=0 _queue=['a', 'b'] tasks=2>",
    ]);
  });

  it('still wakes waiting getters in the order they came', async () => {
    const log = await runVirtual(function* () {
      const queue = new LifoQueue<number>();
      const seen: string[] = [];
      function* getter(name: string): Coro<void> {
        seen.push(`${name} got ${yield* queue.get()}`);
      }
      const tasks = [createTask(getter('first')), createTask(getter('second'))];
      yield* ticks();
      queue.putNowait(1);
      queue.putNowait(2);
      yield* gather(tasks);
      return seen;
    });
    // Both items are in the stack before either getter runs: the first getter takes the top.
    expect(log).toEqual(['first got 2', 'second got 1']);
  });

  it('lets waiting putters in the order they came, so the last putter is on top', async () => {
    const items = await runVirtual(function* () {
      const queue = new LifoQueue<string>(1);
      queue.putNowait('x');
      const putters = ['a', 'b', 'c'].map((item) => createTask(queue.put(item)));
      yield* ticks();
      const out = [queue.getNowait()];
      for (let i = 0; i < 3; i++) {
        yield* ticks();
        out.push(queue.getNowait());
      }
      yield* gather(putters);
      return out;
    });
    expect(items).toEqual(['x', 'a', 'b', 'c']);
  });

  it('interleaves puts and gets as a stack', () => {
    const queue = new LifoQueue<number>();
    queue.putNowait(1);
    queue.putNowait(2);
    const first = queue.getNowait();
    queue.putNowait(3);
    expect([first, queue.getNowait(), queue.getNowait(), queue.empty()]).toEqual([2, 3, 1, true]);
  });
});
