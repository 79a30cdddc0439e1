import * as coreLoop from '@asyncio-ts/core-loop';
import * as introspection from '@asyncio-ts/introspection';
import * as syncPrimitives from '@asyncio-ts/sync-primitives';
import * as taskGroups from '@asyncio-ts/task-groups';
import * as tasks from '@asyncio-ts/tasks';
import * as threads from '@asyncio-ts/threads';
import * as timeouts from '@asyncio-ts/timeouts';
import { describe, expect, it } from 'vitest';
import * as asyncio from '../src/index.js';

// The names of the package sections of the API contract.
const coreLoopNames = [
  'EventLoop',
  'Handle',
  'TimerHandle',
  'Future',
  'isFuture',
  'getRunningLoop',
  'getEventLoop',
  'newEventLoop',
  'setEventLoop',
  'CancelledError',
  'InvalidStateError',
  'TimeoutError',
  'RuntimeError',
  'KeyboardInterrupt',
  'ContextVar',
  'Context',
  'copyContext',
  'VirtualTimeLoop',
] as const;

const tasksNames = [
  'run',
  'Runner',
  'Task',
  'createTask',
  'ensureFuture',
  'sleep',
  'gather',
  'currentTask',
  'allTasks',
  'eagerTaskFactory',
  'createEagerTaskFactory',
  'isCoroutine',
  'isCoroutineFunction',
  'wrapFuture',
  'abortable',
  'aiter',
] as const;

const syncPrimitivesNames = [
  'Lock',
  'Event',
  'Condition',
  'Semaphore',
  'BoundedSemaphore',
  'Barrier',
  'BrokenBarrierError',
  'Queue',
  'PriorityQueue',
  'LifoQueue',
  'QueueEmpty',
  'QueueFull',
  'QueueShutDown',
] as const;

const taskGroupsNames = [
  'TaskGroup',
  'taskGroup',
  'shield',
  'ExceptionGroup',
  'splitGroup',
] as const;

const timeoutsNames = [
  'timeout',
  'timeoutAt',
  'Timeout',
  'waitFor',
  'wait',
  'FIRST_COMPLETED',
  'FIRST_EXCEPTION',
  'ALL_COMPLETED',
  'asCompleted',
] as const;

const threadsNames = [
  'toThread',
  'WorkerPoolExecutor',
  'runCoroutineThreadsafe',
  'parentLoop',
  'currentJobSignal',
  'ConcurrentFuture',
  'BrokenWorkerError',
  'startWorker',
  'transfer',
  'isFunctionRef',
] as const;

const introspectionNames = [
  'captureCallGraph',
  'formatCallGraph',
  'printCallGraph',
  'futureAddToAwaitedBy',
  'futureDiscardFromAwaitedBy',
  'setIntrospection',
  'enableLiveView',
  'takeSnapshot',
  'TASK_CREATED_CHANNEL',
  'TASK_DONE_CHANNEL',
  'TASK_CANCELLED_CHANNEL',
] as const;

describe('asyncio-ts re-exports', () => {
  it.each(coreLoopNames)('%s is the same object as in @asyncio-ts/core-loop', (name) => {
    expect(asyncio[name]).toBeDefined();
    expect(asyncio[name]).toBe(coreLoop[name]);
  });

  it.each(tasksNames)('%s is the same object as in @asyncio-ts/tasks', (name) => {
    expect(asyncio[name]).toBeDefined();
    expect(asyncio[name]).toBe(tasks[name]);
  });

  it.each(syncPrimitivesNames)(
    '%s is the same object as in @asyncio-ts/sync-primitives',
    (name) => {
      expect(asyncio[name]).toBeDefined();
      expect(asyncio[name]).toBe(syncPrimitives[name]);
    },
  );

  it.each(taskGroupsNames)('%s is the same object as in @asyncio-ts/task-groups', (name) => {
    expect(asyncio[name]).toBeDefined();
    expect(asyncio[name]).toBe(taskGroups[name]);
  });

  it.each(timeoutsNames)('%s is the same object as in @asyncio-ts/timeouts', (name) => {
    expect(asyncio[name]).toBeDefined();
    expect(asyncio[name]).toBe(timeouts[name]);
  });

  it.each(threadsNames)('%s is the same object as in @asyncio-ts/threads', (name) => {
    expect(asyncio[name]).toBeDefined();
    expect(asyncio[name]).toBe(threads[name]);
  });

  it.each(introspectionNames)('%s is the same object as in @asyncio-ts/introspection', (name) => {
    expect(asyncio[name]).toBeDefined();
    expect(asyncio[name]).toBe(introspection[name]);
  });

  it('runs a program written against the umbrella package alone', async () => {
    const { run, createTask, sleep, gather, VirtualTimeLoop } = asyncio;
    const loop = new VirtualTimeLoop();
    const events: string[] = [];
    function* sayAfter(ms: number, what: string) {
      yield* sleep(ms);
      events.push(`${what}@${loop.time()}`);
      return what;
    }
    const result = await run(
      function* () {
        const a = createTask(sayAfter(1000, 'hello'));
        const b = createTask(sayAfter(2000, 'world'));
        return yield* gather([a, b]);
      },
      { loopFactory: () => loop },
    );
    expect(result).toEqual(['hello', 'world']);
    expect(events).toEqual(['hello@1000', 'world@2000']);
    expect(loop.isClosed()).toBe(true);
  });
  it('runs a task group under a timeout, written against the umbrella package alone', async () => {
    const { run, sleep, taskGroup, timeout, TimeoutError, CancelledError, VirtualTimeLoop } =
      asyncio;
    const loop = new VirtualTimeLoop();
    const events: string[] = [];
    function* child(name: string, ms: number) {
      try {
        yield* sleep(ms);
        events.push(`${name} done@${loop.time()}`);
      } catch (error) {
        events.push(`${name} ${(error as Error).constructor.name}@${loop.time()}`);
        throw error;
      }
    }
    const error = await run(
      function* () {
        try {
          yield* timeout(150, function* () {
            yield* taskGroup(function* (tg) {
              tg.createTask(child('fast', 100));
              tg.createTask(child('slow', 1000));
            });
          });
        } catch (caught) {
          return caught;
        }
        return null;
      },
      { loopFactory: () => loop },
    );
    expect(events).toEqual(['fast done@100', 'slow CancelledError@150']);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).cause).toBeInstanceOf(CancelledError);
  });
});
