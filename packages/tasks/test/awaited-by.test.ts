import {
  type Coro,
  type ExceptionContext,
  type Future,
  futureAwaitedBy,
  getRunningLoop,
} from '@asyncio-ts/core-loop';
import { describe, expect, it } from 'vitest';
import { createTask, currentTask, gather, sleep } from '../src/index.js';
import { hostTurn, runVirtual } from './utils.js';

/** Which of `known` (by position) each waiter is: futures cannot be compared with toEqual. */
function positions(waiters: Future<unknown>[], known: Future<unknown>[]): number[] {
  return waiters.map((waiter) => known.indexOf(waiter));
}

describe('who awaits what, for call graphs', () => {
  it('a task waiting on a future is among its awaiters until the future is done', async () => {
    const seen = await runVirtual(function* () {
      const fut = getRunningLoop().createFuture<number>();
      const a = createTask(
        (function* (): Coro<number> {
          return yield* fut;
        })(),
      );
      const b = createTask(
        (function* (): Coro<number> {
          return yield* fut;
        })(),
      );
      yield* sleep(1);
      const waiting = positions(futureAwaitedBy(fut), [a, b]);
      fut.setResult(7);
      const after = futureAwaitedBy(fut).length;
      return [waiting, after, yield* a, yield* b];
    });
    expect(seen).toEqual([[0, 1], 0, 7, 7]);
  });

  it('a task awaiting another task is its awaiter', async () => {
    const seen = await runVirtual(function* () {
      const child = createTask(sleep(10, 'c'));
      const parent = createTask(
        (function* (): Coro<string> {
          return yield* child;
        })(),
      );
      yield* sleep(1);
      return [positions(futureAwaitedBy(child), [parent]), yield* parent];
    });
    expect(seen).toEqual([[0], 'c']);
  });

  it('gather records the gathering task as the awaiter of each pending child, until it is done', async () => {
    const seen = await runVirtual(function* () {
      const me = currentTask()!;
      const fast = createTask(sleep(1, 'fast'));
      const slow = createTask(sleep(5, 'slow'));
      const done = createTask(sleep(0, 'done'));
      yield* sleep(0);
      const snapshots: number[][] = [];
      const watcher = createTask(
        (function* (): Coro<void> {
          yield* sleep(2);
          snapshots.push(positions(futureAwaitedBy(fast), [me]));
          snapshots.push(positions(futureAwaitedBy(slow), [me]));
        })(),
      );
      const results = yield* gather([fast, slow, done]);
      yield* watcher;
      return [results, snapshots, futureAwaitedBy(slow).length, futureAwaitedBy(done).length];
    });
    expect(seen).toEqual([['fast', 'slow', 'done'], [[], [0]], 0, 0]);
  });

  it('gather called outside any task records no awaiter', async () => {
    const seen = await runVirtual(function* () {
      const loop = getRunningLoop();
      const child = createTask(sleep(5, 'x'));
      const gathered = loop.createFuture<number>();
      loop.callSoon(() => {
        gather([child]);
        gathered.setResult(futureAwaitedBy(child).length);
      });
      return yield* gathered;
    });
    expect(seen).toBe(0);
  });
});

describe('"Task exception was never retrieved" for an error made inside the coroutine', () => {
  it('is reported: the error does not keep its task alive', async () => {
    const reports: ExceptionContext[] = [];
    function* failsInside(): Coro<void> {
      yield* sleep(1);
      throw new Error('made in the task');
    }
    const startForgotten = (): void => {
      createTask(failsInside(), { name: 'forgotten' });
    };
    await runVirtual(function* () {
      getRunningLoop().setExceptionHandler((_loop, context) => reports.push(context));
      startForgotten();
      yield* sleep(5);
      for (let turn = 0; turn < 100 && reports.length === 0; turn++) {
        (globalThis as { gc?: () => void }).gc!();
        yield hostTurn();
      }
    });
    expect(reports.map((r) => [r.message, (r.exception as Error).message, r.future])).toEqual([
      [
        'Task exception was never retrieved',
        'made in the task',
        '<Task finished name=forgotten exception=Error("made in the task")>',
      ],
    ]);
  });
});
