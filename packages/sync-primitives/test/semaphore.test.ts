import { inspect } from 'node:util';
import { type Coro, getRunningLoop } from '@asyncio-ts/core-loop';
import { createTask, gather, sleep, type Task } from '@asyncio-ts/tasks';
import { describe, expect, it } from 'vitest';
import { BoundedSemaphore, Semaphore } from '../src/index.js';
import {
  expectError,
  nameAndMessage,
  runVirtual,
  thrownBy,
  thrownByAwaiting,
  ticks,
} from './utils.js';

describe('Semaphore basics', () => {
  it('is locked when created with 0 and unlocked with the default value of 1', () => {
    expect([new Semaphore(0).locked(), new Semaphore().locked()]).toEqual([true, false]);
  });

  it('refuses a negative initial value with RangeError "Semaphore initial value must be >= 0"', () => {
    expectError(
      thrownBy(() => new Semaphore(-1)),
      RangeError,
      'Semaphore initial value must be >= 0',
    );
    expectError(
      thrownBy(() => new BoundedSemaphore(-1)),
      RangeError,
      'Semaphore initial value must be >= 0',
    );
  });

  it('shows its state, value and waiters in toString() and inspect()', async () => {
    const seen = await runVirtual(function* () {
      const sem = new Semaphore();
      const shapes = [String(sem)];
      yield* sem.acquire();
      shapes.push(String(sem));
      const waiters = [createTask(sem.acquire()), createTask(sem.acquire())];
      yield;
      shapes.push(String(sem), inspect(sem), String(new BoundedSemaphore(2)));
      sem.release();
      sem.release();
      yield* gather(waiters);
      return shapes;
    });
    expect(seen).toEqual([
      '<Semaphore [unlocked, value:1]>',
      '<Semaphore [locked]>',
      '<Semaphore [locked, waiters:2]>',
      '<Semaphore [locked, waiters:2]>',
      '<BoundedSemaphore [unlocked, value:2]>',
    ]);
  });

  it('lets release() without an acquire raise the count above the initial value', async () => {
    const seen = await runVirtual(function* () {
      const sem = new Semaphore(1);
      sem.release();
      yield* sem.acquire();
      yield* sem.acquire();
      return [String(sem), sem.locked()];
    });
    expect(seen).toEqual(['<Semaphore [locked]>', true]);
  });

  it('BoundedSemaphore refuses a release above its initial value with RangeError', async () => {
    const seen = await runVirtual(function* () {
      const sem = new BoundedSemaphore(2);
      const first = thrownBy(() => sem.release());
      yield* sem.acquire();
      sem.release();
      const second = thrownBy(() => sem.release());
      return [nameAndMessage(first), nameAndMessage(second), String(sem)];
    });
    expect(seen).toEqual([
      ['RangeError', 'BoundedSemaphore released too many times'],
      ['RangeError', 'BoundedSemaphore released too many times'],
      '<BoundedSemaphore [unlocked, value:2]>',
    ]);
  });

  it('release() with no waiters unlocks it', async () => {
    const seen = await runVirtual(function* () {
      const sem = new Semaphore();
      yield* sem.acquire();
      const locked = sem.locked();
      sem.release();
      return [locked, sem.locked()];
    });
    expect(seen).toEqual([true, false]);
  });
});

describe('Semaphore fairness', () => {
  it('serves waiters in order when slots come back (CPython test_acquire)', async () => {
    const seen = await runVirtual(function* () {
      const sem = new Semaphore(3);
      const result: number[] = [];
      yield* sem.acquire();
      yield* sem.acquire();
      const lockedAfterTwo = sem.locked();
      function* c(n: number): Coro<boolean> {
        yield* sem.acquire();
        result.push(n);
        return true;
      }
      const t1 = createTask(c(1));
      const t2 = createTask(c(2));
      const t3 = createTask(c(3));
      yield;
      const first = [[...result], String(sem)];
      const t4 = createTask(c(4));
      sem.release();
      sem.release();
      yield;
      const second = [[...result], String(sem)];
      sem.release();
      yield* gather([t1, t2, t3, t4]);
      return [lockedAfterTwo, first, second, result];
    });
    expect(seen).toEqual([
      false,
      [[1], '<Semaphore [locked, waiters:2]>'],
      [[1, 2, 3], '<Semaphore [locked, waiters:1]>'],
      [1, 2, 3, 4],
    ]);
  });

  it('is locked while earlier waiters are queued, even with a free slot', async () => {
    const seen = await runVirtual(function* () {
      const sem = new Semaphore(0);
      const waiter = createTask(sem.acquire());
      yield;
      sem.release();
      // The slot is promised to the waiter, which has not run yet.
      const state = [sem.locked(), String(sem)];
      yield* waiter;
      return state;
    });
    expect(seen).toEqual([true, '<Semaphore [locked, waiters:1]>']);
  });

  it('alternates three tasks round by round (CPython test_acquire_fifo_order)', async () => {
    const seen = await runVirtual(function* () {
      const sem = new Semaphore(1);
      const result: string[] = [];
      function* coro(tag: string): Coro<void> {
        for (const round of [1, 2]) {
          yield* sem.acquire();
          result.push(`${tag}_${round}`);
          yield* sleep(10);
          sem.release();
        }
      }
      yield* gather(['c1', 'c2', 'c3'].map((t) => createTask(coro(t))));
      return result;
    });
    expect(seen).toEqual(['c1_1', 'c2_1', 'c3_1', 'c1_2', 'c2_2', 'c3_2']);
  });

  it('makes a task that releases and re-acquires queue behind the others (CPython test_acquire_fifo_order_2)', async () => {
    const seen = await runVirtual(function* () {
      const sem = new Semaphore(1);
      const result: number[] = [];
      const t1 = createTask(
        (function* () {
          yield* sem.acquire();
          result.push(1);
        })(),
      );
      const t2 = createTask(
        (function* () {
          yield* sem.acquire();
          result.push(2);
          sem.release();
          yield* sem.acquire();
          result.push(4);
        })(),
      );
      const t3 = createTask(
        (function* () {
          yield* sem.acquire();
          result.push(3);
        })(),
      );
      yield;
      sem.release();
      sem.release();
      yield* gather([t1, t2, t3]);
      return result;
    });
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('skips a waiter cancelled before any release (CPython test_acquire_fifo_order_3)', async () => {
    const seen = await runVirtual(function* () {
      const sem = new Semaphore(0);
      const result: number[] = [];
      function* c(n: number): Coro<void> {
        yield* sem.acquire();
        result.push(n);
      }
      const tasks = [1, 2, 3].map((n) => createTask(c(n)));
      yield;
      tasks[0]!.cancel();
      yield;
      sem.release();
      sem.release();
      yield* gather(tasks, { returnExceptions: true });
      return result;
    });
    expect(seen).toEqual([2, 3]);
  });

  it('a successful acquire wakes every waiter that FIFO held back (CPython test_acquire_fifo_order_4)', async () => {
    const seen = await runVirtual(function* () {
      const sem = new Semaphore(0);
      const result: number[] = [];
      const checks: unknown[] = [];
      let t4: Task<void> | null = null;
      const t1 = createTask(
        (function* () {
          checks.push(['c1 before', String(sem)]);
          yield* sem.acquire();
          checks.push(['c1 after', String(sem)]);
          t4 = createTask(
            (function* () {
              result.push(4);
            })(),
          );
          result.push(1);
        })(),
      );
      const t2 = createTask(
        (function* () {
          sem.release();
          sem.release();
          sem.release();
          checks.push(['c2 released three', String(sem)]);
          yield* sem.acquire();
          result.push(2);
        })(),
      );
      const t3 = createTask(
        (function* () {
          yield* sem.acquire();
          checks.push(['c3 acquired, locked', sem.locked()]);
          result.push(3);
        })(),
      );
      yield;
      checks.push(['main', String(sem)]);
      yield;
      yield* gather([t1, t2, t3]);
      yield* t4!;
      return [result, checks];
    });
    expect(seen).toEqual([
      [1, 2, 3, 4],
      [
        ['c1 before', '<Semaphore [locked]>'],
        ['c2 released three', '<Semaphore [locked, waiters:1]>'],
        ['main', '<Semaphore [locked, waiters:3]>'],
        ['c1 after', '<Semaphore [locked, waiters:2]>'],
        ['c3 acquired, locked', true],
      ],
    ]);
  });
});

describe('Semaphore cancellation', () => {
  it('a waiter cancelled while waiting throws CancelledError and leaves no live waiter', async () => {
    const seen = await runVirtual(function* () {
      const sem = new Semaphore();
      yield* sem.acquire();
      const acquire = createTask(sem.acquire());
      getRunningLoop().callSoon(() => acquire.cancel());
      const error = yield* thrownByAwaiting(acquire);
      return [nameAndMessage(error), String(sem)];
    });
    expect(seen).toEqual([['CancelledError', ''], '<Semaphore [locked]>']);
  });

  it('gives the slot to the first waiter not cancelled (CPython test_acquire_cancel_before_awoken)', async () => {
    const seen = await runVirtual(function* () {
      const sem = new Semaphore(0);
      const tasks = [1, 2, 3, 4].map(() => createTask(sem.acquire()));
      yield;
      tasks[0]!.cancel();
      tasks[1]!.cancel();
      sem.release();
      yield* ticks(2);
      const done = tasks.map((t) => t.done());
      tasks[2]!.cancel();
      tasks[3]!.cancel();
      yield;
      return done;
    });
    expect(seen).toEqual([true, true, true, false]);
  });

  it('does not hang when the first waiter is cancelled and a slot is released (CPython test_acquire_hang)', async () => {
    const seen = await runVirtual(function* () {
      const sem = new Semaphore(0);
      const t1 = createTask(sem.acquire());
      const t2 = createTask(sem.acquire());
      yield;
      t1.cancel();
      sem.release();
      yield* ticks(2);
      return [sem.locked(), t1.cancelled(), t2.done()];
    });
    expect(seen).toEqual([true, true, true]);
  });

  it('a waiter woken and then cancelled before it runs gives its slot to the next waiter', async () => {
    const seen = await runVirtual(function* () {
      const sem = new Semaphore(0);
      const log: string[] = [];
      function* waiter(name: string): Coro<void> {
        try {
          yield* sem.acquire();
          log.push(`${name} acquired`);
        } catch (error) {
          log.push(`${name} ${nameAndMessage(error)[0]}`);
        }
      }
      const a = createTask(waiter('a'));
      const b = createTask(waiter('b'));
      yield;
      sem.release(); // promises the slot to a
      a.cancel(); // a's future is already done: a gives the slot back and wakes b
      yield* ticks(3);
      const outcome = [log, b.done(), String(sem)];
      if (!b.done()) b.cancel();
      yield* gather([b], { returnExceptions: true });
      return outcome;
    });
    expect(seen).toEqual([['a CancelledError', 'b acquired'], true, '<Semaphore [locked]>']);
  });

  it('counts a slot once when a woken waiter is cancelled and nobody else waits', async () => {
    const seen = await runVirtual(function* () {
      const sem = new Semaphore(0);
      const a = createTask(sem.acquire());
      yield;
      sem.release();
      a.cancel();
      const error = yield* thrownByAwaiting(a);
      const state = String(sem);
      yield* sem.acquire();
      return [nameAndMessage(error)[0], state, String(sem)];
    });
    expect(seen).toEqual([
      'CancelledError',
      '<Semaphore [unlocked, value:1]>',
      '<Semaphore [locked]>',
    ]);
  });

  it('stays usable after a holder cancels a waiter that was about to get the slot (CPython test_acquire_no_hang)', async () => {
    const seen = await runVirtual(function* () {
      const sem = new Semaphore(1);
      const log: string[] = [];
      let t2: Task<void> | null = null;
      const t1 = createTask(
        (function* () {
          yield* sem.with(function* () {
            yield;
          });
          t2!.cancel();
        })(),
      );
      t2 = createTask(
        sem.with(function* () {
          log.push('t2 body ran');
        }),
      );
      const results = yield* gather([t1, t2], { returnExceptions: true });
      const again = yield* sem.acquire();
      return [log, results.map((r) => (r instanceof Error ? nameAndMessage(r)[0] : r)), again];
    });
    expect(seen).toEqual([[], [undefined, 'CancelledError'], true]);
  });
});

describe('Semaphore.with(body)', () => {
  it('limits how many bodies run at once to the number of slots', async () => {
    const seen = await runVirtual(function* () {
      const sem = new Semaphore(2);
      const log: string[] = [];
      let running = 0;
      let most = 0;
      function* job(name: string): Coro<string> {
        return yield* sem.with(function* () {
          running++;
          most = Math.max(most, running);
          log.push(`${name} start`);
          yield* sleep(10);
          log.push(`${name} end`);
          running--;
          return name;
        });
      }
      const results = yield* gather(['a', 'b', 'c', 'd'].map((n) => createTask(job(n))));
      return [results, most, log, String(sem)];
    });
    expect(seen).toEqual([
      ['a', 'b', 'c', 'd'],
      2,
      ['a start', 'b start', 'a end', 'b end', 'c start', 'd start', 'c end', 'd end'],
      '<Semaphore [unlocked, value:2]>',
    ]);
  });

  it('gives the slot back when the body throws or the task is cancelled inside it', async () => {
    const seen = await runVirtual(function* () {
      const sem = new BoundedSemaphore(1);
      const failed = yield* thrownByAwaiting(
        sem.with(function* () {
          throw new Error('boom');
        }),
      );
      const afterError = String(sem);
      const task = createTask(
        sem.with(function* () {
          yield* sleep(1000);
        }),
      );
      yield;
      const during = String(sem);
      task.cancel();
      const cancelled = yield* thrownByAwaiting(task);
      return [
        nameAndMessage(failed),
        afterError,
        during,
        nameAndMessage(cancelled)[0],
        String(sem),
      ];
    });
    expect(seen).toEqual([
      ['Error', 'boom'],
      '<BoundedSemaphore [unlocked, value:1]>',
      '<BoundedSemaphore [locked]>',
      'CancelledError',
      '<BoundedSemaphore [unlocked, value:1]>',
    ]);
  });
});

describe('Semaphore from outside the loop', () => {
  it('release() from a host timer callback wakes the waiter', async () => {
    const seen = await runVirtual(function* () {
      const sem = new Semaphore(0);
      const log: string[] = [];
      setTimeout(() => {
        log.push('host releases');
        sem.release();
      }, 1);
      log.push(`acquired: ${yield* sem.acquire()}`);
      return log;
    });
    expect(seen).toEqual(['host releases', 'acquired: true']);
  });
});
