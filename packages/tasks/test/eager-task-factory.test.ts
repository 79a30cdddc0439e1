import {
  CancelledError,
  ContextVar,
  type Coro,
  type EventLoop,
  type Future,
  getRunningLoop,
  type TaskFactory,
  type TaskOptions,
  VirtualTimeLoop,
} from '@asyncio-ts/core-loop';
import { describe, expect, test } from 'vitest';
import {
  allTasks,
  createEagerTaskFactory,
  createTask,
  currentTask,
  eagerTaskFactory,
  ensureFuture,
  gather,
  sleep,
  Task,
  type TaskConstructorOptions,
} from '../src/index.js';
import { expectError, runVirtual, thrownBy, thrownByAwaiting } from './utils.js';

/** A loop that makes every task with `factory`. */
function loopWith(factory: TaskFactory): VirtualTimeLoop {
  const loop = new VirtualTimeLoop();
  loop.setTaskFactory(factory);
  return loop;
}

function taskNumber(task: Task<unknown>): number {
  const match = /^Task-(\d+)$/.exec(task.getName());
  if (match === null) throw new Error(`not a default task name: ${task.getName()}`);
  return Number(match[1]);
}

describe('createTask(coro, { eagerStart: true })', () => {
  test('runs the coroutine synchronously until its first suspension', async () => {
    const events: string[] = [];
    function* child(): Coro<void> {
      events.push('child: before sleep');
      yield* sleep(10);
      events.push('child: after sleep');
    }
    function* main(): Coro<void> {
      events.push('main: before createTask');
      const task = createTask(child(), { eagerStart: true });
      events.push(`main: after createTask, done=${task.done()}`);
      yield* task;
      events.push('main: end');
    }
    await runVirtual(main);
    expect(events).toEqual([
      'main: before createTask',
      'child: before sleep',
      'main: after createTask, done=false',
      'child: after sleep',
      'main: end',
    ]);
  });

  test('without eagerStart the same child runs only after the creator gives up the loop', async () => {
    const events: string[] = [];
    function* child(): Coro<void> {
      events.push('child: before sleep');
      yield* sleep(10);
      events.push('child: after sleep');
    }
    function* main(): Coro<void> {
      events.push('main: before createTask');
      const task = createTask(child());
      events.push('main: after createTask');
      yield* task;
      events.push('main: end');
    }
    await runVirtual(main);
    expect(events).toEqual([
      'main: before createTask',
      'main: after createTask',
      'child: before sleep',
      'child: after sleep',
      'main: end',
    ]);
  });

  test('a coroutine that finishes without suspending is done when createTask returns, and its getCoro() is null', async () => {
    function* child(): Coro<string> {
      return 'hello';
    }
    function* main(): Coro<[boolean, string, null | object, string]> {
      const task = createTask(child(), { eagerStart: true });
      const state: [boolean, string, null | object] = [task.done(), task.result(), task.getCoro()];
      return [...state, yield* task];
    }
    expect(await runVirtual(main)).toEqual([true, 'hello', null, 'hello']);
  });

  test('an eager task that suspends keeps its coroutine while pending', async () => {
    function* child(): Coro<string> {
      yield* sleep(5);
      return 'late';
    }
    function* main(): Coro<[boolean, boolean, string]> {
      const coro = child();
      const task = createTask(coro, { eagerStart: true });
      return [task.done(), task.getCoro() === coro, yield* task];
    }
    expect(await runVirtual(main)).toEqual([false, true, 'late']);
  });

  test('an eager task that throws at once is done with that very exception', async () => {
    const error = new RangeError('at once');
    function* child(): Coro<never> {
      throw error;
    }
    function* main(): Coro<[boolean, boolean, unknown, unknown, null | object]> {
      const task = createTask(child(), { eagerStart: true });
      const state: [boolean, boolean, unknown] = [task.done(), task.cancelled(), task.exception()];
      return [...state, yield* thrownByAwaiting(task), task.getCoro()];
    }
    const [done, cancelled, exception, awaited, coro] = await runVirtual(main);
    expect([done, cancelled, coro]).toEqual([true, false, null]);
    expect(exception).toBe(error);
    expect(awaited).toBe(error);
  });

  test('inside the eager step currentTask() is the eager task, and the creator is current again after', async () => {
    const seen: string[] = [];
    function* child(): Coro<void> {
      seen.push(`child step 1: ${currentTask()!.getName()}`);
      yield* sleep(1);
      seen.push(`child step 2: ${currentTask()!.getName()}`);
    }
    function* main(): Coro<void> {
      seen.push(`main before: ${currentTask()!.getName()}`);
      const task = createTask(child(), { eagerStart: true, name: 'eager-child' });
      seen.push(`main after: ${currentTask()!.getName()}`);
      yield* task;
    }
    await runVirtual(function* () {
      return yield* createTask(main(), { name: 'main' });
    });
    expect(seen).toEqual([
      'main before: main',
      'child step 1: eager-child',
      'main after: main',
      'child step 2: eager-child',
    ]);
  });

  test('nested eager starts restore each creator as the current task', async () => {
    const seen: string[] = [];
    const name = (): string => currentTask()!.getName();
    function* inner(): Coro<void> {
      seen.push(`inner runs as ${name()}`);
      yield* sleep(1);
    }
    function* outer(): Coro<void> {
      seen.push(`outer runs as ${name()}`);
      const task = createTask(inner(), { eagerStart: true, name: 'inner' });
      seen.push(`outer continues as ${name()}`);
      yield* task;
    }
    function* main(): Coro<void> {
      const task = createTask(outer(), { eagerStart: true, name: 'outer' });
      seen.push(`main continues as ${name()}`);
      yield* task;
    }
    await runVirtual(function* () {
      return yield* createTask(main(), { name: 'main' });
    });
    expect(seen).toEqual([
      'outer runs as outer',
      'inner runs as inner',
      'outer continues as outer',
      'main continues as main',
    ]);
  });

  test('the eager task runs in a copy of the creator context', async () => {
    const cv = new ContextVar<number>('cv', { default: 0 });
    const events: string[] = [];
    function* child(): Coro<void> {
      events.push(`child sees ${cv.get()}`);
      cv.set(2);
      yield* sleep(100);
      events.push(`child still sees ${cv.get()}`);
      cv.set(3);
    }
    function* main(): Coro<void> {
      cv.set(1);
      const task = createTask(child(), { eagerStart: true });
      events.push(`main after createTask sees ${cv.get()}`);
      yield* task;
      events.push(`main at the end sees ${cv.get()}`);
    }
    await runVirtual(main);
    expect(events).toEqual([
      'child sees 1',
      'main after createTask sees 1',
      'child still sees 2',
      'main at the end sees 1',
    ]);
  });

  test('allTasks() lists the eager task during its eager step, and not once it completed eagerly', async () => {
    let during: Set<Task<unknown>> | null = null;
    function* child(): Coro<void> {
      during = allTasks();
    }
    function* main(): Coro<[boolean, boolean]> {
      const task = createTask(child(), { eagerStart: true });
      return [during!.has(task), allTasks().has(task)];
    }
    expect(await runVirtual(main)).toEqual([true, false]);
  });

  test('an eager task that blocks stays in allTasks() until it is done', async () => {
    const seen: boolean[] = [];
    function* main(): Coro<boolean[]> {
      const loop = getRunningLoop();
      const first = loop.createFuture<void>();
      const second = loop.createFuture<void>();
      let task: Task<void> | null = null;
      function* child(): Coro<void> {
        seen.push(allTasks().size === 2);
        yield* first;
        second.setResult();
      }
      task = createTask(child(), { eagerStart: true });
      seen.push(allTasks().has(task));
      first.setResult();
      yield* second;
      // The child set `second` in its last step: it is done by the time main wakes.
      seen.push(allTasks().has(task), task.done());
      return seen;
    }
    expect(await runVirtual(main)).toEqual([true, true, false, true]);
  });

  test('a future the eager step resolves is done when createTask returns', async () => {
    function* setResult(future: Future<string>, value: string): Coro<void> {
      future.setResult(value);
    }
    function* main(): Coro<[boolean, boolean, string]> {
      const future = getRunningLoop().createFuture<string>();
      const task = createTask(setResult(future, 'my message'), { eagerStart: true });
      return [task.done(), future.done(), yield* future];
    }
    expect(await runVirtual(main)).toEqual([true, true, 'my message']);
  });

  test('cancel() of a task that completed eagerly returns false and keeps the result', async () => {
    function* child(): Coro<string> {
      return 'finished without blocking';
    }
    function* main(): Coro<[boolean, string, boolean]> {
      const task = createTask(child(), { eagerStart: true });
      const cancelled = task.cancel();
      return [cancelled, yield* task, task.cancelled()];
    }
    expect(await runVirtual(main)).toEqual([false, 'finished without blocking', false]);
  });

  test('cancel() after the eager step blocked cancels the task with the message', async () => {
    const events: string[] = [];
    function* child(): Coro<string> {
      try {
        yield* sleep(100);
        return 'finished after blocking';
      } catch (error) {
        events.push(`child caught ${(error as Error).message}`);
        throw error;
      }
    }
    function* main(): Coro<[number, unknown, number]> {
      const task = createTask(child(), { eagerStart: true });
      task.cancel('cancellation message');
      const cancelling = task.cancelling();
      const error = yield* thrownByAwaiting(task);
      return [cancelling, error, getRunningLoop().time()];
    }
    const [cancelling, error, time] = await runVirtual(main);
    expect([cancelling, time]).toEqual([1, 0]);
    expectError(error, CancelledError, 'cancellation message');
    expect(events).toEqual(['child caught cancellation message']);
  });

  test('eager tasks keep a given name and otherwise take the next number like every task', async () => {
    function* idle(): Coro<void> {
      yield* sleep(1);
    }
    function* main(): Coro<[string, string, number]> {
      const named = createTask(idle(), { eagerStart: true, name: 'worker' });
      const lazy = createTask(idle());
      const eager = createTask(idle(), { eagerStart: true });
      yield* gather([named, lazy, eager]);
      return [named.getName(), String(eager), taskNumber(eager) - taskNumber(lazy)];
    }
    const [name, text, gap] = await runVirtual(main);
    expect([name, gap]).toEqual(['worker', 1]);
    expect(text).toMatch(/^<Task finished name=Task-\d+ result=undefined>$/);
  });

  test('an eager start is skipped while the loop is not running: the task starts with the loop', async () => {
    const events: string[] = [];
    const loop = new VirtualTimeLoop();
    function* child(): Coro<string> {
      events.push('child runs');
      return 'ran';
    }
    const task = loop.createTask(child(), { eagerStart: true });
    events.push(`created, done=${task.done()}`);
    const result = await loop.runUntilComplete(task);
    loop.close();
    expect([...events, result]).toEqual(['created, done=false', 'child runs', 'ran']);
  });
});

describe('eagerTaskFactory', () => {
  test('once set on the loop, getTaskFactory() returns it and createTask() builds Task instances', async () => {
    const loop = loopWith(eagerTaskFactory);
    function* noop(): Coro<void> {}
    function* main(): Coro<[boolean, boolean, boolean]> {
      const task = createTask(noop());
      return [
        getRunningLoop().getTaskFactory() === eagerTaskFactory,
        task instanceof Task,
        task.done(),
      ];
    }
    expect(await runVirtual(main, loop)).toEqual([true, true, true]);
  });

  test('every createTask() call starts eagerly, without the eagerStart option', async () => {
    const events: string[] = [];
    function* child(name: string): Coro<void> {
      events.push(`${name} starts`);
      yield* sleep(1);
      events.push(`${name} ends`);
    }
    function* main(): Coro<void> {
      const a = createTask(child('a'));
      events.push('a created');
      const b = getRunningLoop().createTask(child('b'));
      events.push('b created');
      const c = ensureFuture(child('c'));
      events.push('c created');
      yield* gather([a, b, c]);
    }
    await runVirtual(main, loopWith(eagerTaskFactory));
    expect(events).toEqual([
      'a starts',
      'a created',
      'b starts',
      'b created',
      'c starts',
      'c created',
      'a ends',
      'b ends',
      'c ends',
    ]);
  });

  test('eagerStart: false passed to an eager factory starts the task lazily', async () => {
    const events: string[] = [];
    function* child(): Coro<void> {
      events.push('child runs');
    }
    function* main(): Coro<void> {
      const task = createTask(child(), { eagerStart: false });
      events.push(`created, done=${task.done()}`);
      yield* task;
      events.push('awaited');
    }
    await runVirtual(main, loopWith(eagerTaskFactory));
    expect(events).toEqual(['created, done=false', 'child runs', 'awaited']);
  });

  test('gather of coroutines that finish eagerly is done as soon as gather() returns', async () => {
    function* value<T>(v: T): Coro<T> {
      return v;
    }
    function* main(): Coro<[boolean, [string, number]]> {
      const all = gather([value('a'), value(2)]);
      return [all.done(), yield* all];
    }
    expect(await runVirtual(main, loopWith(eagerTaskFactory))).toEqual([true, ['a', 2]]);
  });

  test('gather of eager tasks that fail at once fails with the first error', async () => {
    const first = new Error('first');
    function* fails(error: Error): Coro<never> {
      throw error;
    }
    function* main(): Coro<[boolean, unknown]> {
      const all = gather([fails(first), fails(new Error('second'))]);
      return [all.done(), yield* thrownByAwaiting(all)];
    }
    const [done, error] = await runVirtual(main, loopWith(eagerTaskFactory));
    expect(done).toBe(true);
    expect(error).toBe(first);
  });

  test('a recursive gather whose leaves never wait leaves no task pending after creation', async () => {
    function* tree(width: number, depth: number): Coro<number> {
      if (depth === 0) return 1;
      const parts: Coro<number>[] = [];
      for (let i = 0; i < width; i++) parts.push(tree(width, depth - 1));
      const counts = yield* gather(parts);
      return counts.reduce((a, b) => a + b, 0);
    }
    const pendingAfterCreation = (eager: boolean): Promise<[number, number]> => {
      let counting = false;
      let pending = 0;
      class CountingTask<T> extends Task<T> {
        constructor(coro: Coro<T>, options?: TaskConstructorOptions) {
          super(coro, options);
          if (counting && !this.done()) pending++;
        }
      }
      function* measured(): Coro<number> {
        counting = true;
        const leaves = yield* tree(3, 3);
        counting = false;
        return leaves;
      }
      const factory: TaskFactory = eager
        ? createEagerTaskFactory(CountingTask)
        : (loop, coro, options) => new CountingTask(coro, { ...options, loop });
      return runVirtual(measured(), loopWith(factory)).then((leaves) => [leaves, pending]);
    };
    // Lazily every child of every gather is pending after creation: 3 + 9 + 27.
    expect(await pendingAfterCreation(false)).toEqual([27, 39]);
    expect(await pendingAfterCreation(true)).toEqual([27, 0]);
  });

  test('setTaskFactory(null) goes back to lazy tasks', async () => {
    const events: string[] = [];
    function* child(): Coro<void> {
      events.push('child runs');
    }
    function* main(): Coro<void> {
      getRunningLoop().setTaskFactory(null);
      const task = createTask(child());
      events.push(`created, factory=${getRunningLoop().getTaskFactory()}`);
      yield* task;
    }
    await runVirtual(main, loopWith(eagerTaskFactory));
    expect(events).toEqual(['created, factory=null', 'child runs']);
  });

  test('setTaskFactory() refuses what is not a function or null', () => {
    const loop = new VirtualTimeLoop();
    expectError(
      thrownBy(() => loop.setTaskFactory(5 as never)),
      TypeError,
      'task factory must be a function or null, got number',
    );
    loop.close();
  });
});

describe('createEagerTaskFactory(TaskClass)', () => {
  test('builds instances of the given Task subclass and starts them eagerly', async () => {
    class MyTask<T> extends Task<T> {}
    const events: string[] = [];
    function* child(): Coro<string> {
      events.push('child runs');
      return 'mine';
    }
    function* main(): Coro<[boolean, boolean, string]> {
      const task = createTask(child());
      events.push('created');
      return [task instanceof MyTask, task.done(), yield* task];
    }
    const result = await runVirtual(main, loopWith(createEagerTaskFactory(MyTask)));
    expect([result, events]).toEqual([
      [true, true, 'mine'],
      ['child runs', 'created'],
    ]);
  });

  test('calls the class with the coroutine and the options, eagerStart: true and the loop added', async () => {
    let recording = false;
    const received: [Coro<unknown>, TaskConstructorOptions][] = [];
    class RecordingTask<T> extends Task<T> {
      constructor(coro: Coro<T>, options?: TaskConstructorOptions) {
        if (recording) received.push([coro as Coro<unknown>, { ...options }]);
        super(coro, options);
      }
    }
    const loop = loopWith(createEagerTaskFactory(RecordingTask));
    function* noop(): Coro<void> {}
    const coros = [noop(), noop(), noop()];
    function* main(): Coro<void> {
      recording = true;
      yield* createTask(coros[0]!);
      yield* createTask(coros[1]!, { name: 'named' });
      yield* createTask(coros[2]!, { eagerStart: false });
      recording = false;
    }
    await runVirtual(main, loop);
    expect(received).toEqual([
      [coros[0], { eagerStart: true, loop }],
      [coros[1], { eagerStart: true, name: 'named', loop }],
      [coros[2], { eagerStart: false, loop }],
    ]);
    expect(received.map(([coro], i) => coro === coros[i])).toEqual([true, true, true]);
  });

  test('refuses what is not a class', () => {
    expectError(
      thrownBy(() => createEagerTaskFactory(5 as never)),
      TypeError,
      'createEagerTaskFactory() expects a Task class',
    );
  });
});

describe('task factories', () => {
  test('a factory always receives an options object, {} when none was given', async () => {
    let recording = false;
    const received: [string, TaskOptions][] = [];
    const loop = new VirtualTimeLoop();
    const factory: TaskFactory = (factoryLoop: EventLoop, coro: Coro<unknown>, options) => {
      if (recording) {
        received.push([factoryLoop === loop ? 'this loop' : 'other loop', { ...options }]);
      }
      return new Task(coro, { ...options, loop: factoryLoop });
    };
    loop.setTaskFactory(factory);
    function* noop(): Coro<void> {}
    function* main(): Coro<void> {
      recording = true;
      yield* createTask(noop());
      yield* createTask(noop(), { name: 'named' });
      yield* getRunningLoop().createTask(noop());
      yield* ensureFuture(noop());
      yield* gather([noop()]);
      yield* createTask(noop(), { eagerStart: true });
      recording = false;
    }
    await runVirtual(main, loop);
    expect(received).toEqual([
      ['this loop', {}],
      ['this loop', { name: 'named' }],
      ['this loop', {}],
      ['this loop', {}],
      ['this loop', {}],
      ['this loop', { eagerStart: true }],
    ]);
  });

  test('what the factory returns is what createTask() returns', async () => {
    const made: Task<unknown>[] = [];
    const loop = new VirtualTimeLoop();
    loop.setTaskFactory((factoryLoop, coro, options) => {
      const task = new Task(coro, { ...options, loop: factoryLoop });
      made.push(task);
      return task;
    });
    function* noop(): Coro<string> {
      return 'x';
    }
    function* main(): Coro<[boolean, boolean, string]> {
      const mainIsMade = made.at(-1) === currentTask();
      const task = createTask(noop());
      return [mainIsMade, made.at(-1) === task, yield* task];
    }
    expect(await runVirtual(main, loop)).toEqual([true, true, 'x']);
  });
});
