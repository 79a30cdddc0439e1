/**
 * Feeding a queue from the host: stream events, emitters and timers call putNowait() and
 * shutdown() outside the loop, and the coroutines waiting on the queue wake.
 */
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { type Coro, getRunningLoop } from '@asyncio-ts/core-loop';
import { createTask, run } from '@asyncio-ts/tasks';
import { describe, expect, it } from 'vitest';
import { Queue, QueueFull, QueueShutDown } from '../src/index.js';
import { nameAndMessage, thrownBy, thrownByAwaiting } from './utils.js';

/** Gets items until the queue is shut down and drained; returns them in order. */
function* consumeAll<T>(queue: Queue<T>, afterGet: () => void = () => {}): Coro<T[]> {
  const items: T[] = [];
  for (;;) {
    try {
      items.push(yield* queue.get());
    } catch (error) {
      if (error instanceof QueueShutDown) return items;
      throw error;
    }
    queue.taskDone();
    afterGet();
  }
}

describe('Queue fed from host callbacks', () => {
  it('wakes a getter waiting on an idle loop when a host timer calls putNowait()', async () => {
    const seen = await run(function* () {
      const queue = new Queue<string>();
      setTimeout(() => queue.putNowait('from the host'), 1);
      return yield* queue.get();
    });
    expect(seen).toBe('from the host');
  });

  it('wakes a waiting getter with QueueShutDown when a host timer calls shutdown()', async () => {
    const error = await run(function* () {
      const queue = new Queue<string>();
      setTimeout(() => queue.shutdown(), 1);
      return yield* thrownByAwaiting(queue.get());
    });
    expect(nameAndMessage(error)).toEqual(['QueueShutDown', 'get() on a shut-down Queue']);
  });

  it('throws QueueFull into the host callback, where no loop is running, so it can be caught', async () => {
    const queue = new Queue<number>(1);
    const seen = await new Promise<unknown[]>((resolve) => {
      setTimeout(() => {
        queue.putNowait(1);
        const noLoop = nameAndMessage(thrownBy(() => getRunningLoop()));
        const full = thrownBy(() => queue.putNowait(2));
        resolve([noLoop, full instanceof QueueFull, queue.qsize()]);
      }, 1);
    });
    expect(seen).toEqual([['RuntimeError', 'no running event loop'], true, 1]);
  });

  it('lets a host timer make room for a putter waiting on a full queue', async () => {
    const seen = await run(function* () {
      const queue = new Queue<number>(1);
      queue.putNowait(1);
      let taken: number | null = null;
      setTimeout(() => {
        taken = queue.getNowait();
      }, 1);
      yield* queue.put(2);
      return [taken, String(queue)];
    });
    expect(seen).toEqual([1, '<Queue maxsize=1 _queue=[2] tasks=2>']);
  });

  it('reads a Readable stream through a bounded queue, pausing the stream while the queue is full', async () => {
    const input = Array.from({ length: 40 }, (_, i) => `chunk ${i}`);
    const stream = Readable.from(input, { objectMode: true });
    const queue = new Queue<string>(3);
    let pending: string[] = [];
    let pauses = 0;
    let largest = 0;
    stream.on('data', (chunk: string) => {
      if (pending.length > 0) {
        pending.push(chunk); // arrived after pause(): keep the order
        return;
      }
      try {
        queue.putNowait(chunk);
        largest = Math.max(largest, queue.qsize());
      } catch (error) {
        if (!(error instanceof QueueFull)) throw error;
        stream.pause();
        pauses++;
        pending = [chunk];
      }
    });
    let ended = false;
    stream.on('end', () => {
      ended = true;
      if (pending.length === 0) queue.shutdown();
    });

    const items = await run(
      consumeAll(queue, () => {
        // The consumer made room: hand over what waited, then let the stream flow again (or
        // end the queue, if the stream ended meanwhile).
        while (pending.length > 0 && !queue.full()) queue.putNowait(pending.shift()!);
        if (pending.length > 0) return;
        if (ended) queue.shutdown();
        else if (stream.isPaused()) stream.resume();
      }),
    );
    expect(items).toEqual(input);
    expect(pauses).toBeGreaterThan(0);
    expect(largest).toBe(3);
  });

  it('reads an EventEmitter source that honours pause() and resume()', async () => {
    /** Emits 'item' for 0..count-1, one host turn apart, while not paused; then 'end'. */
    class Source extends EventEmitter {
      next = 0;
      paused = false;
      pauses = 0;
      constructor(readonly count: number) {
        super();
        setImmediate(() => this.#emit());
      }
      pause(): void {
        this.paused = true;
        this.pauses++;
      }
      resume(): void {
        if (!this.paused) return;
        this.paused = false;
        setImmediate(() => this.#emit());
      }
      #emit(): void {
        // Bursts of three per host turn, so the consumer falls behind and the queue fills.
        for (let burst = 0; burst < 3 && !this.paused; burst++) {
          if (this.next === this.count) {
            this.emit('end');
            return;
          }
          this.emit('item', this.next++);
        }
        if (!this.paused) setImmediate(() => this.#emit());
      }
    }

    const source = new Source(30);
    const queue = new Queue<number>(2);
    let pending: number | null = null;
    source.on('item', (n: number) => {
      try {
        queue.putNowait(n);
      } catch (error) {
        if (!(error instanceof QueueFull)) throw error;
        source.pause();
        pending = n;
      }
    });
    source.on('end', () => queue.shutdown());

    const items = await run(
      consumeAll(queue, () => {
        if (pending !== null && !queue.full()) {
          queue.putNowait(pending);
          pending = null;
          source.resume();
        }
      }),
    );
    expect(items).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(source.pauses).toBeGreaterThan(0);
  });

  it('lets join() in the loop wait for items a host source put and a consumer task finished', async () => {
    const log = await run(function* () {
      const queue = new Queue<number>();
      const done: number[] = [];
      const consumer = createTask(
        (function* (): Coro<void> {
          for (;;) {
            done.push(yield* queue.get());
            queue.taskDone();
          }
        })(),
      );
      const fed = getRunningLoop().createFuture<void>();
      setTimeout(() => {
        for (const n of [1, 2, 3]) queue.putNowait(n);
        fed.setResult(undefined);
      }, 1);
      yield* fed;
      yield* queue.join();
      consumer.cancel();
      return done;
    });
    expect(log).toEqual([1, 2, 3]);
  });
});
