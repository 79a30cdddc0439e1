import { CancelledError, type Coro, Future, getRunningLoop } from '@asyncio-ts/core-loop';
import { describe, expect, test } from 'vitest';
import { abortable, createTask, sleep } from '../src/index.js';
import { expectError, runVirtual, thrownBy, thrownByAwaiting } from './utils.js';

/** A promise settled by hand, with the signal `abortable` gave its start function. */
function controlled<T>(): {
  start: (signal: AbortSignal) => Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
  signal: () => AbortSignal;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  let received: AbortSignal | null = null;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return {
    start: (signal) => {
      received = signal;
      return promise;
    },
    resolve,
    reject,
    signal: () => received!,
  };
}

describe('abortable()', () => {
  test('settles with the value of the promise start returns', async () => {
    function* main(): Coro<[number, boolean]> {
      let signal: AbortSignal | null = null;
      const value = yield* abortable((s) => {
        signal = s;
        return Promise.resolve(7);
      });
      return [value, signal!.aborted];
    }
    expect(await runVirtual(main)).toEqual([7, false]);
  });

  test('calls start at once, with an AbortSignal that is not aborted', async () => {
    const events: string[] = [];
    function* main(): Coro<string> {
      const future = abortable((signal) => {
        events.push(`start: ${signal instanceof AbortSignal}, aborted=${signal.aborted}`);
        return new Promise<string>((resolve) => setImmediate(() => resolve('later')));
      });
      events.push(`returned a Future: ${future instanceof Future}, done=${future.done()}`);
      return yield* future;
    }
    expect(await runVirtual(main)).toBe('later');
    expect(events).toEqual(['start: true, aborted=false', 'returned a Future: true, done=false']);
  });

  test('cancelling the waiting task aborts the signal with the cancel message, before the task sees CancelledError', async () => {
    const events: string[] = [];
    const op = controlled<string>();
    function* waiter(): Coro<string> {
      try {
        return yield* abortable(op.start);
      } catch (error) {
        events.push(
          `task caught ${(error as Error).constructor.name}: ${(error as Error).message}`,
        );
        throw error;
      }
    }
    function* main(): Coro<[unknown, unknown, boolean]> {
      const task = createTask(waiter());
      yield* sleep(10);
      op.signal().addEventListener('abort', () => {
        events.push(`signal aborted: ${op.signal().reason}`);
      });
      task.cancel('user went away');
      const error = yield* thrownByAwaiting(task);
      return [error, op.signal().reason, task.cancelled()];
    }
    const [error, reason, cancelled] = await runVirtual(main);
    expectError(error, CancelledError, 'user went away');
    expect([reason, cancelled]).toEqual(['user went away', true]);
    expect(events).toEqual([
      'signal aborted: user went away',
      'task caught CancelledError: user went away',
    ]);
  });

  test('a cancel without a message aborts with the reason "cancelled"', async () => {
    const op = controlled<void>();
    function* main(): Coro<[unknown, unknown]> {
      const task = createTask(
        (function* (): Coro<void> {
          yield* abortable(op.start);
        })(),
      );
      yield* sleep(1);
      task.cancel();
      const error = yield* thrownByAwaiting(task);
      return [error, op.signal().reason];
    }
    const [error, reason] = await runVirtual(main);
    expectError(error, CancelledError, '');
    expect(reason).toBe('cancelled');
  });

  test('cancelling the future itself aborts the signal on the next loop iteration', async () => {
    const op = controlled<number>();
    function* main(): Coro<[boolean, boolean, boolean, unknown]> {
      const future = abortable(op.start);
      const cancelled = future.cancel('direct');
      const abortedAtOnce = op.signal().aborted;
      yield* sleep(0);
      return [cancelled, abortedAtOnce, op.signal().aborted, op.signal().reason];
    }
    expect(await runVirtual(main)).toEqual([true, false, true, 'direct']);
  });

  test('a promise that rejects fails the future with that very error', async () => {
    const error = new TypeError('network down');
    function* main(): Coro<[unknown, unknown]> {
      const future = abortable(() => Promise.reject(error));
      const awaited = yield* thrownByAwaiting(future);
      return [awaited, future.exception()];
    }
    const [awaited, exception] = await runVirtual(main);
    expect(awaited).toBe(error);
    expect(exception).toBe(error);
  });

  test('a start function that throws fails the future with that error', async () => {
    const error = new Error('could not start');
    function* main(): Coro<unknown> {
      return yield* thrownByAwaiting(
        abortable(() => {
          throw error;
        }),
      );
    }
    expect(await runVirtual(main)).toBe(error);
  });

  test('a promise that settles after the cancellation leaves the future cancelled', async () => {
    const op = controlled<string>();
    function* main(): Coro<[boolean, unknown]> {
      const future = abortable(op.start);
      future.cancel('stop');
      op.resolve('too late');
      yield* sleep(0);
      return [future.cancelled(), yield* thrownByAwaiting(future)];
    }
    const [cancelled, error] = await runVirtual(main);
    expect(cancelled).toBe(true);
    expectError(error, CancelledError, 'stop');
  });

  test('work that stops on abort (a fetch-like promise) ends with the task', async () => {
    const events: string[] = [];
    function fetchLike(signal: AbortSignal): Promise<string> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => resolve('response'), 60_000);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          events.push(`request aborted: ${signal.reason}`);
          reject(signal.reason);
        });
      });
    }
    function* main(): Coro<unknown> {
      const task = createTask(
        (function* (): Coro<string> {
          return yield* abortable(fetchLike);
        })(),
      );
      yield* sleep(5);
      task.cancel('timeout');
      return yield* thrownByAwaiting(task);
    }
    expectError(await runVirtual(main), CancelledError, 'timeout');
    expect(events).toEqual(['request aborted: timeout']);
  });

  test('refuses what is not a function', () => {
    expectError(
      thrownBy(() => abortable(5 as never)),
      TypeError,
      'abortable() expects a function of an AbortSignal, got number',
    );
  });

  test('the future belongs to the running loop', async () => {
    function* main(): Coro<boolean> {
      const future = abortable(() => Promise.resolve(1));
      const same = future.getLoop() === getRunningLoop();
      yield* future;
      return same;
    }
    expect(await runVirtual(main)).toBe(true);
  });
});
