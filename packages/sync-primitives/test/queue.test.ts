import { inspect } from 'node:util';
import { CancelledError, type Coro, getRunningLoop, RuntimeError } from '@asyncio-ts/core-loop';
import { createTask, gather, sleep } from '@asyncio-ts/tasks';
import { describe, expect, it } from 'vitest';
import {
  LifoQueue,
  PriorityQueue,
  Queue,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
} from '../src/index.js';
import {
  expectError,
  nameAndMessage,
  runVirtual,
  thrownBy,
  thrownByAwaiting,
  ticks,
} from './utils.js';

describe('Queue construction', () => {
  it('has no bound by default: maxsize is 0 and it is never full', () => {
    const queue = new Queue<number>();
    for (let i = 0; i < 1000; i++) queue.putNowait(i);
    expect([queue.maxsize, queue.full(), queue.qsize()]).toEqual([0, false, 1000]);
  });

  it('reports the maxsize it was given', () => {
    expect(new Queue(2).maxsize).toBe(2);
  });

  it('accepts Infinity as no bound', () => {
    const queue = new Queue<number>(Number.POSITIVE_INFINITY);
    queue.putNowait(1);
    expect([queue.maxsize, queue.full()]).toEqual([Number.POSITIVE_INFINITY, false]);
  });

  it.each([
    [-1, 'maxsize must be a non-negative whole number (0 for no bound), got -1'],
    [Number.NaN, 'maxsize must be a non-negative whole number (0 for no bound), got NaN'],
    [1.5, 'maxsize must be a non-negative whole number (0 for no bound), got 1.5'],
    [
      Number.NEGATIVE_INFINITY,
      'maxsize must be a non-negative whole number (0 for no bound), got -Infinity',
    ],
  ])('refuses maxsize %s with a RangeError naming the value', (maxsize, message) => {
    expectError(
      thrownBy(() => new Queue(maxsize)),
      RangeError,
      message,
    );
  });

  it('refuses a maxsize that is not a number with a TypeError', () => {
    expectError(
      thrownBy(() => new Queue('2' as unknown as number)),
      TypeError,
      'maxsize must be a number, got string',
    );
  });

  it('can be created and used without a loop as long as nothing waits', () => {
    const queue = new Queue<string>(1);
    queue.putNowait('a');
    const full = thrownBy(() => queue.putNowait('b'));
    expect([queue.getNowait(), nameAndMessage(full)]).toEqual([
      'a',
      ['QueueFull', 'putNowait() on a full Queue (maxsize=1)'],
    ]);
  });
});

describe('Queue toString() and inspect()', () => {
  it('shows only maxsize for a new queue', () => {
    expect([String(new Queue()), String(new Queue(3))]).toEqual([
      '<Queue maxsize=0>',
      '<Queue maxsize=3>',
    ]);
  });

  it('lists the items as Python would, strings quoted', () => {
    const queue = new Queue<unknown>();
    queue.putNowait(1);
    queue.putNowait('a');
    queue.putNowait([2, 'b']);
    expect(String(queue)).toBe("<Queue maxsize=0 _queue=[1, 'a', [ 2, 'b' ]] tasks=3>");
  });

  it('counts unfinished tasks after the items were taken out', () => {
    const queue = new Queue<number>();
    queue.putNowait(1);
    queue.putNowait(2);
    queue.getNowait();
    queue.getNowait();
    expect(String(queue)).toBe('<Queue maxsize=0 tasks=2>');
  });

  it('counts the getters waiting, and a put wakes the getter', async () => {
    const seen = await runVirtual(function* () {
      const queue = new Queue<number>();
      const getter = createTask(queue.get());
      yield* ticks();
      const shape = String(queue);
      queue.putNowait(0);
      return [shape, yield* getter, String(queue)];
    });
    expect(seen).toEqual(['<Queue maxsize=0 _getters[1]>', 0, '<Queue maxsize=0 tasks=1>']);
  });

  it('counts the putters waiting, and a get lets the putter finish', async () => {
    const seen = await runVirtual(function* () {
      const queue = new Queue<number>(1);
      queue.putNowait(1);
      const putter = createTask(queue.put(2));
      yield* ticks();
      const shape = String(queue);
      queue.getNowait();
      yield* putter;
      return [shape, String(queue)];
    });
    expect(seen).toEqual([
      '<Queue maxsize=1 _queue=[1] _putters[1] tasks=1>',
      '<Queue maxsize=1 _queue=[2] tasks=2>',
    ]);
  });

  it('is what inspect() shows, named after the subclass', () => {
    const queue = new LifoQueue<number>(2);
    queue.putNowait(7);
    expect([inspect(queue), inspect(new PriorityQueue())]).toEqual([
      '<LifoQueue maxsize=2 _queue=[7] tasks=1>',
      '<PriorityQueue maxsize=0>',
    ]);
  });
});

describe('Queue size', () => {
  it('is empty, then not after a put, then empty again after the get', async () => {
    const seen = await runVirtual(function* () {
      const queue = new Queue<number>();
      const states = [queue.empty()];
      yield* queue.put(1);
      states.push(queue.empty());
      const item = yield* queue.get();
      states.push(queue.empty());
      return [states, item];
    });
    expect(seen).toEqual([[true, false, true], 1]);
  });

  it('is full once it holds maxsize items', async () => {
    const seen = await runVirtual(function* () {
      const queue = new Queue<number>(1);
      const before = queue.full();
      yield* queue.put(1);
      return [before, queue.full(), queue.qsize()];
    });
    expect(seen).toEqual([false, true, 1]);
  });

  it('hands items out in the order they were put', async () => {
    const items = await runVirtual(function* () {
      const queue = new Queue<number>();
      for (const i of [1, 3, 2]) yield* queue.put(i);
      return [yield* queue.get(), yield* queue.get(), yield* queue.get()];
    });
    expect(items).toEqual([1, 3, 2]);
  });

  it('keeps the order through many puts and gets (the storage wraps around and grows)', () => {
    const queue = new Queue<number>();
    const model: number[] = [];
    const out: number[] = [];
    const expected: number[] = [];
    for (let i = 0; i < 100; i++) {
      for (const item of [i, i + 1000, i + 2000]) {
        queue.putNowait(item);
        model.push(item);
      }
      for (let j = 0; j < 2; j++) {
        out.push(queue.getNowait());
        expected.push(model.shift()!);
      }
    }
    while (!queue.empty()) out.push(queue.getNowait());
    expect([out.slice(0, 6), out.length]).toEqual([[0, 1000, 2000, 1, 1001, 2001], 300]);
    expect(out).toEqual([...expected, ...model]);
  });

  it('blocks a putter once maxsize items are queued, and lets it go when one is taken', async () => {
    const log: string[] = [];
    const seen = await runVirtual(function* () {
      const queue = new Queue<number>(2);
      const putter = createTask(
        (function* (): Coro<boolean> {
          for (let i = 0; i < 3; i++) {
            yield* queue.put(i);
            log.push(`put ${i}`);
          }
          return true;
        })(),
      );
      yield* ticks(2);
      log.push(`got ${yield* queue.get()}`);
      yield* ticks();
      log.push(`got ${yield* queue.get()}`, `got ${yield* queue.get()}`);
      return [putter.done(), putter.result()];
    });
    expect(log).toEqual(['put 0', 'put 1', 'got 0', 'put 2', 'got 1', 'got 2']);
    expect(seen).toEqual([true, true]);
  });
});

describe('Queue.get()', () => {
  it('returns an item at once when there is one', async () => {
    const queue = new Queue<number>();
    queue.putNowait(1);
    expect(await runVirtual(queue.get())).toBe(1);
  });

  it('lets a waiting putter in when it takes an item', async () => {
    const seen = await runVirtual(function* () {
      const queue = new Queue<number>(1);
      yield* queue.put(1);
      const putter = createTask(queue.put(2));
      yield* ticks();
      const item = yield* queue.get();
      yield* ticks();
      return [item, putter.done(), String(queue)];
    });
    expect(seen).toEqual([1, true, '<Queue maxsize=1 _queue=[2] tasks=2>']);
  });

  it('waits for an item put later by a timer', async () => {
    const log: string[] = [];
    const seen = await runVirtual(function* () {
      const queue = new Queue<number>();
      const loop = getRunningLoop();
      const getter = createTask(
        (function* (): Coro<number> {
          log.push('waiting');
          const item = yield* queue.get();
          log.push(`got ${item} at ${loop.time()}`);
          return item;
        })(),
      );
      yield* ticks();
      log.push('timer armed');
      loop.callLater(10, () => queue.putNowait(1));
      return yield* getter;
    });
    expect(log).toEqual(['waiting', 'timer armed', 'got 1 at 10']);
    expect(seen).toBe(1);
  });

  it('getNowait() takes an item', () => {
    const queue = new Queue<number>();
    queue.putNowait(1);
    expect(queue.getNowait()).toBe(1);
  });

  it('getNowait() on an empty queue throws QueueEmpty', () => {
    expectError(
      thrownBy(() => new Queue().getNowait()),
      QueueEmpty,
      'getNowait() on an empty Queue',
    );
  });

  it('serves the next getter when the first was cancelled while waiting', async () => {
    const seen = await runVirtual(function* () {
      const queue = new Queue<string>();
      const t1 = createTask(queue.get());
      const t2 = createTask(queue.get());
      yield* ticks();
      t1.cancel();
      yield* ticks();
      const t1Done = t1.done();
      yield* queue.put('a');
      yield* ticks();
      return [t1Done, t1.cancelled(), yield* t2];
    });
    expect(seen).toEqual([true, true, 'a']);
  });

  it('lets waiting putters in one by one, in the order they came', async () => {
    const items = await runVirtual(function* () {
      const queue = new Queue<string>(1);
      createTask(queue.put('a'));
      createTask(queue.put('b'));
      return [yield* queue.get(), yield* queue.get()];
    });
    expect(items).toEqual(['a', 'b']);
  });

  it('lets a producer and a consumer pass five items through a queue of one', async () => {
    const got = await runVirtual(function* () {
      const queue = new Queue<number>(1);
      const received: number[] = [];
      function* producer(): Coro<void> {
        for (let i = 0; i < 5; i++) yield* queue.put(i);
      }
      function* consumer(): Coro<void> {
        for (let i = 0; i < 5; i++) received.push(yield* queue.get());
      }
      yield* gather([createTask(producer()), createTask(consumer())]);
      return received;
    });
    expect(got).toEqual([0, 1, 2, 3, 4]);
  });

  it('forgets a getter whose task was cancelled while waiting', async () => {
    const seen = await runVirtual(function* () {
      const queue = new Queue<number>(5);
      const getter = createTask(queue.get());
      yield* sleep(100);
      const shape = String(queue);
      getter.cancel();
      const error = yield* thrownByAwaiting(getter);
      return [shape, nameAndMessage(error), String(queue)];
    });
    expect(seen).toEqual([
      '<Queue maxsize=5 _getters[1]>',
      ['CancelledError', ''],
      '<Queue maxsize=5>',
    ]);
  });

  it('loses no item when a woken getter is cancelled before it runs', async () => {
    const result = await runVirtual(function* () {
      const queue = new Queue<number>();
      let reader = createTask(queue.get());
      yield* ticks();
      queue.putNowait(1);
      queue.putNowait(2);
      reader.cancel();
      try {
        yield* reader;
      } catch (error) {
        if (!(error instanceof CancelledError)) throw error;
        reader = createTask(queue.get());
        yield* reader;
      }
      return [reader.result(), queue.qsize()];
    });
    // Getting 2 here would mean item 1 was dropped.
    expect(result).toEqual([1, 1]);
  });

  it('passes the wake-up of a cancelled getter to the next getter in line', async () => {
    const seen = await runVirtual(function* () {
      const queue = new Queue<number>();
      const reader1 = createTask(queue.get());
      const reader2 = createTask(queue.get());
      const reader3 = createTask(queue.get());
      yield* ticks();
      queue.putNowait(1);
      queue.putNowait(2);
      reader1.cancel();
      const error = yield* thrownByAwaiting(reader1);
      const values = [yield* reader2, yield* reader3];
      return [nameAndMessage(error), values, String(queue)];
    });
    // reader1 was woken for item 1; cancelled, it wakes reader3, and reader2 (woken for item 2)
    // runs first, so it takes item 1.
    expect(seen).toEqual([['CancelledError', ''], [1, 2], '<Queue maxsize=0 tasks=2>']);
  });

  it('lets a getNowait() take the item a woken getter was woken for; that getter waits again', async () => {
    const seen = await runVirtual(function* () {
      const queue = new Queue<string>();
      const getter = createTask(queue.get());
      yield* ticks();
      queue.putNowait('a'); // wakes the getter
      const stolen = queue.getNowait(); // before the getter runs
      yield* ticks();
      const waitingAgain = String(queue);
      queue.putNowait('b');
      return [stolen, waitingAgain, yield* getter];
    });
    expect(seen).toEqual(['a', '<Queue maxsize=0 _getters[1] tasks=1>', 'b']);
  });

  it('takes its getter out of the line when the coroutine is closed while waiting', async () => {
    const seen = await runVirtual(function* () {
      const queue = new Queue<number>();
      const gen = queue.get();
      const first = gen.next();
      const waiting = String(queue);
      gen.return(0);
      return [first.done, waiting, String(queue)];
    });
    expect(seen).toEqual([false, '<Queue maxsize=0 _getters[1]>', '<Queue maxsize=0>']);
  });
});

describe('Queue.put()', () => {
  it('does not wait when the queue has no bound', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const queue = new Queue<number>();
      createTask(
        (function* (): Coro<void> {
          log.push('other task ran');
        })(),
      );
      yield* queue.put(1);
      log.push(`put done, qsize ${queue.qsize()}`);
      log.push(`got ${yield* queue.get()}`);
    });
    expect(log).toEqual(['put done, qsize 1', 'got 1', 'other task ran']);
  });

  it('waits for a free slot that a timer makes', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const queue = new Queue<number>(1);
      const loop = getRunningLoop();
      loop.callLater(10, () => log.push(`timer took ${queue.getNowait()}`));
      const putter = createTask(
        (function* (): Coro<void> {
          yield* queue.put(1);
          log.push('put 1');
          yield* queue.put(2);
          log.push(`put 2 at ${loop.time()}`);
        })(),
      );
      yield* putter;
    });
    expect(log).toEqual(['put 1', 'timer took 1', 'put 2 at 10']);
  });

  it('putNowait() on a full queue throws QueueFull naming the queue and its maxsize', () => {
    const queue = new Queue<number>(1);
    queue.putNowait(1);
    expectError(
      thrownBy(() => queue.putNowait(2)),
      QueueFull,
      'putNowait() on a full Queue (maxsize=1)',
    );
    expect(String(queue)).toBe('<Queue maxsize=1 _queue=[1] tasks=1>');
  });

  it('loses no slot when a woken putter is cancelled before it runs', async () => {
    const seen = await runVirtual(function* () {
      const queue = new Queue<number>(1);
      queue.putNowait(1);
      let writer = createTask(queue.put(2));
      yield* ticks();
      const value1 = queue.getNowait();
      writer.cancel();
      try {
        yield* writer;
      } catch (error) {
        if (!(error instanceof CancelledError)) throw error;
        writer = createTask(queue.put(2));
        yield* writer;
      }
      return [value1, queue.getNowait(), queue.qsize()];
    });
    expect(seen).toEqual([1, 2, 0]);
  });

  it('passes the free slot of a cancelled putter to the next putter in line', async () => {
    const seen = await runVirtual(function* () {
      const queue = new Queue<string>(1);
      queue.putNowait('x');
      const putA = createTask(queue.put('a'));
      const putB = createTask(queue.put('b'));
      yield* ticks();
      queue.getNowait(); // wakes putA
      putA.cancel(); // before putA runs
      const error = yield* thrownByAwaiting(putA);
      yield* ticks();
      return [nameAndMessage(error), putB.done(), String(queue)];
    });
    expect(seen).toEqual([['CancelledError', ''], true, "<Queue maxsize=1 _queue=['b'] tasks=2>"]);
  });

  it('finishes a put() task once a get makes room', async () => {
    const seen = await runVirtual(function* () {
      const queue = new Queue<number>();
      const putter = createTask(
        (function* (): Coro<boolean> {
          yield* queue.put(1);
          return true;
        })(),
      );
      const item = yield* queue.get();
      return [item, putter.done(), putter.result()];
    });
    expect(seen).toEqual([1, true, true]);
  });

  it('keeps the order of putters when one of them is cancelled', async () => {
    const seen = await runVirtual(function* () {
      const queue = new Queue<string>(1);
      const putA = createTask(queue.put('a'));
      const putB = createTask(queue.put('b'));
      const putC = createTask(queue.put('X'));
      yield* ticks();
      const early = [putA.done(), putB.done()];
      putC.cancel();
      yield* ticks();
      const cDone = putC.done();
      const first = queue.getNowait();
      yield* ticks();
      const second = queue.getNowait();
      yield* putB;
      return [early, cDone, first, second, queue.qsize()];
    });
    expect(seen).toEqual([[true, false], true, 'a', 'b', 0]);
  });

  it('wakes a waiting getter', async () => {
    const item = await runVirtual(function* () {
      const queue = new Queue<string>();
      const getter = createTask(queue.get());
      yield* ticks();
      yield* queue.put('a');
      return yield* getter;
    });
    expect(item).toBe('a');
  });

  it('lets four putters through a queue of two that a getter empties', async () => {
    const seen = await runVirtual(function* () {
      const queue = new Queue<number>(2);
      const taken: number[] = [];
      function* getter(): Coro<void> {
        yield* ticks();
        const n = queue.qsize();
        for (let i = 0; i < n; i++) taken.push(queue.getNowait());
      }
      const tasks = [createTask(getter()), ...[0, 1, 2, 3].map((i) => createTask(queue.put(i)))];
      yield* gather(tasks);
      return [taken, String(queue)];
    });
    expect(seen).toEqual([[0, 1], '<Queue maxsize=2 _queue=[2, 3] tasks=4>']);
  });

  it('forgets a putter whose task was cancelled while waiting', async () => {
    const seen = await runVirtual(function* () {
      const queue = new Queue<number>(1);
      queue.putNowait(1);
      const putTask = createTask(queue.put(1));
      yield* ticks();
      const before = String(queue);
      putTask.cancel();
      const error = yield* thrownByAwaiting(putTask);
      return [before, nameAndMessage(error), String(queue)];
    });
    expect(seen).toEqual([
      '<Queue maxsize=1 _queue=[1] _putters[1] tasks=1>',
      ['CancelledError', ''],
      '<Queue maxsize=1 _queue=[1] tasks=1>',
    ]);
  });

  it('throws only CancelledError when a putter already taken out of the line is cancelled', async () => {
    const error = await runVirtual(function* () {
      const queue = new Queue<number>(1);
      queue.putNowait(1);
      const putTask = createTask(queue.put(1));
      yield* ticks();
      queue.getNowait(); // takes the putter's future out of the line
      putTask.cancel();
      return yield* thrownByAwaiting(putTask);
    });
    expectError(error, CancelledError, '');
  });
});

describe('Queue loop binding', () => {
  it('refuses a second loop once a coroutine waited on it in the first', async () => {
    const queue = new Queue<number>();
    await runVirtual(function* () {
      const getter = createTask(queue.get());
      yield* ticks();
      queue.putNowait(1);
      yield* getter;
    });
    const error = await runVirtual(function* () {
      return yield* thrownByAwaiting(queue.get());
    });
    expectError(
      error,
      RuntimeError,
      '<Queue maxsize=0 tasks=1> is bound to a different event loop',
    );
  });

  it('binds to no loop while nothing waits, so several loops may use it in turn', async () => {
    const queue = new Queue<number>();
    await runVirtual(function* () {
      yield* queue.put(1);
    });
    const item = await runVirtual(queue.get());
    expect(item).toBe(1);
  });

  it('is not awaitable itself: yield* queue is a TypeError saying what to write', async () => {
    const error = await runVirtual(function* () {
      return yield* thrownByAwaiting(new Queue());
    });
    expectError(
      error,
      TypeError,
      "'Queue' object can't be awaited: use its coroutine methods, such as yield* queue.get(), " +
        'yield* queue.put(item) or yield* queue.join()',
    );
  });
});

describe('Queue errors', () => {
  it.each([
    ['QueueEmpty', QueueEmpty],
    ['QueueFull', QueueFull],
    ['QueueShutDown', QueueShutDown],
  ])('%s is an Error named after its class', (name, cls) => {
    const error = new cls('message');
    expect([error instanceof Error, error.name, String(error)]).toEqual([
      true,
      name,
      `${name}: message`,
    ]);
  });
});

describe.each([
  ['Queue', () => new Queue<number>()],
  ['LifoQueue', () => new LifoQueue<number>()],
  ['PriorityQueue', () => new PriorityQueue<number>()],
])('%s join() and taskDone()', (name, make) => {
  it('taskDone() with no unfinished item throws RangeError in CPython words', () => {
    expectError(
      thrownBy(() => make().taskDone()),
      RangeError,
      'task_done() called too many times',
    );
  });

  it('join() returns once two workers marked all 100 items done', async () => {
    const total = await runVirtual(function* () {
      const queue = make();
      for (let i = 0; i < 100; i++) queue.putNowait(i);
      let accumulator = 0;
      let running = true;
      function* worker(): Coro<void> {
        while (running) {
          accumulator += yield* queue.get();
          queue.taskDone();
        }
      }
      const workers = [createTask(worker()), createTask(worker())];
      yield* queue.join();
      const atJoin = accumulator;
      running = false;
      for (let i = 0; i < workers.length; i++) queue.putNowait(0);
      yield* gather(workers);
      return atJoin;
    });
    expect(total).toBe(4950);
  });

  it('join() of a queue with nothing unfinished returns without giving up the loop', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const queue = make();
      createTask(
        (function* (): Coro<void> {
          log.push('other task');
        })(),
      );
      yield* queue.join();
      yield* queue.join();
      log.push('joined twice');
    });
    expect(log).toEqual(['joined twice', 'other task']);
  });

  it('shows the count of unfinished items as tasks=N', () => {
    const queue = make();
    const shapes = [String(queue)];
    queue.putNowait(1);
    queue.putNowait(2);
    queue.getNowait();
    queue.getNowait();
    shapes.push(String(queue));
    queue.taskDone();
    queue.taskDone();
    shapes.push(String(queue));
    expect(shapes).toEqual([
      `<${name} maxsize=0>`,
      `<${name} maxsize=0 tasks=2>`,
      `<${name} maxsize=0>`,
    ]);
  });

  it('join() returns right after the last taskDone(), not before', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const queue = make();
      queue.putNowait(1);
      queue.putNowait(2);
      const joiners = [1, 2].map((n) =>
        createTask(
          (function* (): Coro<void> {
            yield* queue.join();
            log.push(`joiner ${n} returned`);
          })(),
        ),
      );
      yield* ticks();
      queue.getNowait();
      queue.getNowait();
      queue.taskDone();
      log.push('first taskDone');
      yield* ticks(2);
      queue.taskDone();
      log.push('second taskDone');
      yield* gather(joiners);
    });
    expect(log).toEqual([
      'first taskDone',
      'second taskDone',
      'joiner 1 returned',
      'joiner 2 returned',
    ]);
  });

  it('a cancelled join() leaves the other joiners waiting for the last taskDone()', async () => {
    const seen = await runVirtual(function* () {
      const queue = make();
      queue.putNowait(1);
      const cancelled = createTask(queue.join());
      const kept = createTask(queue.join());
      yield* ticks();
      cancelled.cancel();
      const error = yield* thrownByAwaiting(cancelled);
      yield* ticks();
      const keptBefore = kept.done();
      queue.getNowait();
      queue.taskDone();
      yield* kept;
      return [nameAndMessage(error), keptBefore, kept.done()];
    });
    expect(seen).toEqual([['CancelledError', ''], false, true]);
  });

  it('join() waits again after a new item is put', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const queue = make();
      yield* queue.join();
      log.push('joined empty');
      queue.putNowait(5);
      const joiner = createTask(
        (function* (): Coro<void> {
          yield* queue.join();
          log.push('joined after the put');
        })(),
      );
      yield* ticks(3);
      log.push(`processing ${queue.getNowait()}`);
      queue.taskDone();
      yield* joiner;
    });
    expect(log).toEqual(['joined empty', 'processing 5', 'joined after the put']);
  });
});
