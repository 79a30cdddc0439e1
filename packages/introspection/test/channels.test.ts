import diagnosticsChannel from 'node:diagnostics_channel';
import { type Coro, VirtualTimeLoop } from '@asyncio-ts/core-loop';
import { createTask, run, sleep, type Task } from '@asyncio-ts/tasks';
import { afterEach, describe, expect, it } from 'vitest';
import {
  TASK_CANCELLED_CHANNEL,
  TASK_CREATED_CHANNEL,
  TASK_DONE_CHANNEL,
  type TaskLifecycleMessage,
} from '../src/index.js';

const subscriptions: [string, (message: unknown) => void][] = [];

function subscribe(name: string, onMessage: (message: TaskLifecycleMessage) => void): void {
  const listener = (message: unknown): void => onMessage(message as TaskLifecycleMessage);
  diagnosticsChannel.subscribe(name, listener);
  subscriptions.push([name, listener]);
}

afterEach(() => {
  for (const [name, listener] of subscriptions.splice(0)) {
    diagnosticsChannel.unsubscribe(name, listener);
  }
});

function runLoop<T>(main: () => Coro<T>): Promise<T> {
  return run(main, { loopFactory: () => new VirtualTimeLoop() });
}

function* fails(): Coro<void> {
  yield* sleep(1);
  throw new Error('failed');
}

describe('task lifecycle channels', () => {
  it('have the documented names', () => {
    expect([TASK_CREATED_CHANNEL, TASK_DONE_CHANNEL, TASK_CANCELLED_CHANNEL]).toEqual([
      'asyncio-ts:task:created',
      'asyncio-ts:task:done',
      'asyncio-ts:task:cancelled',
    ]);
  });

  it('publish created, cancelled and done, each once per task, in the order they happen', async () => {
    const log: string[] = [];
    const named = (message: TaskLifecycleMessage): string => (message.task as Task).getName();
    subscribe(TASK_CREATED_CHANNEL, (m) => log.push(`created ${named(m)}`));
    subscribe(TASK_CANCELLED_CHANNEL, (m) => log.push(`cancelled ${named(m)}`));
    subscribe(TASK_DONE_CHANNEL, (m) => log.push(`done ${named(m)} ${m.task.cancelled()}`));
    await runLoop(function* () {
      const ok = createTask(sleep(2, 'ok'), { name: 'ok' });
      const bad = createTask(fails(), { name: 'bad' });
      const stopped = createTask(sleep(100), { name: 'stopped' });
      yield* sleep(5);
      stopped.cancel();
      yield* sleep(1);
      bad.exception();
      return ok.result();
    });
    const own = log.filter((line) => !line.includes('Task-'));
    expect(own).toEqual([
      'created ok',
      'created bad',
      'created stopped',
      'done bad false',
      'done ok false',
      'cancelled stopped',
      'done stopped true',
    ]);
  });

  it('carry the task object itself', async () => {
    const created: unknown[] = [];
    const done: unknown[] = [];
    subscribe(TASK_CREATED_CHANNEL, (m) => created.push(m.task));
    subscribe(TASK_DONE_CHANNEL, (m) => done.push(m.task));
    let task: Task<void> | null = null;
    await runLoop(function* () {
      task = createTask(sleep(1), { name: 'x' });
      yield* task;
    });
    expect([
      created.filter((t) => t === task).length,
      done.filter((t) => t === task).length,
    ]).toEqual([1, 1]);
  });

  it('are published only to the channels that have subscribers', async () => {
    const log: string[] = [];
    subscribe(TASK_DONE_CHANNEL, (m) => log.push(`done ${(m.task as Task).getName()}`));
    expect([
      diagnosticsChannel.channel(TASK_CREATED_CHANNEL).hasSubscribers,
      diagnosticsChannel.channel(TASK_DONE_CHANNEL).hasSubscribers,
    ]).toEqual([false, true]);
    await runLoop(function* () {
      yield* createTask(sleep(1), { name: 'child' });
    });
    expect(log.filter((line) => !line.includes('Task-'))).toEqual(['done child']);
  });
});
