import { getEventListeners } from 'node:events';
import { CancelledError, type Coro, getRunningLoop, VirtualTimeLoop } from '@asyncio-ts/core-loop';
import { describe, expect, test } from 'vitest';
import { createTask, currentTask, Runner, run, sleep } from '../src/index.js';
import { expectError, rejectionOf, runVirtual, thrownByAwaiting } from './utils.js';

function abortListeners(signal: AbortSignal): number {
  return getEventListeners(signal, 'abort').length;
}

describe('createTask(coro, { signal })', () => {
  test('aborting with a string reason cancels the task with that reason as the message', async () => {
    const events: string[] = [];
    const controller = new AbortController();
    function* child(): Coro<void> {
      try {
        events.push('child waits');
        yield* sleep(1000);
        events.push('child woke');
      } catch (error) {
        events.push(
          `child caught ${(error as Error).constructor.name}: ${(error as Error).message}`,
        );
        throw error;
      }
    }
    function* main(): Coro<[unknown, boolean, number]> {
      const task = createTask(child(), { signal: controller.signal });
      getRunningLoop().callLater(250, () => controller.abort('user left'));
      const error = yield* thrownByAwaiting(task);
      return [error, task.cancelled(), getRunningLoop().time()];
    }
    const [error, cancelled, time] = await runVirtual(main);
    expectError(error, CancelledError, 'user left');
    expect([cancelled, time]).toEqual([true, 250]);
    expect(events).toEqual(['child waits', 'child caught CancelledError: user left']);
  });

  test('an Error reason gives its message to the CancelledError', async () => {
    const controller = new AbortController();
    function* main(): Coro<unknown> {
      const task = createTask(sleep(1000), { signal: controller.signal });
      yield* sleep(10);
      controller.abort(new RangeError('too far'));
      return yield* thrownByAwaiting(task);
    }
    expectError(await runVirtual(main), CancelledError, 'too far');
  });

  test('abort() without a reason gives the AbortError message', async () => {
    const controller = new AbortController();
    function* main(): Coro<unknown> {
      const task = createTask(sleep(1000), { signal: controller.signal });
      yield* sleep(10);
      controller.abort();
      return yield* thrownByAwaiting(task);
    }
    expectError(await runVirtual(main), CancelledError, 'This operation was aborted');
  });

  test('a reason that is neither a string nor an Error is turned into a string', async () => {
    const controller = new AbortController();
    function* main(): Coro<unknown> {
      const task = createTask(sleep(1000), { signal: controller.signal });
      yield* sleep(10);
      controller.abort(42);
      return yield* thrownByAwaiting(task);
    }
    expectError(await runVirtual(main), CancelledError, '42');
  });

  test('an already aborted signal cancels the task before its first step', async () => {
    const events: string[] = [];
    function* child(): Coro<void> {
      events.push('child body ran');
      yield* sleep(1);
    }
    function* main(): Coro<[unknown, boolean, number]> {
      const signal = AbortSignal.abort('too late');
      const task = createTask(child(), { signal });
      const cancelling = task.cancelling();
      const error = yield* thrownByAwaiting(task);
      return [error, task.cancelled(), cancelling];
    }
    const [error, cancelled, cancelling] = await runVirtual(main);
    expectError(error, CancelledError, 'too late');
    expect([cancelled, cancelling, events]).toEqual([true, 1, []]);
  });

  test('an already aborted signal cancels an eager task before its first step too', async () => {
    const events: string[] = [];
    function* child(): Coro<void> {
      events.push('child body ran');
      yield* sleep(1);
    }
    function* main(): Coro<[boolean, boolean, null | object, unknown]> {
      const task = createTask(child(), { signal: AbortSignal.abort('never'), eagerStart: true });
      const state: [boolean, boolean, null | object] = [
        task.done(),
        task.cancelled(),
        task.getCoro(),
      ];
      return [...state, yield* thrownByAwaiting(task)];
    }
    const [done, cancelled, coro, error] = await runVirtual(main);
    expect([done, cancelled, coro, events]).toEqual([true, true, null, []]);
    expectError(error, CancelledError, 'never');
  });

  test('aborting a task that waits on another task cancels that task too, inner first', async () => {
    const events: string[] = [];
    const controller = new AbortController();
    function* inner(): Coro<void> {
      try {
        yield* sleep(1000);
      } finally {
        events.push('inner finally');
      }
    }
    function* outer(): Coro<void> {
      try {
        yield* createTask(inner());
      } finally {
        events.push('outer finally');
      }
    }
    function* main(): Coro<unknown> {
      const task = createTask(outer(), { signal: controller.signal });
      yield* sleep(5);
      controller.abort('stop all');
      return yield* thrownByAwaiting(task);
    }
    expectError(await runVirtual(main), CancelledError, 'stop all');
    expect(events).toEqual(['inner finally', 'outer finally']);
  });

  test('a task may catch the cancellation from its signal, uncancel and return a value', async () => {
    const controller = new AbortController();
    function* child(): Coro<string> {
      try {
        yield* sleep(1000);
        return 'slept';
      } catch (error) {
        const self = currentTask()!;
        const before = self.cancelling();
        self.uncancel();
        return `caught "${(error as Error).message}", cancelling ${before} then ${self.cancelling()}`;
      }
    }
    function* main(): Coro<[string, boolean]> {
      const task = createTask(child(), { signal: controller.signal });
      yield* sleep(1);
      controller.abort('please stop');
      const value = yield* task;
      return [value, task.cancelled()];
    }
    expect(await runVirtual(main)).toEqual(['caught "please stop", cancelling 1 then 0', false]);
  });

  test('two tasks that follow one signal are both cancelled, in the order they were created', async () => {
    const events: string[] = [];
    const controller = new AbortController();
    function* child(name: string): Coro<void> {
      try {
        yield* sleep(1000);
      } finally {
        events.push(`${name} finally`);
      }
    }
    function* main(): Coro<[boolean, boolean]> {
      const a = createTask(child('a'), { signal: controller.signal });
      const b = createTask(child('b'), { signal: controller.signal });
      yield* sleep(1);
      controller.abort('both');
      yield* thrownByAwaiting(a);
      yield* thrownByAwaiting(b);
      return [a.cancelled(), b.cancelled()];
    }
    expect(await runVirtual(main)).toEqual([true, true]);
    expect(events).toEqual(['a finally', 'b finally']);
  });

  test('aborting after the task is done changes nothing', async () => {
    const controller = new AbortController();
    function* main(): Coro<[string, boolean, string]> {
      const task = createTask(sleep(5, 'kept'), { signal: controller.signal });
      const value = yield* task;
      controller.abort('too late');
      yield* sleep(1);
      return [value, task.cancelled(), task.result()];
    }
    expect(await runVirtual(main)).toEqual(['kept', false, 'kept']);
  });

  test('an eager task follows its signal once it waits', async () => {
    const events: string[] = [];
    const controller = new AbortController();
    function* child(): Coro<void> {
      events.push('eager step');
      yield* sleep(100);
      events.push('not reached');
    }
    function* main(): Coro<unknown> {
      const task = createTask(child(), { signal: controller.signal, eagerStart: true });
      events.push('created');
      controller.abort('eager stop');
      return yield* thrownByAwaiting(task);
    }
    expectError(await runVirtual(main), CancelledError, 'eager stop');
    expect(events).toEqual(['eager step', 'created']);
  });
});

describe('the abort listener', () => {
  test('is added while the task is pending and removed once it finished normally', async () => {
    const controller = new AbortController();
    const counts: number[] = [abortListeners(controller.signal)];
    function* main(): Coro<void> {
      const task = createTask(sleep(10), { signal: controller.signal });
      counts.push(abortListeners(controller.signal));
      yield* task;
      counts.push(abortListeners(controller.signal));
    }
    await runVirtual(main);
    expect(counts).toEqual([0, 1, 0]);
  });

  test('is removed once the task was cancelled by the signal', async () => {
    const controller = new AbortController();
    function* main(): Coro<number> {
      const task = createTask(sleep(1000), { signal: controller.signal });
      yield* sleep(1);
      controller.abort('x');
      yield* thrownByAwaiting(task);
      return abortListeners(controller.signal);
    }
    expect(await runVirtual(main)).toBe(0);
  });

  test('is removed once the task failed', async () => {
    const controller = new AbortController();
    function* fails(): Coro<never> {
      yield* sleep(1);
      throw new Error('failed');
    }
    function* main(): Coro<number> {
      const task = createTask(fails(), { signal: controller.signal });
      yield* thrownByAwaiting(task);
      return abortListeners(controller.signal);
    }
    expect(await runVirtual(main)).toBe(0);
  });

  test('is never added for a signal that was aborted already', async () => {
    const signal = AbortSignal.abort('gone');
    function* main(): Coro<number> {
      const task = createTask(sleep(1), { signal });
      const count = abortListeners(signal);
      yield* thrownByAwaiting(task);
      return count;
    }
    expect(await runVirtual(main)).toBe(0);
  });
});

describe('run(main, { signal })', () => {
  test('aborting rejects run() with a CancelledError carrying the reason', async () => {
    const controller = new AbortController();
    const loop = new VirtualTimeLoop();
    const events: string[] = [];
    function* main(): Coro<string> {
      getRunningLoop().callLater(100, () => controller.abort('shutting down'));
      try {
        yield* sleep(1000);
        return 'finished';
      } finally {
        events.push(`main finally at ${loop.time()}`);
      }
    }
    const error = await rejectionOf(
      run(main, { loopFactory: () => loop, signal: controller.signal }),
    );
    expectError(error, CancelledError, 'shutting down');
    expect([events, loop.time(), loop.isClosed()]).toEqual([['main finally at 100'], 100, true]);
  });

  test('an abort from outside the loop wakes it and cancels main', async () => {
    const controller = new AbortController();
    const events: string[] = [];
    function* main(): Coro<void> {
      events.push('main waits');
      try {
        yield* sleep(60_000);
      } finally {
        events.push('main finally');
      }
    }
    const promise = run(main, { signal: controller.signal });
    events.push('run returned');
    setImmediate(() => controller.abort('from outside'));
    expectError(await rejectionOf(promise), CancelledError, 'from outside');
    expect(events).toEqual(['main waits', 'run returned', 'main finally']);
  });

  test('an already aborted signal rejects run() before main runs', async () => {
    const events: string[] = [];
    function* main(): Coro<void> {
      events.push('main ran');
    }
    const error = await rejectionOf(
      run(main, { loopFactory: () => new VirtualTimeLoop(), signal: AbortSignal.abort('no') }),
    );
    expectError(error, CancelledError, 'no');
    expect(events).toEqual([]);
  });

  test('a signal that never aborts lets run() settle with the value and keeps no listener', async () => {
    const controller = new AbortController();
    function* main(): Coro<[string, number]> {
      yield* sleep(10);
      return ['value', abortListeners(controller.signal)];
    }
    const result = await run(main, {
      loopFactory: () => new VirtualTimeLoop(),
      signal: controller.signal,
    });
    expect([result, abortListeners(controller.signal)]).toEqual([['value', 1], 0]);
  });

  test('Runner.run() with a signal cancels only that run', async () => {
    const controller = new AbortController();
    const runner = new Runner({ loopFactory: () => new VirtualTimeLoop() });
    const loop = runner.getLoop();
    function* waits(): Coro<string> {
      loop.callLater(30, () => controller.abort('first run only'));
      yield* sleep(1000);
      return 'not reached';
    }
    function* next(): Coro<string> {
      yield* sleep(5);
      return 'second run';
    }
    const error = await rejectionOf(runner.run(waits(), { signal: controller.signal }));
    const value = await runner.run(next());
    await runner.close();
    expectError(error, CancelledError, 'first run only');
    expect([value, loop.time()]).toEqual(['second run', 35]);
  });
});
