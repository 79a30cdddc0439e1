import { inspect } from 'node:util';
import { type Coro, RuntimeError } from '@asyncio-ts/core-loop';
import { createTask, gather, type Task } from '@asyncio-ts/tasks';
import { describe, expect, it } from 'vitest';
import { Barrier, BrokenBarrierError } from '../src/index.js';
import {
  expectError,
  nameAndMessage,
  runVirtual,
  thrownBy,
  thrownByAwaiting,
  ticks,
} from './utils.js';

function spawn<T>(n: number, coro: () => Coro<T>): Task<T>[] {
  return Array.from({ length: n }, () => createTask(coro()));
}

describe('Barrier basics', () => {
  it('refuses fewer than one party with RangeError "parties must be >= 1"', () => {
    for (const parties of [0, -4]) {
      expectError(
        thrownBy(() => new Barrier(parties)),
        RangeError,
        'parties must be >= 1',
      );
    }
    expect(new Barrier(5).parties).toBe(5);
  });

  it('BrokenBarrierError is a RuntimeError named after its class', () => {
    const error = new BrokenBarrierError('Barrier aborted');
    expect([error instanceof RuntimeError, error.name, String(error)]).toEqual([
      true,
      'BrokenBarrierError',
      'BrokenBarrierError: Barrier aborted',
    ]);
  });

  it('shows filling, draining, resetting and broken in toString() (CPython test_repr)', async () => {
    const seen = await runVirtual(function* () {
      const barrier = new Barrier(5);
      const shapes = [String(barrier)];
      const waiters: Task<unknown>[] = [];
      const wait = () => createTask(barrier.wait());
      waiters.push(wait(), wait());
      yield;
      shapes.push(String(barrier), inspect(barrier));
      for (let i = barrier.parties - barrier.nWaiting; i > 0; i--) waiters.push(wait());
      yield;
      shapes.push(String(barrier));
      waiters.push(wait(), wait());
      yield;
      yield* barrier.reset();
      shapes.push(String(barrier));
      waiters.push(wait(), wait());
      yield;
      yield* barrier.abort();
      shapes.push(String(barrier), String(barrier.broken));
      yield* gather(waiters, { returnExceptions: true });
      return shapes;
    });
    expect(seen).toEqual([
      '<Barrier [filling, waiters:0/5]>',
      '<Barrier [filling, waiters:2/5]>',
      '<Barrier [filling, waiters:2/5]>',
      '<Barrier [draining, waiters:0/5]>',
      '<Barrier [resetting, waiters:0/5]>',
      '<Barrier [broken]>',
      'true',
    ]);
  });
});

describe('Barrier filling and draining', () => {
  it('releases all parties together and gives each its arrival index', async () => {
    const seen = await runVirtual(function* () {
      const barrier = new Barrier(3);
      const log: string[] = [];
      function* party(name: string): Coro<number> {
        log.push(`${name} arrives`);
        const index = yield* barrier.wait();
        log.push(`${name} leaves with ${index}`);
        return index;
      }
      const indexes = yield* gather(['a', 'b', 'c'].map((n) => createTask(party(n))));
      return [indexes, log, barrier.nWaiting, barrier.broken];
    });
    expect(seen).toEqual([
      [0, 1, 2],
      [
        'a arrives',
        'b arrives',
        'c arrives',
        'c leaves with 2',
        'a leaves with 0',
        'b leaves with 1',
      ],
      0,
      false,
    ]);
  });

  it('with one party, wait() returns 0 at once, every time (CPython test_filling_one_task_twice)', async () => {
    const seen = await runVirtual(function* () {
      const barrier = new Barrier(1);
      const first = yield* barrier.wait();
      const second = yield* barrier.wait();
      return [first, second, barrier.nWaiting, barrier.broken];
    });
    expect(seen).toEqual([0, 0, 0, false]);
  });

  it('counts the tasks waiting while it fills (CPython test_filling_task_by_task)', async () => {
    const seen = await runVirtual(function* () {
      const barrier = new Barrier(3);
      const counts: number[] = [];
      const tasks: Task<number>[] = [];
      for (let i = 0; i < 3; i++) {
        tasks.push(createTask(barrier.wait()));
        yield;
        counts.push(barrier.nWaiting);
      }
      const indexes = yield* gather(tasks);
      return [counts, indexes, barrier.nWaiting, barrier.broken];
    });
    expect(seen).toEqual([[1, 2, 0], [0, 1, 2], 0, false]);
  });

  it('is reusable: the same parties pass it twice (CPython test_filling_tasks_wait_twice)', async () => {
    const seen = await runVirtual(function* () {
      const barrier = new Barrier(5);
      const results: string[] = [];
      const indexes = yield* gather(
        spawn(5, function* () {
          yield* barrier.wait();
          results.push('first');
          const i = yield* barrier.wait();
          results.push('second');
          return i;
        }),
      );
      return [results, [...indexes].sort(), barrier.nWaiting, barrier.broken];
    });
    expect(seen).toEqual([
      [
        'first',
        'first',
        'first',
        'first',
        'first',
        'second',
        'second',
        'second',
        'second',
        'second',
      ],
      [0, 1, 2, 3, 4],
      0,
      false,
    ]);
  });

  it('stays draining until the last task has left (CPython test_draining_state)', async () => {
    const seen = await runVirtual(function* () {
      const barrier = new Barrier(5);
      const results: boolean[] = [];
      yield* gather(
        spawn(5, function* () {
          yield* barrier.wait();
          results.push(String(barrier).includes('draining'));
        }),
      );
      return results;
    });
    expect(seen).toEqual([true, true, true, true, false]);
  });

  it('makes a task arriving while the last round drains wait for the next round', async () => {
    const seen = await runVirtual(function* () {
      const barrier = new Barrier(2);
      const log: string[] = [];
      function* party(name: string, rounds: number): Coro<void> {
        for (let r = 0; r < rounds; r++) {
          const i = yield* barrier.wait();
          log.push(`${name} round ${r} index ${i}`);
        }
      }
      // a passes with b, then at once waits again while b has not left yet: a must not pair
      // with b's first-round exit, but with c.
      const a = createTask(party('a', 2));
      const b = createTask(party('b', 1));
      yield* ticks(2);
      const c = createTask(party('c', 1));
      yield* gather([a, b, c]);
      return log;
    });
    expect(seen).toEqual([
      'b round 0 index 1',
      'a round 0 index 0',
      'c round 0 index 1',
      'a round 1 index 0',
    ]);
  });

  it('lets a cancelled waiter leave without breaking the barrier (CPython test_filling_tasks_cancel_one)', async () => {
    const seen = await runVirtual(function* () {
      const barrier = new Barrier(3);
      const counts: number[] = [];
      const results: string[] = [];
      function* coro(name: string): Coro<void> {
        yield* barrier.wait();
        results.push(name);
      }
      const t1 = createTask(coro('t1'));
      yield;
      counts.push(barrier.nWaiting);
      const t2 = createTask(coro('t2'));
      yield;
      counts.push(barrier.nWaiting);
      t1.cancel();
      yield;
      counts.push(barrier.nWaiting);
      const error = yield* thrownByAwaiting(t1);
      const t3 = createTask(coro('t3'));
      yield;
      counts.push(barrier.nWaiting);
      const t4 = createTask(coro('t4'));
      yield* gather([t2, t3, t4]);
      return [counts, nameAndMessage(error)[0], results, barrier.nWaiting, barrier.broken];
    });
    expect(seen).toEqual([[1, 2, 1, 2], 'CancelledError', ['t4', 't2', 't3'], 0, false]);
  });
});

describe('Barrier reset() and abort()', () => {
  it('reset() of an empty barrier leaves it filling and whole', async () => {
    const seen = await runVirtual(function* () {
      const barrier = new Barrier(1);
      yield* barrier.reset();
      return [String(barrier), barrier.broken];
    });
    expect(seen).toEqual(['<Barrier [filling, waiters:0/1]>', false]);
  });

  it('reset() throws BrokenBarrierError into the waiting tasks, then fills again (CPython test_reset_barrier_while_tasks_waiting)', async () => {
    const seen = await runVirtual(function* () {
      const barrier = new Barrier(5);
      const tasks = spawn(4, () => barrier.wait());
      yield;
      createTask(barrier.reset());
      const results = yield* gather(tasks, { returnExceptions: true });
      return [results.map(nameAndMessage), String(barrier), barrier.broken];
    });
    const broken = ['BrokenBarrierError', 'Abort or reset of barrier'];
    expect(seen).toEqual([
      [broken, broken, broken, broken],
      '<Barrier [filling, waiters:0/5]>',
      false,
    ]);
  });

  it('waiters broken by reset() can meet at the barrier again (CPython test_reset_barrier_while_tasks_waiting_and_waiting_again)', async () => {
    const seen = await runVirtual(function* () {
      const barrier = new Barrier(5);
      const log: string[] = [];
      const tasks = spawn(4, function* () {
        try {
          yield* barrier.wait();
        } catch (error) {
          log.push(nameAndMessage(error)[0]);
        }
        yield* barrier.wait();
        log.push('passed');
      });
      createTask(barrier.reset());
      yield;
      const last = createTask(barrier.wait());
      yield* gather([...tasks, last]);
      return [log, barrier.nWaiting, barrier.broken];
    });
    expect(seen).toEqual([
      [
        'BrokenBarrierError',
        'BrokenBarrierError',
        'BrokenBarrierError',
        'BrokenBarrierError',
        'passed',
        'passed',
        'passed',
        'passed',
      ],
      0,
      false,
    ]);
  });

  it('reset() while the previous round drains breaks only the tasks that wait in the new round', async () => {
    const seen = await runVirtual(function* () {
      const barrier = new Barrier(5);
      let broken = 0;
      let count = 0;
      yield* gather(
        spawn(5, function* () {
          try {
            yield* barrier.wait();
          } catch (error) {
            if (error instanceof BrokenBarrierError) broken++;
            return;
          }
          count++;
          if (count === 5) yield* barrier.reset();
        }),
      );
      return [broken, String(barrier)];
    });
    expect(seen).toEqual([0, '<Barrier [filling, waiters:0/5]>']);
  });

  it('abort() breaks the barrier for waiting and arriving tasks (CPython test_abort_barrier_when_exception)', async () => {
    const seen = await runVirtual(function* () {
      const barrier = new Barrier(5);
      const outcomes: string[] = [];
      yield* gather(
        spawn(5, function* () {
          try {
            const i = yield* barrier.wait();
            if (i === 2) throw new Error('party failed');
            yield* barrier.wait();
            outcomes.push('passed twice');
          } catch (error) {
            if (error instanceof BrokenBarrierError) outcomes.push(error.message);
            else {
              outcomes.push('aborting');
              yield* barrier.abort();
            }
          }
        }),
      );
      const late = yield* thrownByAwaiting(barrier.wait());
      return [outcomes, nameAndMessage(late), barrier.broken, String(barrier)];
    });
    expect(seen).toEqual([
      [
        'aborting',
        // a waited in the second round already; the others were still leaving the first.
        'Abort or reset of barrier',
        'Barrier aborted',
        'Barrier aborted',
        'Barrier aborted',
      ],
      ['BrokenBarrierError', 'Barrier aborted'],
      true,
      '<Barrier [broken]>',
    ]);
  });

  it('abort() of an empty barrier breaks it (CPython test_abort_barrier)', async () => {
    const seen = await runVirtual(function* () {
      const barrier = new Barrier(1);
      createTask(barrier.abort());
      yield;
      return [barrier.nWaiting, barrier.broken];
    });
    expect(seen).toEqual([0, true]);
  });

  it('reset() makes an aborted barrier usable again (CPython test_abort_barrier_when_exception_then_resetting)', async () => {
    const seen = await runVirtual(function* () {
      const barrier1 = new Barrier(5);
      const barrier2 = new Barrier(5);
      let broken = 0;
      let passed = 0;
      yield* gather(
        spawn(5, function* () {
          try {
            const i = yield* barrier1.wait();
            if (i === 2) throw new Error('party failed');
            yield* barrier1.wait();
          } catch (error) {
            if (error instanceof BrokenBarrierError) broken++;
            else yield* barrier1.abort();
          }
          const i = yield* barrier2.wait();
          if (i === 2) yield* barrier1.reset();
          yield* barrier2.wait();
          yield* barrier1.wait();
          passed++;
        }),
      );
      return [broken, passed, barrier1.broken, barrier1.nWaiting];
    });
    expect(seen).toEqual([4, 5, false, 0]);
  });
});
