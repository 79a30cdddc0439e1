import { type Coro, getRunningLoop } from '@asyncio-ts/core-loop';
import { createTask, gather } from '@asyncio-ts/tasks';
import { describe, expect, it } from 'vitest';
import { LifoQueue, PriorityQueue, Queue, QueueShutDown } from '../src/index.js';
import {
  expectError,
  nameAndMessage,
  runVirtual,
  thrownBy,
  thrownByAwaiting,
  ticks,
} from './utils.js';

type Make = (maxsize?: number) => Queue<string>;

/** What each of put(), putNowait(), get() and getNowait() throws now, as [class, message]. */
function* everyOperationFails(queue: Queue<string>): Coro<[string, string][]> {
  return [
    nameAndMessage(yield* thrownByAwaiting(queue.put('data'))),
    nameAndMessage(thrownBy(() => queue.putNowait('data'))),
    nameAndMessage(yield* thrownByAwaiting(queue.get())),
    nameAndMessage(thrownBy(() => queue.getNowait())),
  ];
}

describe.each([
  ['Queue', ((maxsize = 0) => new Queue<string>(maxsize)) as Make],
  ['LifoQueue', ((maxsize = 0) => new LifoQueue<string>(maxsize)) as Make],
  ['PriorityQueue', ((maxsize = 0) => new PriorityQueue<string>(maxsize)) as Make],
])('%s shutdown()', (name, make) => {
  const refusals = [
    ['QueueShutDown', `put() on a shut-down ${name}`],
    ['QueueShutDown', `putNowait() on a shut-down ${name}`],
    ['QueueShutDown', `get() on a shut-down ${name}`],
    ['QueueShutDown', `getNowait() on a shut-down ${name}`],
  ];

  it('shows shutdown in toString()', () => {
    const queue = make();
    queue.shutdown();
    expect(String(queue)).toBe(`<${name} maxsize=0 shutdown>`);
  });

  it('of an empty queue wakes a waiting getter with QueueShutDown and refuses every operation', async () => {
    const seen = await runVirtual(function* () {
      const queue = make();
      const getTask = createTask(queue.get());
      yield* ticks(); // the getter waits before the shutdown
      queue.shutdown(false);
      const size = queue.qsize();
      yield* queue.join();
      yield* ticks();
      const getDone = getTask.done();
      const getError = nameAndMessage(yield* thrownByAwaiting(getTask));
      return [size, getDone, getError, yield* everyOperationFails(queue)];
    });
    expect(seen).toEqual([0, true, ['QueueShutDown', `get() on a shut-down ${name}`], refusals]);
  });

  it('of a non-empty queue fails the waiting putter, lets getters drain, and join() waits for taskDone()', async () => {
    const seen = await runVirtual(function* () {
      const queue = make(1);
      const loop = getRunningLoop();
      queue.putNowait('data');
      const joinTask = loop.createTask(queue.join());
      const putTask = loop.createTask(queue.put('data2'));
      yield* ticks();
      const putDoneBefore = putTask.done();
      queue.shutdown(false);
      const size = queue.qsize();
      yield* ticks();
      const putDone = putTask.done();
      const putError = nameAndMessage(yield* thrownByAwaiting(putTask));
      const drained = yield* queue.get();
      yield* ticks();
      const joinDoneBeforeTaskDone = joinTask.done();
      const failures = yield* everyOperationFails(queue);
      queue.taskDone();
      yield* ticks();
      const joinDone = joinTask.done();
      yield* joinTask;
      const tooMany = nameAndMessage(thrownBy(() => queue.taskDone()));
      return [
        putDoneBefore,
        size,
        putDone,
        putError,
        drained,
        joinDoneBeforeTaskDone,
        failures,
        joinDone,
        tooMany,
      ];
    });
    expect(seen).toEqual([
      false,
      1,
      true,
      ['QueueShutDown', `put() on a shut-down ${name}`],
      'data',
      false,
      refusals,
      true,
      ['RangeError', 'task_done() called too many times'],
    ]);
  });

  it('with immediate drops the items, counts them done and lets join() return', async () => {
    const seen = await runVirtual(function* () {
      const queue = make();
      queue.putNowait('data');
      const joinTask = getRunningLoop().createTask(queue.join());
      queue.shutdown(true);
      const size = queue.qsize();
      yield* ticks();
      const joinDone = joinTask.done();
      yield* joinTask;
      const failures = yield* everyOperationFails(queue);
      const tooMany = nameAndMessage(thrownBy(() => queue.taskDone()));
      return [size, joinDone, failures, tooMany, String(queue)];
    });
    expect(seen).toEqual([
      0,
      true,
      refusals,
      ['RangeError', 'task_done() called too many times'],
      `<${name} maxsize=0 shutdown>`,
    ]);
  });

  it('with immediate keeps join() waiting for items already got and not yet done', async () => {
    const seen = await runVirtual(function* () {
      const queue = make();
      queue.putNowait('data');
      queue.putNowait('data');
      const joinTask = getRunningLoop().createTask(queue.join());
      const got = yield* queue.get();
      queue.shutdown(true); // unfinished tasks: 2 -> 1
      const size = queue.qsize();
      yield* ticks();
      const joinDoneBefore = joinTask.done();
      const failures = yield* everyOperationFails(queue);
      const shape = String(queue);
      queue.taskDone();
      const tooMany = nameAndMessage(thrownBy(() => queue.taskDone()));
      yield* ticks();
      const joinDone = joinTask.done();
      yield* joinTask;
      return [got, size, joinDoneBefore, failures, shape, tooMany, joinDone];
    });
    expect(seen).toEqual([
      'data',
      0,
      false,
      refusals,
      `<${name} maxsize=0 tasks=1 shutdown>`,
      ['RangeError', 'task_done() called too many times'],
      true,
    ]);
  });

  it('with immediate wakes every waiting getter with QueueShutDown', async () => {
    const errors = await runVirtual(function* () {
      const queue = make();
      const getters = [createTask(queue.get()), createTask(queue.get())];
      yield* ticks();
      queue.shutdown(true);
      const seen: unknown[] = [];
      for (const getter of getters) seen.push(nameAndMessage(yield* thrownByAwaiting(getter)));
      return seen;
    });
    expect(errors).toEqual([
      ['QueueShutDown', `get() on a shut-down ${name}`],
      ['QueueShutDown', `get() on a shut-down ${name}`],
    ]);
  });
});

describe('Queue shutdown() details', () => {
  it('fails every waiting putter, oldest first, and keeps the items already queued', async () => {
    const seen = await runVirtual(function* () {
      const queue = new Queue<string>(1);
      queue.putNowait('kept');
      const log: string[] = [];
      const putters = ['a', 'b', 'c'].map((item) =>
        createTask(
          (function* (): Coro<void> {
            try {
              yield* queue.put(item);
            } catch (error) {
              log.push(`${item}: ${(error as Error).constructor.name}`);
            }
          })(),
        ),
      );
      yield* ticks();
      queue.shutdown();
      yield* gather(putters);
      return [log, String(queue), queue.getNowait()];
    });
    expect(seen).toEqual([
      ['a: QueueShutDown', 'b: QueueShutDown', 'c: QueueShutDown'],
      "<Queue maxsize=1 _queue=['kept'] tasks=1 shutdown>",
      'kept',
    ]);
  });

  it('lets consumers drain the items left, then each fails with QueueShutDown', async () => {
    const log = await runVirtual(function* () {
      const queue = new Queue<number>();
      const seen: string[] = [];
      function* consumer(name: string): Coro<void> {
        try {
          for (;;) {
            seen.push(`${name} got ${yield* queue.get()}`);
            queue.taskDone();
          }
        } catch (error) {
          seen.push(`${name}: ${(error as Error).constructor.name}`);
        }
      }
      const consumers = [createTask(consumer('c1')), createTask(consumer('c2'))];
      yield* ticks();
      for (const n of [1, 2, 3]) queue.putNowait(n);
      queue.shutdown();
      yield* gather(consumers);
      yield* queue.join();
      return seen;
    });
    // c1 runs first and takes all three without waiting again; c2, woken by the second put,
    // finds the queue empty and shut down.
    expect(log).toEqual([
      'c1 got 1',
      'c1 got 2',
      'c1 got 3',
      'c1: QueueShutDown',
      'c2: QueueShutDown',
    ]);
  });

  it('without immediate leaves a waiting join() waiting', async () => {
    const seen = await runVirtual(function* () {
      const queue = new Queue<number>();
      queue.putNowait(1);
      const joinTask = createTask(queue.join());
      yield* ticks();
      queue.shutdown();
      yield* ticks(3);
      const before = joinTask.done();
      queue.getNowait();
      queue.taskDone();
      yield* joinTask;
      return before;
    });
    expect(seen).toBe(false);
  });

  it('twice is harmless, and shutdown(true) after shutdown() drops what is left', () => {
    const queue = new Queue<number>();
    queue.putNowait(1);
    queue.putNowait(2);
    queue.shutdown();
    queue.shutdown();
    const afterFirst = String(queue);
    queue.shutdown(true);
    expect([afterFirst, String(queue)]).toEqual([
      '<Queue maxsize=0 _queue=[1, 2] tasks=2 shutdown>',
      '<Queue maxsize=0 shutdown>',
    ]);
  });

  it('fails a put() on a full queue at once, without waiting', () => {
    const queue = new Queue<number>(1);
    queue.putNowait(1);
    queue.shutdown();
    const gen = queue.put(2);
    // No loop is running: a put() that tried to wait would fail with "no running event loop".
    expectError(
      thrownBy(() => gen.next()),
      QueueShutDown,
      'put() on a shut-down Queue',
    );
  });

  it('wakes a getter that was cancelled after being woken, and it still ends cancelled', async () => {
    const seen = await runVirtual(function* () {
      const queue = new Queue<number>();
      const getter = createTask(queue.get());
      yield* ticks();
      queue.shutdown();
      getter.cancel();
      const error = yield* thrownByAwaiting(getter);
      return [nameAndMessage(error), String(queue)];
    });
    expect(seen).toEqual([['CancelledError', ''], '<Queue maxsize=0 shutdown>']);
  });
});
