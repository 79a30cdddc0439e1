import { type Coro, getRunningLoop, RuntimeError, VirtualTimeLoop } from '@asyncio-ts/core-loop';
import { describe, expect, test } from 'vitest';
import { allTasks, createTask, currentTask, run, sleep, type Task } from '../src/index.js';
import { expectError, runVirtual, thrownBy } from './utils.js';

function names(tasks: Set<Task<unknown>>): string[] {
  return [...tasks].map((task) => task.getName());
}

/** The names given by the test: the tasks with a default `Task-N` name are left out. */
function givenNames(tasks: Set<Task<unknown>>): string[] {
  return names(tasks).filter((name) => !name.startsWith('Task-'));
}

describe('currentTask()', () => {
  test('inside a task is that task, at every step', async () => {
    const seen: boolean[] = [];
    function* child(): Coro<void> {
      const self = currentTask();
      seen.push(self === task);
      yield* sleep(10);
      seen.push(currentTask() === self);
      yield;
      seen.push(currentTask() === task);
    }
    let task: Task<void> | null = null;
    function* main(): Coro<void> {
      task = createTask(child());
      yield* task;
    }
    await runVirtual(main);
    expect(seen).toEqual([true, true, true]);
  });

  test('is the main task inside the coroutine run() drives', async () => {
    function* main(): Coro<[string, boolean]> {
      const self = currentTask()!;
      return [typeof self.getName(), self.getLoop() === getRunningLoop()];
    }
    expect(await runVirtual(main)).toEqual(['string', true]);
  });

  test('each of two interleaved tasks sees itself', async () => {
    const events: string[] = [];
    function* worker(): Coro<void> {
      for (let i = 0; i < 2; i++) {
        events.push(`${currentTask()!.getName()} step ${i}`);
        yield* sleep(10);
      }
    }
    function* main(): Coro<void> {
      const a = createTask(worker(), { name: 'a' });
      const b = createTask(worker(), { name: 'b' });
      yield* a;
      yield* b;
    }
    await runVirtual(main);
    expect(events).toEqual(['a step 0', 'b step 0', 'a step 1', 'b step 1']);
  });

  test('inside a plain callSoon callback is null', async () => {
    function* main(): Coro<[boolean, Task<unknown> | null]> {
      const loop = getRunningLoop();
      const future = loop.createFuture<Task<unknown> | null>();
      loop.callSoon(() => future.setResult(currentTask()));
      const inCallback = yield* future;
      return [currentTask() !== null, inCallback];
    }
    expect(await runVirtual(main)).toEqual([true, null]);
  });

  test('inside a timer callback and a done callback is null', async () => {
    const seen: (Task<unknown> | null)[] = [];
    function* main(): Coro<void> {
      const loop = getRunningLoop();
      loop.callLater(5, () => seen.push(currentTask()));
      const future = loop.createFuture<void>();
      future.addDoneCallback(() => seen.push(currentTask()));
      future.setResult();
      yield* sleep(10);
    }
    await runVirtual(main);
    expect(seen).toEqual([null, null]);
  });

  test('outside any loop throws RuntimeError "no running event loop"', () => {
    expectError(
      thrownBy(() => currentTask()),
      RuntimeError,
      'no running event loop',
    );
  });

  test('in a host callback while a loop waits throws RuntimeError "no running event loop"', async () => {
    let error: unknown = null;
    function* main(): Coro<void> {
      yield* getRunningLoop().runInExecutor(null, () => {
        error = thrownBy(() => currentTask());
      });
    }
    await run(main);
    expectError(error, RuntimeError, 'no running event loop');
  });

  test('with an explicit loop that is not running is null', () => {
    const loop = new VirtualTimeLoop();
    expect(currentTask(loop)).toBe(null);
    loop.close();
  });

  test('of another loop, asked from inside a task, is null', async () => {
    const other = new VirtualTimeLoop();
    function* main(): Coro<[boolean, Task<unknown> | null]> {
      return [currentTask(getRunningLoop()) === currentTask(), currentTask(other)];
    }
    expect(await runVirtual(main)).toEqual([true, null]);
    other.close();
  });
});

describe('allTasks()', () => {
  test('lists the pending tasks of the running loop, in creation order', async () => {
    function* main(): Coro<string[]> {
      createTask(sleep(10), { name: 'a' });
      createTask(sleep(20), { name: 'b' });
      return names(allTasks());
    }
    const listed = await runVirtual(function* () {
      return yield* createTask(main(), { name: 'main' });
    });
    expect(listed.filter((name) => !name.startsWith('Task-'))).toEqual(['main', 'a', 'b']);
  });

  test('a task leaves the set once it is done, whether it finished, failed or was cancelled', async () => {
    const snapshots: string[][] = [];
    function* fails(): Coro<never> {
      yield* sleep(20);
      throw new Error('failed');
    }
    function* main(): Coro<void> {
      const finishes = createTask(sleep(10), { name: 'finishes' });
      const failing = createTask(fails(), { name: 'fails' });
      const cancelled = createTask(sleep(30), { name: 'cancelled' });
      snapshots.push(givenNames(allTasks()));
      yield* finishes;
      snapshots.push(givenNames(allTasks()));
      try {
        yield* failing;
      } catch {}
      snapshots.push(givenNames(allTasks()));
      cancelled.cancel();
      yield* sleep(0);
      snapshots.push(givenNames(allTasks()));
    }
    await runVirtual(function* () {
      return yield* createTask(main(), { name: 'main' });
    });
    expect(snapshots).toEqual([
      ['main', 'finishes', 'fails', 'cancelled'],
      ['main', 'fails', 'cancelled'],
      ['main', 'cancelled'],
      ['main'],
    ]);
  });

  test('returns a copy: changing it changes nothing', async () => {
    function* main(): Coro<[number, number]> {
      createTask(sleep(10));
      const tasks = allTasks();
      tasks.clear();
      return [tasks.size, allTasks().size];
    }
    expect(await runVirtual(main)).toEqual([0, 2]);
  });

  test('of a loop given explicitly lists its tasks, even before it runs', async () => {
    const loop = new VirtualTimeLoop();
    function* noop(): Coro<string> {
      return 'ran';
    }
    const empty = allTasks(loop).size;
    const task = loop.createTask(noop(), { name: 'queued' });
    const before = names(allTasks(loop) as Set<Task<unknown>>);
    const result = await loop.runUntilComplete(task);
    const after = allTasks(loop).size;
    loop.close();
    expect([empty, before, result, after]).toEqual([0, ['queued'], 'ran', 0]);
  });

  test('keeps the tasks of different loops apart', async () => {
    const other = new VirtualTimeLoop();
    function* noop(): Coro<void> {}
    other.createTask(noop(), { name: 'elsewhere' });
    function* main(): Coro<[string[], string[]]> {
      createTask(sleep(1), { name: 'here' });
      return [
        names(allTasks()).filter((n) => n !== currentTask()!.getName()),
        names(allTasks(other)),
      ];
    }
    const result = await runVirtual(main);
    other.close();
    expect(result).toEqual([['here'], ['elsewhere']]);
  });

  test('outside any loop throws RuntimeError "no running event loop"', () => {
    expectError(
      thrownBy(() => allTasks()),
      RuntimeError,
      'no running event loop',
    );
  });
});
