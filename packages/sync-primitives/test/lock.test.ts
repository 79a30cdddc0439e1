import { inspect } from 'node:util';
import { type Coro, type Future, getRunningLoop, RuntimeError } from '@asyncio-ts/core-loop';
import { createTask, gather, sleep } from '@asyncio-ts/tasks';
import { describe, expect, it } from 'vitest';
import { Barrier, BoundedSemaphore, Condition, Event, Lock, Semaphore } from '../src/index.js';
import {
  expectError,
  hostTimer,
  nameAndMessage,
  runVirtual,
  thrownBy,
  thrownByAwaiting,
  ticks,
} from './utils.js';

describe('Lock basics', () => {
  it('is unlocked when new, locked after acquire() and unlocked after release()', async () => {
    const seen = await runVirtual(function* () {
      const lock = new Lock();
      const states: unknown[] = [lock.locked()];
      states.push(yield* lock.acquire(), lock.locked());
      lock.release();
      states.push(lock.locked());
      return states;
    });
    expect(seen).toEqual([false, true, true, false]);
  });

  it('shows its state and waiters in toString() and inspect()', async () => {
    const seen = await runVirtual(function* () {
      const lock = new Lock();
      const shapes = [String(lock)];
      yield* lock.acquire();
      shapes.push(String(lock));
      const waiter = createTask(lock.acquire());
      yield;
      shapes.push(String(lock), inspect(lock));
      lock.release();
      yield* waiter;
      shapes.push(String(lock));
      lock.release();
      return shapes;
    });
    expect(seen).toEqual([
      '<Lock [unlocked]>',
      '<Lock [locked]>',
      '<Lock [locked, waiters:1]>',
      '<Lock [locked, waiters:1]>',
      '<Lock [locked]>',
    ]);
  });

  it.each([
    ['Lock', () => new Lock()],
    ['Condition', () => new Condition()],
    ['Event', () => new Event()],
    ['Semaphore', () => new Semaphore()],
    ['BoundedSemaphore', () => new BoundedSemaphore()],
    ['Barrier', () => new Barrier(2)],
  ])('refuses to be awaited itself: yield* on a %s is a TypeError', async (name, make) => {
    const error = await runVirtual(function* () {
      const primitive = make() as unknown as Iterable<undefined>;
      return yield* thrownByAwaiting(primitive as never);
    });
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(new RegExp(`^'${name}' object can't be awaited`));
  });

  it('release() of an unlocked lock throws RuntimeError "Lock is not acquired."', () => {
    const lock = new Lock();
    expectError(
      thrownBy(() => lock.release()),
      RuntimeError,
      'Lock is not acquired.',
    );
  });

  it('acquire() is a coroutine: calling it without yield* takes nothing', async () => {
    const seen = await runVirtual(function* () {
      const lock = new Lock();
      lock.acquire();
      return lock.locked();
    });
    expect(seen).toBe(false);
  });

  it('can be created outside a loop and used by two runs one after the other', async () => {
    const lock = new Lock();
    const first = await runVirtual(function* () {
      return yield* lock.acquire();
    });
    lock.release();
    const second = await runVirtual(function* () {
      return yield* lock.acquire();
    });
    expect([first, second, lock.locked()]).toEqual([true, true, true]);
  });

  it('refuses to wait on a second loop once a wait bound it to the first', async () => {
    const lock = new Lock();
    await runVirtual(function* () {
      yield* lock.acquire();
      const waiter = createTask(lock.acquire());
      yield;
      lock.release();
      yield* waiter;
    });
    const error = await runVirtual(function* () {
      return yield* thrownByAwaiting(lock.acquire());
    });
    expectError(error, RuntimeError, '<Lock [locked]> is bound to a different event loop');
  });
});

describe('Lock fairness', () => {
  it('hands the lock to waiters in the order they asked (CPython test_acquire)', async () => {
    const seen = await runVirtual(function* () {
      const lock = new Lock();
      const result: number[] = [];
      const snapshots: number[][] = [];
      yield* lock.acquire();
      function* c(n: number): Coro<boolean> {
        if (yield* lock.acquire()) result.push(n);
        return true;
      }
      const t1 = createTask(c(1));
      const t2 = createTask(c(2));
      yield;
      snapshots.push([...result]);
      lock.release();
      yield;
      snapshots.push([...result]);
      yield;
      snapshots.push([...result]);
      const t3 = createTask(c(3));
      lock.release();
      yield;
      snapshots.push([...result]);
      lock.release();
      yield;
      snapshots.push([...result]);
      return [snapshots, [t1, t2, t3].map((t) => [t.done(), t.result()])];
    });
    expect(seen).toEqual([
      [[], [1], [1], [1, 2], [1, 2, 3]],
      [
        [true, true],
        [true, true],
        [true, true],
      ],
    ]);
  });

  it('serves five contending tasks strictly first come, first served', async () => {
    const order = await runVirtual(function* () {
      const lock = new Lock();
      const log: string[] = [];
      function* worker(name: string): Coro<void> {
        for (let round = 0; round < 2; round++) {
          yield* lock.acquire();
          log.push(`${name}${round}`);
          yield* sleep(1);
          lock.release();
        }
      }
      yield* gather(['a', 'b', 'c', 'd', 'e'].map((n) => createTask(worker(n))));
      return log;
    });
    expect(order).toEqual(['a0', 'b0', 'c0', 'd0', 'e0', 'a1', 'b1', 'c1', 'd1', 'e1']);
  });

  it('does not let a newcomer barge past a waiter that was woken but has not run yet', async () => {
    const order = await runVirtual(function* () {
      const lock = new Lock();
      const log: string[] = [];
      yield* lock.acquire();
      const waiter = createTask(
        (function* () {
          yield* lock.acquire();
          log.push('waiter');
          lock.release();
        })(),
      );
      yield;
      // The newcomer's first step is queued before the waiter's wake-up: it runs while the lock
      // is free and the woken waiter has not taken it yet, and must still queue behind it.
      const newcomer = createTask(
        (function* () {
          yield* lock.acquire();
          log.push('newcomer');
          lock.release();
        })(),
      );
      lock.release();
      log.push(`locked after release: ${lock.locked()}`);
      yield* gather([waiter, newcomer]);
      return log;
    });
    expect(order).toEqual(['locked after release: false', 'waiter', 'newcomer']);
  });

  it('lets a newcomer take a free lock at once when every queued waiter was cancelled', async () => {
    const seen = await runVirtual(function* () {
      const lock = new Lock();
      yield* lock.acquire();
      const waiter = createTask(lock.acquire());
      yield;
      waiter.cancel();
      lock.release();
      // The waiter's future is cancelled but the waiter has not left the queue yet.
      const log: unknown[] = [String(lock)];
      const fast = lock.acquire().next();
      log.push(fast.done, fast.value, lock.locked());
      log.push(nameAndMessage(yield* thrownByAwaiting(waiter)), String(lock));
      return log;
    });
    expect(seen).toEqual([
      '<Lock [unlocked, waiters:1]>',
      true,
      true,
      true,
      ['CancelledError', ''],
      '<Lock [locked]>',
    ]);
  });
});

describe('Lock cancellation', () => {
  it('a waiter cancelled while waiting throws CancelledError and leaves the queue', async () => {
    const seen = await runVirtual(function* () {
      const lock = new Lock();
      yield* lock.acquire();
      const task = createTask(lock.acquire());
      getRunningLoop().callSoon(() => task.cancel());
      const error = yield* thrownByAwaiting(task);
      return [nameAndMessage(error), String(lock)];
    });
    expect(seen).toEqual([['CancelledError', ''], '<Lock [locked]>']);
  });

  it('skips a waiter cancelled at the moment the holder releases (CPython test_cancel_race)', async () => {
    const seen = await runVirtual(function* () {
      const lock = new Lock();
      const log: string[] = [];
      function* lockit(name: string, blocker: Future<null> | null): Coro<void> {
        yield* lock.acquire();
        log.push(`${name} acquired`);
        try {
          if (blocker !== null) yield* blocker;
        } finally {
          lock.release();
          log.push(`${name} released`);
        }
      }
      const fa = getRunningLoop().createFuture<null>();
      const ta = createTask(lockit('A', fa));
      yield;
      const tb = createTask(lockit('B', null));
      yield;
      const tc = createTask(lockit('C', null));
      yield;
      fa.setResult(null);
      tb.cancel();
      yield;
      const middle = [lock.locked(), ta.done(), tb.cancelled()];
      yield* tc;
      return [log, middle, lock.locked()];
    });
    expect(seen).toEqual([
      ['A acquired', 'A released', 'C acquired', 'C released'],
      [false, true, true],
      false,
    ]);
  });

  it('takes the lock only once when a waiter is cancelled and the lock released together (bpo-32734)', async () => {
    const seen = await runVirtual(function* () {
      const loop = getRunningLoop();
      const lock = new Lock();
      let lockCount = 0;
      let callCount = 0;
      function* lockit(): Coro<void> {
        callCount++;
        yield* lock.acquire();
        lockCount++;
      }
      yield* lock.acquire();
      const t1 = createTask(lockit());
      const t2 = createTask(lockit());
      const t3 = createTask(lockit());
      yield;
      loop.callSoon(() => {
        t1.cancel();
        lock.release();
      });
      const error = yield* thrownByAwaiting(t1);
      const seenThen = [nameAndMessage(error), lockCount, callCount, t1.cancelled(), t2.done()];
      t3.cancel();
      yield;
      return [...seenThen, t3.cancelled()];
    });
    expect(seen).toEqual([['CancelledError', ''], 1, 3, true, true, true]);
  });

  it('a newcomer takes the lock when the only waiter was cancelled as it was released (CPython test_finished_waiter_cancelled)', async () => {
    const seen = await runVirtual(function* () {
      const lock = new Lock();
      yield* lock.acquire();
      const tb = createTask(lock.acquire());
      yield;
      const tc = createTask(lock.acquire());
      tb.cancel();
      lock.release();
      yield;
      const after = [lock.locked(), tb.cancelled(), tc.done()];
      yield* tc;
      return [...after, tc.result()];
    });
    expect(seen).toEqual([true, true, true, true]);
  });

  it('a waiter woken and then cancelled before it runs wakes the waiter behind it', async () => {
    const order = await runVirtual(function* () {
      const lock = new Lock();
      const log: string[] = [];
      yield* lock.acquire();
      function* waiter(name: string): Coro<void> {
        try {
          yield* lock.acquire();
        } catch (error) {
          log.push(`${name} ${nameAndMessage(error)[0]}`);
          throw error;
        }
        log.push(`${name} acquired`);
        lock.release();
      }
      const tb = createTask(waiter('b'));
      const tc = createTask(waiter('c'));
      yield;
      lock.release(); // wakes b
      tb.cancel(); // b's future is already done: the CancelledError arrives when b runs
      yield* ticks(3);
      const outcome = [log, lock.locked(), tb.cancelled(), tc.done()];
      if (!tc.done()) tc.cancel();
      yield* gather([tc], { returnExceptions: true });
      return outcome;
    });
    expect(order).toEqual([['b CancelledError', 'c acquired'], false, true, true]);
  });

  it('keeps the lock held by its owner when a waiter is cancelled, and does not wake anyone', async () => {
    const seen = await runVirtual(function* () {
      const lock = new Lock();
      yield* lock.acquire();
      const tb = createTask(lock.acquire());
      const tc = createTask(lock.acquire());
      yield;
      tb.cancel();
      yield* ticks(2);
      return [lock.locked(), tb.cancelled(), tc.done(), String(lock)];
    });
    expect(seen).toEqual([true, true, false, '<Lock [locked, waiters:1]>']);
  });
});

describe('Lock.with(body)', () => {
  it('holds the lock while the body runs and returns its value', async () => {
    const seen = await runVirtual(function* () {
      const lock = new Lock();
      const inside: boolean[] = [];
      const value = yield* lock.with(function* () {
        inside.push(lock.locked());
        yield* sleep(5);
        inside.push(lock.locked());
        return 'body value';
      });
      return [value, inside, lock.locked()];
    });
    expect(seen).toEqual(['body value', [true, true], false]);
  });

  it('releases the lock when the body throws, and lets the error through', async () => {
    const seen = await runVirtual(function* () {
      const lock = new Lock();
      const error = yield* thrownByAwaiting(
        lock.with(function* () {
          yield;
          throw new RangeError('body failed');
        }),
      );
      return [nameAndMessage(error), lock.locked()];
    });
    expect(seen).toEqual([['RangeError', 'body failed'], false]);
  });

  it('releases the lock when the task is cancelled inside the body', async () => {
    const seen = await runVirtual(function* () {
      const lock = new Lock();
      const task = createTask(
        lock.with(function* () {
          yield* sleep(1000);
        }),
      );
      yield;
      const during = lock.locked();
      task.cancel('stop');
      const error = yield* thrownByAwaiting(task);
      return [during, nameAndMessage(error), lock.locked()];
    });
    expect(seen).toEqual([true, ['CancelledError', 'stop'], false]);
  });

  it('releases nothing when the task is cancelled while still waiting to acquire', async () => {
    const seen = await runVirtual(function* () {
      const lock = new Lock();
      const log: string[] = [];
      yield* lock.acquire();
      const task = createTask(
        lock.with(function* () {
          log.push('body ran');
        }),
      );
      yield;
      task.cancel();
      const error = yield* thrownByAwaiting(task);
      return [log, nameAndMessage(error), lock.locked(), String(lock)];
    });
    expect(seen).toEqual([[], ['CancelledError', ''], true, '<Lock [locked]>']);
  });

  it('serialises the bodies of concurrent tasks', async () => {
    const log = await runVirtual(function* () {
      const lock = new Lock();
      const events: string[] = [];
      function* critical(name: string): Coro<void> {
        yield* lock.with(function* () {
          events.push(`${name} in`);
          yield* sleep(10);
          events.push(`${name} out`);
        });
      }
      yield* gather([createTask(critical('a')), createTask(critical('b'))]);
      return events;
    });
    expect(log).toEqual(['a in', 'a out', 'b in', 'b out']);
  });
});

describe('Lock from outside the loop', () => {
  it('release() from a host timer callback wakes the waiter', async () => {
    const log = await runVirtual(function* () {
      const lock = new Lock();
      const events: string[] = [];
      yield* lock.acquire();
      setTimeout(() => {
        events.push('host releases');
        lock.release();
      }, 1);
      events.push('waiting');
      yield* lock.acquire();
      events.push(`acquired again: ${lock.locked()}`);
      return events;
    });
    expect(log).toEqual(['waiting', 'host releases', 'acquired again: true']);
  });

  it('release() from a host callback while the loop is idle wakes a waiting task', async () => {
    const seen = await runVirtual(function* () {
      const lock = new Lock();
      yield* lock.acquire();
      const waiter = createTask(
        (function* () {
          yield* lock.acquire();
          return 'got it';
        })(),
      );
      yield;
      // The loop has nothing ready until the host timer fires and releases the lock.
      yield hostTimer().then(() => lock.release());
      return yield* waiter;
    });
    expect(seen).toBe('got it');
  });
});
