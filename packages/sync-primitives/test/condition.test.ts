import { inspect } from 'node:util';
import { type Coro, getRunningLoop, RuntimeError } from '@asyncio-ts/core-loop';
import { createTask, gather, sleep } from '@asyncio-ts/tasks';
import { describe, expect, it } from 'vitest';
import { Condition, Lock } from '../src/index.js';
import {
  expectError,
  nameAndMessage,
  runVirtual,
  thrownBy,
  thrownByAwaiting,
  ticks,
} from './utils.js';

describe('Condition wait() and notify()', () => {
  it('wakes waiters in order, each only once it re-takes the lock (CPython test_wait)', async () => {
    const seen = await runVirtual(function* () {
      const cond = new Condition();
      const result: number[] = [];
      const snapshots: unknown[] = [];
      function* c(n: number): Coro<boolean> {
        yield* cond.acquire();
        if (yield* cond.wait()) result.push(n);
        return true;
      }
      const tasks = [createTask(c(1)), createTask(c(2)), createTask(c(3))];
      yield;
      snapshots.push([[...result], cond.locked()]);
      yield* cond.acquire();
      cond.notify();
      yield;
      snapshots.push([[...result], cond.locked()]);
      cond.release();
      yield;
      snapshots.push([[...result], cond.locked()]);
      cond.notify(2);
      yield;
      snapshots.push([[...result], cond.locked()]);
      cond.release();
      yield;
      snapshots.push([[...result], cond.locked()]);
      cond.release();
      yield;
      snapshots.push([[...result], cond.locked()]);
      return [snapshots, tasks.map((t) => t.result())];
    });
    expect(seen).toEqual([
      [
        [[], false],
        [[], true],
        [[1], true],
        [[1], true],
        [[1, 2], true],
        [[1, 2, 3], true],
      ],
      [true, true, true],
    ]);
  });

  it('notify(n) wakes at most n waiters and notify of more than wait wakes all (CPython test_notify)', async () => {
    const seen = await runVirtual(function* () {
      const cond = new Condition();
      const result: number[] = [];
      const snapshots: number[][] = [];
      function* c(n: number): Coro<boolean> {
        yield* cond.acquire();
        if (yield* cond.wait()) {
          result.push(n);
          cond.release();
        }
        return true;
      }
      const tasks = [createTask(c(1)), createTask(c(2)), createTask(c(3))];
      yield;
      snapshots.push([...result]);
      yield* cond.acquire();
      cond.notify(1);
      cond.release();
      yield;
      snapshots.push([...result]);
      yield* cond.acquire();
      cond.notify(1);
      cond.notify(2048);
      cond.release();
      yield;
      snapshots.push([...result]);
      return [snapshots, tasks.map((t) => t.result())];
    });
    expect(seen).toEqual([
      [[], [1], [1, 2, 3]],
      [true, true, true],
    ]);
  });

  it('notifyAll() wakes every waiter in the order they waited', async () => {
    const seen = await runVirtual(function* () {
      const cond = new Condition();
      const result: number[] = [];
      function* c(n: number): Coro<void> {
        yield* cond.acquire();
        yield* cond.wait();
        result.push(n);
        cond.release();
      }
      const tasks = [1, 2, 3].map((n) => createTask(c(n)));
      yield;
      yield* cond.acquire();
      cond.notifyAll();
      cond.release();
      yield;
      const after = [...result];
      yield* gather(tasks);
      return after;
    });
    expect(seen).toEqual([1, 2, 3]);
  });

  it('wait() returns true', async () => {
    const seen = await runVirtual(function* () {
      const cond = new Condition();
      const waiter = createTask(cond.with(() => cond.wait()));
      yield;
      yield* cond.with(function* () {
        cond.notify();
      });
      return yield* waiter;
    });
    expect(seen).toBe(true);
  });

  it('wait() without the lock throws RuntimeError "cannot wait on un-acquired lock"', async () => {
    const error = await runVirtual(function* () {
      return yield* thrownByAwaiting(new Condition().wait());
    });
    expectError(error, RuntimeError, 'cannot wait on un-acquired lock');
  });

  it('notify() and notifyAll() without the lock throw RuntimeError "cannot notify on un-acquired lock"', () => {
    const cond = new Condition();
    expectError(
      thrownBy(() => cond.notify()),
      RuntimeError,
      'cannot notify on un-acquired lock',
    );
    expectError(
      thrownBy(() => cond.notifyAll()),
      RuntimeError,
      'cannot notify on un-acquired lock',
    );
  });

  it('notify() with nobody waiting does nothing', async () => {
    const seen = await runVirtual(function* () {
      const cond = new Condition();
      yield* cond.acquire();
      cond.notify();
      cond.notifyAll();
      return String(cond);
    });
    expect(seen).toBe('<Condition [locked]>');
  });

  it('shows its lock state and waiters in toString() and inspect()', async () => {
    const seen = await runVirtual(function* () {
      const cond = new Condition();
      const shapes = [String(cond)];
      yield* cond.acquire();
      shapes.push(String(cond));
      const waiters = [1, 2].map(() => createTask(cond.with(() => cond.wait())));
      cond.release();
      yield* ticks(2);
      yield* cond.acquire();
      shapes.push(String(cond), inspect(cond));
      cond.notifyAll();
      cond.release();
      yield* gather(waiters);
      return shapes;
    });
    expect(seen).toEqual([
      '<Condition [unlocked]>',
      '<Condition [locked]>',
      '<Condition [locked, waiters:2]>',
      '<Condition [locked, waiters:2]>',
    ]);
  });
});

describe('Condition waitFor()', () => {
  it('waits until the predicate holds, re-checking after each notify (CPython test_wait_for)', async () => {
    const seen = await runVirtual(function* () {
      const cond = new Condition();
      let presult = false;
      const result: number[] = [];
      const snapshots: number[][] = [];
      const t = createTask(
        (function* () {
          yield* cond.acquire();
          if (yield* cond.waitFor(() => presult)) {
            result.push(1);
            cond.release();
          }
          return true;
        })(),
      );
      yield;
      snapshots.push([...result]);
      yield* cond.acquire();
      cond.notify();
      cond.release();
      yield;
      snapshots.push([...result]);
      presult = true;
      yield* cond.acquire();
      cond.notify();
      cond.release();
      yield;
      snapshots.push([...result]);
      return [snapshots, t.done(), t.result()];
    });
    expect(seen).toEqual([[[], [], [1]], true, true]);
  });

  it('returns a predicate value that holds at once without the lock, and refuses to wait without it', async () => {
    const seen = await runVirtual(function* () {
      const cond = new Condition();
      const value = yield* cond.waitFor(() => [1, 2, 3]);
      const error = yield* thrownByAwaiting(cond.waitFor(() => false));
      return [value, nameAndMessage(error)];
    });
    expect(seen).toEqual([
      [1, 2, 3],
      ['RuntimeError', 'cannot wait on un-acquired lock'],
    ]);
  });

  it('returns the truthy value the predicate produced', async () => {
    const seen = await runVirtual(function* () {
      const cond = new Condition();
      const items: string[] = [];
      const consumer = createTask(
        cond.with(function* () {
          return yield* cond.waitFor(() => items.shift());
        }),
      );
      yield;
      yield* cond.with(function* () {
        items.push('item');
        cond.notify();
      });
      return yield* consumer;
    });
    expect(seen).toBe('item');
  });
});

describe('Condition and its lock', () => {
  it('with(body) holds the lock during the body and returns its value', async () => {
    const seen = await runVirtual(function* () {
      const cond = new Condition();
      const before = cond.locked();
      const inside = yield* cond.with(function* () {
        yield;
        return cond.locked();
      });
      return [before, inside, cond.locked()];
    });
    expect(seen).toEqual([false, true, false]);
  });

  it('uses a lock it is given, so the lock and the condition see the same state (CPython test_explicit_lock)', async () => {
    const seen = await runVirtual(function* () {
      const states: boolean[][] = [];
      function* check(lock: Lock, cond: Condition): Coro<void> {
        states.push([lock.locked(), cond.locked()]);
        yield* cond.with(function* () {
          states.push([lock.locked(), cond.locked()]);
        });
        states.push([lock.locked(), cond.locked()]);
        yield* lock.with(function* () {
          states.push([lock.locked(), cond.locked()]);
        });
        states.push([lock.locked(), cond.locked()]);
      }
      const lock = new Lock();
      yield* check(lock, new Condition(lock));
      return states;
    });
    expect(seen).toEqual([
      [false, false],
      [true, true],
      [false, false],
      [true, true],
      [false, false],
    ]);
  });

  it('two conditions sharing one lock wake only their own waiters', async () => {
    const seen = await runVirtual(function* () {
      const lock = new Lock();
      const notEmpty = new Condition(lock);
      const notFull = new Condition(lock);
      const log: string[] = [];
      const a = createTask(
        notEmpty.with(function* () {
          yield* notEmpty.wait();
          log.push('notEmpty woke');
        }),
      );
      const b = createTask(
        notFull.with(function* () {
          yield* notFull.wait();
          log.push('notFull woke');
        }),
      );
      yield;
      yield* lock.with(function* () {
        notFull.notify();
      });
      yield* ticks(3);
      log.push('--');
      yield* lock.with(function* () {
        notEmpty.notify();
      });
      yield* gather([a, b]);
      return log;
    });
    expect(seen).toEqual(['notFull woke', '--', 'notEmpty woke']);
  });

  it('wait() releases a shared lock so that a plain Lock user gets it meanwhile', async () => {
    const seen = await runVirtual(function* () {
      const lock = new Lock();
      const cond = new Condition(lock);
      const log: string[] = [];
      const waiter = createTask(
        cond.with(function* () {
          log.push('waiting');
          yield* cond.wait();
          log.push('woken');
        }),
      );
      yield;
      yield* lock.with(function* () {
        log.push('lock user inside');
        cond.notify();
      });
      yield* waiter;
      return log;
    });
    expect(seen).toEqual(['waiting', 'lock user inside', 'woken']);
  });

  it('refuses to wait on a second loop once a wait bound it to the first', async () => {
    const cond = new Condition();
    await runVirtual(function* () {
      const t = createTask(cond.with(() => cond.wait()));
      yield;
      yield* cond.with(function* () {
        cond.notify();
      });
      yield* t;
    });
    const error = await runVirtual(function* () {
      return yield* thrownByAwaiting(cond.with(() => cond.wait()));
    });
    expectError(error, RuntimeError, '<Condition [locked]> is bound to a different event loop');
  });
});

describe('Condition cancellation', () => {
  it('a cancelled wait() takes the lock again before the CancelledError comes out (CPython test_wait_cancel)', async () => {
    const seen = await runVirtual(function* () {
      const cond = new Condition();
      yield* cond.acquire();
      const wait = createTask(cond.wait());
      getRunningLoop().callSoon(() => wait.cancel());
      const error = yield* thrownByAwaiting(wait);
      return [nameAndMessage(error), String(cond)];
    });
    expect(seen).toEqual([['CancelledError', ''], '<Condition [locked]>']);
  });

  it('a wait() notified and then cancelled while the lock is contested still ends holding it', async () => {
    const seen = await runVirtual(function* () {
      const loop = getRunningLoop();
      const cond = new Condition();
      yield* cond.acquire();
      const waitTask = createTask(cond.wait());
      yield;
      const unlockedWhileWaiting = !cond.locked();
      yield* cond.acquire();
      cond.notify();
      loop.callSoon(() => waitTask.cancel());
      loop.callSoon(() => cond.release());
      const outcome = yield* gather([waitTask], { returnExceptions: true });
      return [
        unlockedWhileWaiting,
        outcome.map((r) => (r instanceof Error ? nameAndMessage(r)[0] : r)),
        cond.locked(),
      ];
    });
    expect(seen).toEqual([true, ['CancelledError'], true]);
  });

  it('a waiter cancelled while it re-takes the lock after a notify ends cancelled (bpo-32841)', async () => {
    const seen = await runVirtual(function* () {
      const cond = new Condition();
      let waited = false;
      const waiter = createTask(
        cond.with(function* () {
          waited = true;
          yield* cond.wait();
        }),
      );
      yield;
      yield* cond.acquire();
      cond.notify();
      yield;
      waiter.cancel();
      yield;
      cond.release();
      yield;
      return [waiter.cancelled(), waited, cond.locked()];
    });
    expect(seen).toEqual([true, true, false]);
  });

  it('re-raises the very CancelledError the wait was cancelled with', async () => {
    const seen = await runVirtual(function* () {
      const cond = new Condition();
      let raised: unknown = null;
      const task = createTask(
        cond.with(function* () {
          raised = yield* thrownByAwaiting(cond.waitFor(() => false));
          throw raised;
        }),
      );
      yield;
      task.cancel('foo');
      const error = yield* thrownByAwaiting(task);
      return [nameAndMessage(error), error === raised, cond.locked()];
    });
    expect(seen).toEqual([['CancelledError', 'foo'], true, false]);
  });

  it('re-raises the very CancelledError received while re-taking the lock', async () => {
    const seen = await runVirtual(function* () {
      const cond = new Condition();
      let wake = false;
      let raised: unknown = null;
      const task = createTask(
        cond.with(function* () {
          raised = yield* thrownByAwaiting(cond.waitFor(() => wake));
          throw raised;
        }),
      );
      yield;
      yield* cond.acquire();
      wake = true;
      cond.notify();
      yield;
      task.cancel('foo');
      cond.release();
      const error = yield* thrownByAwaiting(task);
      return [nameAndMessage(error), error === raised];
    });
    expect(seen).toEqual([['CancelledError', 'foo'], true]);
  });

  it('keeps trying to re-take the lock through repeated cancellations and throws the last one', async () => {
    const seen = await runVirtual(function* () {
      const cond = new Condition();
      const log: string[] = [];
      const task = createTask(
        cond.with(function* () {
          try {
            yield* cond.wait();
          } catch (error) {
            log.push(`caught ${nameAndMessage(error).join(': ')} holding=${cond.locked()}`);
            throw error;
          }
        }),
      );
      yield;
      yield* cond.acquire();
      task.cancel('first');
      yield* ticks(2);
      task.cancel('second');
      yield* ticks(2);
      log.push(`task still waiting for the lock: ${!task.done()}`);
      cond.release();
      const error = yield* thrownByAwaiting(task);
      log.push(`task ended with ${nameAndMessage(error).join(': ')}`);
      return [log, cond.locked()];
    });
    expect(seen).toEqual([
      [
        'task still waiting for the lock: true',
        'caught CancelledError: second holding=true',
        'task ended with CancelledError: second',
      ],
      false,
    ]);
  });

  it('does not lose a notify sent to a waiter cancelled before it ran (gh-112202)', async () => {
    const seen = await runVirtual(function* () {
      const cond = new Condition();
      let state = 0;
      function* consumer(): Coro<void> {
        yield* cond.with(function* () {
          for (;;) {
            yield* cond.waitFor(() => state !== 0);
            if (state < 0) return;
            state -= 1;
          }
        });
      }
      const c = [createTask(consumer()), createTask(consumer())];
      yield;
      yield* cond.with(function* () {
        state += 1;
        cond.notify(1);
        c[0]!.cancel(); // cancelled after the notify, before it ran
      });
      yield* sleep(10);
      const consumed = state === 0;
      yield* cond.with(function* () {
        state = -1;
        cond.notifyAll();
      });
      yield* c[1]!;
      return [consumed, c[0]!.cancelled()];
    });
    expect(seen).toEqual([true, true]);
  });

  it('does not lose a notify sent to a waiter cancelled while it re-takes the lock', async () => {
    const seen = await runVirtual(function* () {
      const cond = new Condition();
      let state = 0;
      function* consumer(): Coro<void> {
        yield* cond.with(function* () {
          for (;;) {
            yield* cond.waitFor(() => state !== 0);
            if (state < 0) return;
            state -= 1;
          }
        });
      }
      const c = [createTask(consumer()), createTask(consumer())];
      yield;
      yield* cond.with(function* () {
        state += 1;
        cond.notify(1);
        yield; // the notified consumer now waits for the lock
        c[0]!.cancel();
      });
      yield* sleep(10);
      const consumed = state === 0;
      yield* cond.with(function* () {
        state = -1;
        cond.notifyAll();
      });
      yield* c[1]!;
      return [consumed, c[0]!.cancelled()];
    });
    expect(seen).toEqual([true, true]);
  });

  it('a waiter cancelled before any notify does not use up a later notify', async () => {
    const seen = await runVirtual(function* () {
      const cond = new Condition();
      const log: string[] = [];
      function* waiter(name: string): Coro<void> {
        yield* cond.with(function* () {
          yield* cond.wait();
          log.push(name);
        });
      }
      const a = createTask(waiter('a'));
      const b = createTask(waiter('b'));
      yield;
      a.cancel();
      yield* ticks(2);
      yield* cond.with(function* () {
        cond.notify(1);
      });
      yield* b;
      return [log, a.cancelled()];
    });
    expect(seen).toEqual([['b'], true]);
  });
});

describe('Condition from outside the loop', () => {
  it('notify() and release() from a host timer callback wake the waiter', async () => {
    const seen = await runVirtual(function* () {
      const cond = new Condition();
      const log: string[] = [];
      const waiter = createTask(
        cond.with(function* () {
          yield* cond.wait();
          log.push('woken');
        }),
      );
      yield;
      yield* cond.acquire();
      setTimeout(() => {
        log.push('host notifies');
        cond.notify();
        cond.release();
      }, 1);
      yield* waiter;
      return log;
    });
    expect(seen).toEqual(['host notifies', 'woken']);
  });
});
