import {
  type Coro,
  getRunningLoop,
  RuntimeError,
  type TimerHandle,
  VirtualTimeLoop,
} from '@asyncio-ts/core-loop';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createTask, sleep } from '../src/index.js';
import { expectError, hostTimer, now, runVirtual, thrownBy, thrownByAwaiting } from './utils.js';

describe('sleep(ms, value)', () => {
  it('returns the value at exactly the virtual time', async () => {
    const loop = new VirtualTimeLoop();
    const seen = await runVirtual(function* () {
      const value = yield* sleep(1500, 'yeah');
      expectTypeOf(value).toEqualTypeOf<string>();
      return [value, now()];
    }, loop);
    expect(seen).toEqual(['yeah', 1500]);
    expect(loop.time()).toBe(1500);
  });

  it('returns undefined when no value is given', async () => {
    const value = await runVirtual(function* () {
      const v = yield* sleep(10);
      expectTypeOf(v).toEqualTypeOf<undefined>();
      return v;
    });
    expect(value).toBeUndefined();
  });

  it('adds up when one sleep follows another', async () => {
    const log: number[] = [];
    const loop = new VirtualTimeLoop();
    await runVirtual(function* () {
      yield* sleep(100);
      log.push(now());
      yield* sleep(250);
      log.push(now());
    }, loop);
    expect(log).toEqual([100, 350]);
    expect(loop.time()).toBe(350);
  });

  it('overlaps across tasks: each wakes at its deadline, ties in the order they slept', async () => {
    const log: string[] = [];
    const loop = new VirtualTimeLoop();
    await runVirtual(function* () {
      function* sleeper(name: string, ms: number): Coro<void> {
        yield* sleep(ms);
        log.push(`${name} at ${now()}`);
      }
      const tasks = [
        createTask(sleeper('c', 30)),
        createTask(sleeper('a', 10)),
        createTask(sleeper('b1', 20)),
        createTask(sleeper('b2', 20)),
      ];
      for (const task of tasks) yield* task;
    }, loop);
    expect(log).toEqual(['a at 10', 'b1 at 20', 'b2 at 20', 'c at 30']);
    expect(loop.time()).toBe(30);
  });

  it('keeps its value’s type', async () => {
    const value = await runVirtual(function* () {
      const v = yield* sleep(1, { answer: 42 });
      expectTypeOf(v).toEqualTypeOf<{ answer: number }>();
      return v;
    });
    expect(value).toEqual({ answer: 42 });
  });
});

describe('sleep(0) and negative delays', () => {
  it('sleep(0) gives up the loop exactly once and takes no time', async () => {
    const log: string[] = [];
    const loop = new VirtualTimeLoop();
    await runVirtual(function* () {
      const a = createTask(
        (function* (): Coro<void> {
          log.push('A1');
          const value = yield* sleep(0, 'zero');
          log.push(`A2 ${value}`);
        })(),
      );
      const b = createTask(
        (function* (): Coro<void> {
          log.push('B1');
          yield;
          log.push('B2');
        })(),
      );
      yield* a;
      yield* b;
    }, loop);
    expect(log).toEqual(['A1', 'B1', 'A2 zero', 'B2']);
    expect(loop.time()).toBe(0);
  });

  it('sleep(0) schedules no timer', async () => {
    const timers: number[] = [];
    await runVirtual(function* () {
      const loop = getRunningLoop();
      const callLater = loop.callLater.bind(loop);
      loop.callLater = ((delay: number, cb: () => void) => {
        timers.push(delay);
        return callLater(delay, cb);
      }) as typeof loop.callLater;
      yield* sleep(0);
    });
    expect(timers).toEqual([]);
  });

  it('treats sleep(-5) as sleep(0): one iteration, no time, the value back', async () => {
    const log: string[] = [];
    const loop = new VirtualTimeLoop();
    await runVirtual(function* () {
      const a = createTask(
        (function* (): Coro<void> {
          log.push('A1');
          log.push(`A2 ${yield* sleep(-5, 'negative')}`);
        })(),
      );
      const b = createTask(
        (function* (): Coro<void> {
          log.push('B1');
        })(),
      );
      yield* a;
      yield* b;
    }, loop);
    expect(log).toEqual(['A1', 'B1', 'A2 negative']);
    expect(loop.time()).toBe(0);
  });
});

describe('sleep() refuses a bad delay', () => {
  it('throws RangeError "Invalid delay: NaN (not a number)" for NaN', async () => {
    const error = await runVirtual(function* () {
      return yield* thrownByAwaiting(sleep(Number.NaN));
    });
    expectError(error, RangeError, 'Invalid delay: NaN (not a number)');
  });

  it('throws TypeError for a string delay', async () => {
    const error = await runVirtual(function* () {
      return yield* thrownByAwaiting(sleep('1' as unknown as number));
    });
    expectError(error, TypeError, 'sleep() delay must be a number, got string');
  });

  it('fails the task that sleeps, when the bad delay is awaited inside it', async () => {
    const seen = await runVirtual(function* () {
      const task = createTask(sleep(Number.NaN));
      const error = yield* thrownByAwaiting(task);
      return [task.done(), task.cancelled(), (error as Error).constructor.name];
    });
    expect(seen).toEqual([true, false, 'RangeError']);
  });

  it('throws RuntimeError "no running event loop" when it runs outside a loop', () => {
    expectError(
      thrownBy(() => sleep(10).next()),
      RuntimeError,
      'no running event loop',
    );
  });
});

describe('cancelling a sleep', () => {
  it('cancels its timer, so the clock never jumps to the deadline and the run ends at time 0', async () => {
    const loop = new VirtualTimeLoop();
    const seen = await runVirtual(function* () {
      const sleeper = createTask(sleep(3_600_000));
      yield;
      sleeper.cancel();
      const error = yield* thrownByAwaiting(sleeper);
      // The loop idles here: a timer left behind would move the virtual clock to 3600000.
      yield hostTimer();
      return [(error as Error).constructor.name, sleeper.cancelled(), now()];
    }, loop);
    expect(seen).toEqual(['CancelledError', true, 0]);
    expect(loop.time()).toBe(0);
  });

  it('cancels the very timer handle the sleep scheduled', async () => {
    const handles: TimerHandle[] = [];
    const seen = await runVirtual(function* () {
      const loop = getRunningLoop();
      const callLater = loop.callLater.bind(loop) as (
        delay: number,
        cb: (...args: unknown[]) => unknown,
        ...args: unknown[]
      ) => TimerHandle;
      loop.callLater = ((
        delay: number,
        cb: (...args: unknown[]) => unknown,
        ...args: unknown[]
      ) => {
        const handle = callLater(delay, cb, ...args);
        handles.push(handle);
        return handle;
      }) as typeof loop.callLater;
      const sleeper = createTask(sleep(10_000, 'yeah'));
      yield;
      const before = handles.map((h) => [h.when(), h.cancelled()]);
      sleeper.cancel();
      yield;
      const after = handles.map((h) => [h.when(), h.cancelled()]);
      return [before, after];
    });
    expect(seen).toEqual([[[10_000, false]], [[10_000, true]]]);
  });

  it('ends the sleeping task at the time of the cancel, and its awaiter sees that time', async () => {
    const loop = new VirtualTimeLoop();
    const result = await runVirtual(function* () {
      const sleeper = createTask(sleep(5000));
      getRunningLoop().callLater(100, () => sleeper.cancel());
      try {
        yield* sleeper;
        return `slept in until ${now()}`;
      } catch {
        return `cancelled at ${now()}`;
      }
    }, loop);
    expect(result).toBe('cancelled at 100');
    expect(loop.time()).toBe(100);
  });

  it('cancels sleep(Infinity), which otherwise never ends', async () => {
    const loop = new VirtualTimeLoop();
    const seen = await runVirtual(function* () {
      const sleeper = createTask(sleep(Number.POSITIVE_INFINITY));
      yield* sleep(10);
      sleeper.cancel('woken');
      const error = yield* thrownByAwaiting(sleeper);
      return [(error as Error).message, now()];
    }, loop);
    expect(seen).toEqual(['woken', 10]);
    expect(loop.time()).toBe(10);
  });
});
