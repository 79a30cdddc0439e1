import { inspect } from 'node:util';
import { type Coro, getRunningLoop, RuntimeError } from '@asyncio-ts/core-loop';
import { createTask, gather } from '@asyncio-ts/tasks';
import { describe, expect, it } from 'vitest';
import { Event } from '../src/index.js';
import { expectError, hostTimer, nameAndMessage, runVirtual, thrownByAwaiting } from './utils.js';

describe('Event', () => {
  it('starts unset; set() sets it and clear() unsets it', () => {
    const ev = new Event();
    const seen = [ev.isSet()];
    ev.set();
    seen.push(ev.isSet());
    ev.clear();
    seen.push(ev.isSet());
    expect(seen).toEqual([false, true, false]);
  });

  it('shows its flag and waiters in toString() and inspect()', async () => {
    const seen = await runVirtual(function* () {
      const ev = new Event();
      const shapes = [String(ev)];
      const waiters = [createTask(ev.wait()), createTask(ev.wait())];
      yield;
      shapes.push(String(ev), inspect(ev));
      ev.set();
      shapes.push(String(ev));
      yield* gather(waiters);
      shapes.push(String(ev));
      return shapes;
    });
    expect(seen).toEqual([
      '<Event [unset]>',
      '<Event [unset, waiters:2]>',
      '<Event [unset, waiters:2]>',
      '<Event [set, waiters:2]>',
      '<Event [set]>',
    ]);
  });

  it('wakes every waiter on set(), after a task that started meanwhile (CPython test_wait)', async () => {
    const seen = await runVirtual(function* () {
      const ev = new Event();
      const result: number[] = [];
      function* c(n: number): Coro<void> {
        if (yield* ev.wait()) result.push(n);
      }
      const t1 = createTask(c(1));
      const t2 = createTask(c(2));
      yield;
      const before = [...result];
      const t3 = createTask(c(3));
      ev.set();
      yield;
      return [before, result, [t1, t2, t3].map((t) => [t.done(), t.result()])];
    });
    expect(seen).toEqual([
      [],
      [3, 1, 2],
      [
        [true, undefined],
        [true, undefined],
        [true, undefined],
      ],
    ]);
  });

  it('wait() on a set event returns true without giving up the loop', async () => {
    const seen = await runVirtual(function* () {
      const ev = new Event();
      const log: string[] = [];
      ev.set();
      createTask(
        (function* () {
          log.push('other task ran');
        })(),
      );
      const result = yield* ev.wait();
      log.push(`wait returned ${result}`);
      yield;
      return log;
    });
    expect(seen).toEqual(['wait returned true', 'other task ran']);
  });

  it('a waiter cancelled while waiting throws CancelledError and leaves no waiter behind', async () => {
    const seen = await runVirtual(function* () {
      const ev = new Event();
      const wait = createTask(ev.wait());
      getRunningLoop().callSoon(() => wait.cancel());
      const error = yield* thrownByAwaiting(wait);
      return [nameAndMessage(error), String(ev)];
    });
    expect(seen).toEqual([['CancelledError', ''], '<Event [unset]>']);
  });

  it('a waiter woken by set() returns true even when clear() follows before it runs', async () => {
    const seen = await runVirtual(function* () {
      const ev = new Event();
      const result: number[] = [];
      const t = createTask(
        (function* () {
          if (yield* ev.wait()) result.push(1);
          return true;
        })(),
      );
      yield;
      const before = [...result];
      ev.set();
      ev.clear();
      const cleared = ev.isSet();
      ev.set();
      ev.set();
      const waitersThen = String(ev);
      yield;
      return [before, cleared, waitersThen, result, String(ev), t.result()];
    });
    expect(seen).toEqual([[], false, '<Event [set, waiters:1]>', [1], '<Event [set]>', true]);
  });

  it('after clear(), wait() blocks again until the next set()', async () => {
    const log = await runVirtual(function* () {
      const ev = new Event();
      const events: string[] = [];
      ev.set();
      yield* ev.wait();
      events.push('first wait passed');
      ev.clear();
      const t = createTask(
        (function* () {
          yield* ev.wait();
          events.push('second wait passed');
        })(),
      );
      yield;
      yield;
      events.push('setting');
      ev.set();
      yield* t;
      return events;
    });
    expect(log).toEqual(['first wait passed', 'setting', 'second wait passed']);
  });

  it('cancelling one waiter does not keep the others from waking', async () => {
    const seen = await runVirtual(function* () {
      const ev = new Event();
      const woke: string[] = [];
      function* waiter(name: string): Coro<string> {
        yield* ev.wait();
        woke.push(name);
        return name;
      }
      const tasks = ['a', 'b', 'c'].map((n) => createTask(waiter(n)));
      yield;
      tasks[1]!.cancel();
      ev.set();
      const results = yield* gather(tasks, { returnExceptions: true });
      return [woke, results.map((r) => (r instanceof Error ? nameAndMessage(r)[0] : r))];
    });
    expect(seen).toEqual([
      ['a', 'c'],
      ['a', 'CancelledError', 'c'],
    ]);
  });

  it('set() from a host timer callback wakes every waiter', async () => {
    const seen = await runVirtual(function* () {
      const ev = new Event();
      const log: string[] = [];
      const waiters = [1, 2].map((n) =>
        createTask(
          (function* () {
            yield* ev.wait();
            log.push(`waiter ${n}`);
          })(),
        ),
      );
      setTimeout(() => {
        log.push('host sets');
        ev.set();
      }, 1);
      yield* gather(waiters);
      return log;
    });
    expect(seen).toEqual(['host sets', 'waiter 1', 'waiter 2']);
  });

  it('set() from a host callback wakes a waiter while the loop is idle', async () => {
    const seen = await runVirtual(function* () {
      const ev = new Event();
      void hostTimer().then(() => ev.set());
      return yield* ev.wait();
    });
    expect(seen).toBe(true);
  });

  it('refuses to wait on a second loop once a wait bound it to the first', async () => {
    const ev = new Event();
    await runVirtual(function* () {
      const t = createTask(ev.wait());
      yield;
      ev.set();
      yield* t;
    });
    ev.clear();
    const error = await runVirtual(function* () {
      return yield* thrownByAwaiting(ev.wait());
    });
    expectError(error, RuntimeError, '<Event [unset]> is bound to a different event loop');
  });
});
