import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CancelledError,
  type Coro,
  EventLoop,
  type Executor,
  type Future,
  Handle,
  HostTurnExecutor,
  isFuture,
  logger,
  RuntimeError,
  setDefaultExecutorFactory,
  type TaskOptions,
  TimerHandle,
  VirtualTimeLoop,
} from '../src/index.js';
import { busyWait, expectError, expectThrows, rejectionOf, runOnce } from './utils.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** An executor that runs each function at once and records what it was asked. */
function recordingExecutor(log: unknown[]): Executor {
  return {
    submit<A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>, ...args: A) {
      log.push(['submit', args]);
      return new Promise<R>((resolve) => resolve(fn(...args)));
    },
    shutdown(options?: { wait?: boolean }) {
      log.push(['shutdown', options]);
    },
  };
}

describe('callSoon', () => {
  it('callSoon callbacks run in the order they were scheduled', async () => {
    const loop = new EventLoop();
    const events: number[] = [];
    for (let i = 0; i < 5; i++) loop.callSoon(() => events.push(i));
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(events).toEqual([0, 1, 2, 3, 4]);
  });

  it('callSoon passes its extra arguments to the callback', async () => {
    const loop = new EventLoop();
    const events: unknown[] = [];
    loop.callSoon((a: number, b: string) => events.push([a, b]), 1, 'two');
    loop.callSoon((...rest: unknown[]) => events.push(rest));
    await runOnce(loop);
    expect(events).toEqual([[1, 'two'], []]);
  });

  it('callSoon returns a Handle, and cancelling it keeps the callback from running', async () => {
    const loop = new EventLoop();
    const events: string[] = [];
    loop.callSoon(() => events.push('a'));
    const handle = loop.callSoon(() => events.push('b'));
    loop.callSoon(() => events.push('c'));
    handle.cancel();
    await runOnce(loop);
    expect(handle).toBeInstanceOf(Handle);
    expect(events).toEqual(['a', 'c']);
  });

  it('callSoon(5) throws TypeError naming the kind it got', () => {
    const loop = new EventLoop();
    expectThrows(
      () => loop.callSoon(5 as never),
      TypeError,
      'a function was expected by callSoon(), got number',
    );
  });

  it("callSoon, callLater and callAt refuse a coroutine function or coroutine with TypeError 'coroutines cannot be used with ...'", () => {
    const loop = new EventLoop();
    function* job(): Coro<void> {
      yield;
    }
    expectThrows(() => loop.callSoon(job), TypeError, 'coroutines cannot be used with callSoon()');
    expectThrows(
      () => loop.callSoon(job() as never),
      TypeError,
      'coroutines cannot be used with callSoon()',
    );
    expectThrows(
      () => loop.callLater(1, job),
      TypeError,
      'coroutines cannot be used with callAt()',
    );
    expectThrows(() => loop.callAt(1, job), TypeError, 'coroutines cannot be used with callAt()');
  });

  it('callSoonThreadsafe from a host timer wakes an idle loop', async () => {
    const loop = new EventLoop();
    const events: string[] = [];
    const running = loop.runForever();
    events.push('idle');
    setTimeout(() => {
      loop.callSoonThreadsafe((what: string) => {
        events.push(what);
        loop.stop();
      }, 'woken');
    }, 1);
    await running;
    expect(events).toEqual(['idle', 'woken']);
  });
});

describe('timers', () => {
  it('callSoon callbacks run before timers, and timers run in deadline order', async () => {
    const loop = new EventLoop();
    const events: string[] = [];
    // Deadlines from one reading of the clock: a stall between two callLater() calls on a
    // loaded machine would otherwise make the "1 ms" timer due after the "3 ms" one.
    const now = loop.time();
    loop.callAt(now + 3, () => events.push('3 ms'));
    loop.callAt(now + 1, () => events.push('1 ms'));
    loop.callSoon(() => events.push('soon'));
    loop.callAt(now + 5, () => loop.stop());
    await loop.runForever();
    expect(events).toEqual(['soon', '1 ms', '3 ms']);
  });

  it('timers due at the same time run in the order they were scheduled', async () => {
    const loop = new EventLoop();
    const events: string[] = [];
    const when = loop.time() + 2;
    for (const name of ['a', 'b', 'c', 'd']) loop.callAt(when, () => events.push(name));
    loop.callAt(when, () => loop.stop());
    await loop.runForever();
    expect(events).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a cancelled timer is skipped', async () => {
    const loop = new EventLoop();
    const events: string[] = [];
    const timer = loop.callLater(1, () => events.push('cancelled'));
    loop.callLater(2, () => {
      events.push('kept');
      loop.stop();
    });
    timer.cancel();
    await loop.runForever();
    expect([timer.cancelled(), ...events]).toEqual([true, 'kept']);
  });

  it('callLater and callAt return TimerHandles whose when() is the deadline', () => {
    const loop = new VirtualTimeLoop();
    const later = loop.callLater(250, () => {});
    const at = loop.callAt(1000, () => {});
    expect([later instanceof TimerHandle, later.when(), at.when()]).toEqual([true, 250, 1000]);
  });

  it('timers with negative delays are due at once, the most negative first', async () => {
    const loop = new VirtualTimeLoop();
    const events: number[] = [];
    loop.callLater(-1, () => events.push(1));
    loop.callLater(-2, () => events.push(2));
    await runOnce(loop);
    expect(events).toEqual([2, 1]);
  });

  it('callLater with a NaN delay throws RangeError', () => {
    const loop = new EventLoop();
    expectThrows(
      () => loop.callLater(Number.NaN, () => {}),
      RangeError,
      'callLater() delay must not be NaN',
    );
  });

  it('callLater with a delay that is not a number throws TypeError naming its kind', () => {
    const loop = new EventLoop();
    expectThrows(
      () => loop.callLater('5' as never, () => {}),
      TypeError,
      'callLater() delay must be a number, got string',
    );
  });

  it('callAt with a NaN time throws RangeError, and with null a TypeError', () => {
    const loop = new EventLoop();
    expectThrows(
      () => loop.callAt(Number.NaN, () => {}),
      RangeError,
      'callAt() when must not be NaN',
    );
    expectThrows(
      () => loop.callAt(null as never, () => {}),
      TypeError,
      'callAt() when must be a number, got null',
    );
  });

  it('callLater with a callback that is not a function throws TypeError, as from callAt (CPython)', () => {
    const loop = new EventLoop();
    expectThrows(
      () => loop.callLater(1, 'nope' as never),
      TypeError,
      'a function was expected by callAt(), got string',
    );
  });

  it('after most of many timers are cancelled, the rest still run in deadline order', async () => {
    const loop = new VirtualTimeLoop();
    const events: number[] = [];
    const timers = [];
    for (let i = 1; i <= 300; i++) timers.push(loop.callAt(i, () => events.push(i)));
    for (const timer of timers) if (timer.when() % 10 !== 0) timer.cancel();
    loop.callAt(301, () => loop.stop());
    await loop.runForever();
    expect(events).toEqual(Array.from({ length: 30 }, (_, i) => (i + 1) * 10));
  });
});

describe('iterations and stop()', () => {
  it('stop() inside a callback lets the rest of the current iteration run', async () => {
    const loop = new EventLoop();
    const events: string[] = [];
    loop.callSoon(() => {
      events.push('a');
      loop.stop();
    });
    loop.callSoon(() => events.push('b'));
    loop.callSoon(() => events.push('c'));
    await loop.runForever();
    expect([...events, loop.isRunning()]).toEqual(['a', 'b', 'c', false]);
  });

  it('a callback scheduled during an iteration runs in the next iteration, not the current one', async () => {
    const loop = new EventLoop();
    const events: string[] = [];
    loop.callSoon(() => {
      events.push('a');
      loop.callSoon(() => events.push('scheduled by a'));
      loop.stop();
    });
    loop.callSoon(() => events.push('b'));
    await loop.runForever();
    events.push('stopped');
    await runOnce(loop);
    expect(events).toEqual(['a', 'b', 'stopped', 'scheduled by a']);
  });

  it('stop() before runForever() runs exactly one iteration', async () => {
    const loop = new EventLoop();
    const events: string[] = [];
    loop.callSoon(() => {
      events.push('first');
      loop.callSoon(() => events.push('second'));
    });
    loop.stop();
    await loop.runForever();
    expect([...events, loop.isRunning()]).toEqual(['first', false]);
  });

  it('due timers join the ready queue after the handles already there', async () => {
    const loop = new VirtualTimeLoop();
    const events: string[] = [];
    loop.callLater(100, () => events.push(`timer at ${loop.time()}`));
    loop.callSoon(() => events.push('soon'));
    loop.advance(150);
    await runOnce(loop);
    expect(events).toEqual(['soon', 'timer at 150']);
  });

  it('isRunning() is true inside the loop callbacks and false before and after runForever()', async () => {
    const loop = new EventLoop();
    const seen: boolean[] = [loop.isRunning()];
    loop.callSoon(() => {
      seen.push(loop.isRunning());
      loop.stop();
    });
    await loop.runForever();
    seen.push(loop.isRunning());
    expect(seen).toEqual([false, true, false]);
  });

  it('stop() called from a host callback ends a runForever() that is idle', async () => {
    const loop = new EventLoop();
    const events: string[] = [];
    const running = loop.runForever().then(() => events.push('stopped'));
    setTimeout(() => {
      events.push('host calls stop()');
      loop.stop();
    }, 1);
    await running;
    expect([...events, loop.isRunning()]).toEqual(['host calls stop()', 'stopped', false]);
  });

  it('a loop can be run again after it stopped', async () => {
    const loop = new EventLoop();
    const events: number[] = [];
    for (const n of [1, 2]) {
      loop.callSoon(() => {
        events.push(n);
        loop.stop();
      });
      await loop.runForever();
    }
    expect(events).toEqual([1, 2]);
  });

  it('a loop that always has ready work still gives the host a turn', async () => {
    const loop = new EventLoop();
    let hostRan = false;
    let count = 0;
    setImmediate(() => {
      hostRan = true;
    });
    const spin = (): void => {
      count++;
      if (hostRan || count > 5_000_000) loop.stop();
      else loop.callSoon(spin);
    };
    loop.callSoon(spin);
    await loop.runForever();
    expect(hostRan).toBe(true);
  });

  it('toString() shows whether the loop is running, closed and in debug mode', async () => {
    const loop = new EventLoop();
    const shown: string[] = [String(loop)];
    loop.callSoon(() => shown.push(String(loop)));
    await runOnce(loop);
    loop.setDebug(true);
    loop.close();
    shown.push(String(loop));
    expect(shown).toEqual([
      '<EventLoop running=false closed=false debug=false>',
      '<EventLoop running=true closed=false debug=false>',
      '<EventLoop running=false closed=true debug=true>',
    ]);
  });
});

describe('runUntilComplete', () => {
  it('runUntilComplete(future) settles with the future result once a callback sets it', async () => {
    const loop = new EventLoop();
    const fut = loop.createFuture<string>();
    loop.callSoon(() => fut.setResult('value'));
    expect(await loop.runUntilComplete(fut)).toBe('value');
    expect(loop.isRunning()).toBe(false);
  });

  it('runUntilComplete(future) rejects with the very exception the future failed with', async () => {
    const loop = new EventLoop();
    const fut = loop.createFuture<string>();
    const error = new Error('failed');
    loop.callLater(1, () => fut.setException(error));
    expect(await rejectionOf(loop.runUntilComplete(fut))).toBe(error);
  });

  it('runUntilComplete of a cancelled future rejects with CancelledError carrying the message', async () => {
    const loop = new EventLoop();
    const fut = loop.createFuture<string>();
    loop.callSoon(() => fut.cancel('called off'));
    expectError(await rejectionOf(loop.runUntilComplete(fut)), CancelledError, 'called off');
  });

  it('runUntilComplete of a future that is already done settles with its result', async () => {
    const loop = new EventLoop();
    const fut = loop.createFuture<number>();
    fut.setResult(3);
    expect(await loop.runUntilComplete(fut)).toBe(3);
  });

  it('runUntilComplete(promise) settles with the promise value', async () => {
    const loop = new EventLoop();
    expect(await loop.runUntilComplete(Promise.resolve(7))).toBe(7);
  });

  it('runUntilComplete(promise) rejects with the promise reason', async () => {
    const loop = new EventLoop();
    const error = new TypeError('rejected');
    expect(await rejectionOf(loop.runUntilComplete(Promise.reject(error)))).toBe(error);
  });

  it("runUntilComplete rejects with RuntimeError 'Event loop stopped before Future completed.' when stopped early", async () => {
    const loop = new EventLoop();
    const fut = loop.createFuture<void>();
    loop.callSoon(() => loop.stop());
    expectError(
      await rejectionOf(loop.runUntilComplete(fut)),
      RuntimeError,
      'Event loop stopped before Future completed.',
    );
    expect([fut.done(), fut.toString()]).toEqual([false, '<Future pending>']);
  });

  it('a loop waiting only on a future that a host timer resolves wakes and finishes', async () => {
    const loop = new EventLoop();
    const fut = loop.createFuture<string>();
    setTimeout(() => fut.setResult('from outside'), 5);
    expect(await loop.runUntilComplete(fut)).toBe('from outside');
  });

  it('runUntilComplete of a future of another loop throws RangeError', () => {
    const loop = new EventLoop();
    const other = new EventLoop().createFuture();
    expectThrows(
      () => loop.runUntilComplete(other),
      RangeError,
      'The future belongs to a different loop than the one specified as the loop argument',
    );
  });

  it('runUntilComplete of something that is not awaitable throws TypeError naming its kind', () => {
    const loop = new EventLoop();
    expectThrows(
      () => loop.runUntilComplete(42 as never),
      TypeError,
      'An asyncio Future, a coroutine or an awaitable is required, got number',
    );
  });

  it('runUntilComplete of a coroutine without a Task class loaded throws RuntimeError', () => {
    const loop = new EventLoop();
    function* main(): Coro<number> {
      yield;
      return 1;
    }
    expectThrows(
      () => loop.runUntilComplete(main()),
      RuntimeError,
      'createTask() needs a Task class: import @asyncio-ts/tasks first',
    );
  });
});

describe('task factory', () => {
  it('createTask() goes through the task factory, which receives the loop, the coroutine and {}', () => {
    const loop = new EventLoop();
    const calls: unknown[] = [];
    const made = loop.createFuture();
    loop.setTaskFactory((factoryLoop, coro, options) => {
      calls.push([factoryLoop === loop, coro, options]);
      return made;
    });
    function* main(): Coro<void> {}
    const coro = main();
    const result = loop.createTask(coro);
    const named = loop.createTask(coro, { name: 'job' } satisfies TaskOptions);
    expect([result === made, named === made]).toEqual([true, true]);
    expect(calls).toEqual([
      [true, coro, {}],
      [true, coro, { name: 'job' }],
    ]);
  });

  it('getTaskFactory() is null until a factory is set, and setTaskFactory(null) removes it', () => {
    const loop = new EventLoop();
    const factory = (l: EventLoop): Future<unknown> => l.createFuture();
    const seen = [loop.getTaskFactory()];
    loop.setTaskFactory(factory);
    seen.push(loop.getTaskFactory());
    loop.setTaskFactory(null);
    seen.push(loop.getTaskFactory());
    expect(seen).toEqual([null, factory, null]);
  });

  it('setTaskFactory() with something other than a function or null throws TypeError', () => {
    const loop = new EventLoop();
    expectThrows(
      () => loop.setTaskFactory(5 as never),
      TypeError,
      'task factory must be a function or null, got number',
    );
  });
});

describe('close()', () => {
  it('close() marks the loop closed and may be called again', () => {
    const loop = new EventLoop();
    const seen = [loop.isClosed()];
    loop.close();
    loop.close();
    seen.push(loop.isClosed());
    expect(seen).toEqual([false, true]);
  });

  it("scheduling or running a closed loop throws RuntimeError 'Event loop is closed'", () => {
    const loop = new EventLoop();
    const fut = loop.createFuture();
    loop.close();
    function* main(): Coro<void> {}
    for (const attempt of [
      () => loop.callSoon(() => {}),
      () => loop.callSoonThreadsafe(() => {}),
      () => loop.callLater(1, () => {}),
      () => loop.callAt(1, () => {}),
      () => loop.runForever(),
      () => loop.runUntilComplete(fut),
      () => loop.createTask(main()),
      () => loop.runInExecutor(null, () => 1),
    ]) {
      expectThrows(attempt, RuntimeError, 'Event loop is closed');
    }
  });

  it('a closed loop still makes futures, as CPython', () => {
    const loop = new EventLoop();
    loop.close();
    expect(loop.createFuture().done()).toBe(false);
  });

  it("close() inside a callback throws RuntimeError 'Cannot close a running event loop'", async () => {
    const loop = new EventLoop();
    const errors: unknown[] = [];
    loop.callSoon(() => {
      try {
        loop.close();
      } catch (error) {
        errors.push(error);
      }
    });
    await runOnce(loop);
    expect(errors).toHaveLength(1);
    expectError(errors[0], RuntimeError, 'Cannot close a running event loop');
    expect(loop.isClosed()).toBe(false);
  });
});

describe('running a loop that cannot run now', () => {
  it("runForever() and runUntilComplete() inside the loop's own callback throw 'This event loop is already running'", async () => {
    const loop = new EventLoop();
    const errors: unknown[] = [];
    const fut = loop.createFuture();
    loop.callSoon(() => {
      for (const attempt of [() => loop.runForever(), () => loop.runUntilComplete(fut)]) {
        try {
          attempt();
        } catch (error) {
          errors.push(error);
        }
      }
    });
    await runOnce(loop);
    expect(errors).toHaveLength(2);
    for (const error of errors) {
      expectError(error, RuntimeError, 'This event loop is already running');
    }
  });

  it("running another loop from a callback throws 'Cannot run the event loop while another loop is running'", async () => {
    const outer = new EventLoop();
    const inner = new EventLoop();
    const errors: unknown[] = [];
    const fut = inner.createFuture();
    outer.callSoon(() => {
      for (const attempt of [() => inner.runForever(), () => inner.runUntilComplete(fut)]) {
        try {
          attempt();
        } catch (error) {
          errors.push(error);
        }
      }
    });
    await runOnce(outer);
    expect(errors).toHaveLength(2);
    for (const error of errors) {
      expectError(error, RuntimeError, 'Cannot run the event loop while another loop is running');
    }
    expect(inner.isRunning()).toBe(false);
  });
});

describe('runInExecutor', () => {
  it('runInExecutor(null, fn, ...args) returns a Future of the function result', async () => {
    const loop = new EventLoop();
    const fut = loop.runInExecutor(null, (a: number, b: number) => a + b, 2, 3);
    expect(isFuture(fut)).toBe(true);
    expect(await loop.runUntilComplete(fut)).toBe(5);
  });

  it('an error thrown by the function fails the Future with that error', async () => {
    const loop = new EventLoop();
    const error = new Error('in executor');
    const fut = loop.runInExecutor(null, () => {
      throw error;
    });
    expect(await rejectionOf(loop.runUntilComplete(fut))).toBe(error);
  });

  it('a function that returns a promise gives the Future the promise value', async () => {
    const loop = new EventLoop();
    const fut = loop.runInExecutor(null, async () => 'async value');
    expect(await loop.runUntilComplete(fut)).toBe('async value');
  });

  it('the default executor starts the function on a later host turn, not inline', async () => {
    const loop = new EventLoop();
    const events: string[] = [];
    const fut = loop.runInExecutor(null, () => {
      events.push('function');
    });
    events.push('submitted');
    await loop.runUntilComplete(fut);
    expect(events).toEqual(['submitted', 'function']);
  });

  it('runInExecutor(executor, fn, ...args) submits fn with its arguments to that executor', async () => {
    const loop = new EventLoop();
    const log: unknown[] = [];
    const fut = loop.runInExecutor(recordingExecutor(log), (s: string) => s.toUpperCase(), 'ab');
    expect(await loop.runUntilComplete(fut)).toBe('AB');
    expect(log).toEqual([['submit', ['ab']]]);
  });

  it('setDefaultExecutor() makes runInExecutor(null, ...) use it, and close() shuts it down without waiting', async () => {
    const loop = new EventLoop();
    const log: unknown[] = [];
    loop.setDefaultExecutor(recordingExecutor(log));
    expect(await loop.runUntilComplete(loop.runInExecutor(null, () => 1))).toBe(1);
    loop.close();
    expect(log).toEqual([
      ['submit', []],
      ['shutdown', { wait: false }],
    ]);
  });

  it('setDefaultExecutorFactory() decides what each loop makes on its first runInExecutor(null)', async () => {
    const log: unknown[] = [];
    const before = new EventLoop();
    setDefaultExecutorFactory(() => {
      log.push('factory');
      return recordingExecutor(log);
    });
    try {
      const first = new EventLoop();
      expect(await first.runUntilComplete(first.runInExecutor(null, () => 'a'))).toBe('a');
      expect(await first.runUntilComplete(first.runInExecutor(null, () => 'b'))).toBe('b');
      // A loop given its own default keeps it.
      const own = new EventLoop();
      const ownLog: unknown[] = [];
      own.setDefaultExecutor(recordingExecutor(ownLog));
      await own.runUntilComplete(own.runInExecutor(null, () => 'c'));
      expect(ownLog).toEqual([['submit', []]]);
      // One executor per loop, made on its first use.
      expect(log).toEqual(['factory', ['submit', []], ['submit', []]]);
    } finally {
      setDefaultExecutorFactory(null);
    }
    // Back to a HostTurnExecutor: nothing more reaches the recording one.
    expect(await before.runUntilComplete(before.runInExecutor(null, () => 'd'))).toBe('d');
    expect(log).toHaveLength(3);
  });

  it('setDefaultExecutorFactory() refuses what is neither a function nor null', () => {
    expectThrows(
      () => setDefaultExecutorFactory({} as never),
      TypeError,
      'the default executor factory must be a function or null, got object',
    );
  });

  it('setDefaultExecutor() with something that has no submit() throws TypeError', () => {
    const loop = new EventLoop();
    expectThrows(
      () => loop.setDefaultExecutor({} as never),
      TypeError,
      'executor must have a submit() method, got Object',
    );
  });

  it('runInExecutor with something that is not a function throws TypeError naming its kind', () => {
    const loop = new EventLoop();
    expectThrows(
      () => loop.runInExecutor(null, 5 as never),
      TypeError,
      'runInExecutor() expects a function, got number',
    );
  });

  it("after shutdownDefaultExecutor() has run, runInExecutor(null, ...) throws 'Executor shutdown has been called'", async () => {
    const loop = new EventLoop();
    const log: unknown[] = [];
    loop.setDefaultExecutor(recordingExecutor(log));
    const gen = loop.shutdownDefaultExecutor();
    const step = gen.next();
    expect([step.done, isFuture(step.value)]).toEqual([false, true]);
    await loop.runUntilComplete(step.value as Future<unknown>);
    const last = gen.next();
    expect([last.done, last.value]).toEqual([true, undefined]);
    expect(log).toEqual([['shutdown', { wait: true }]]);
    expectThrows(
      () => loop.runInExecutor(null, () => 1),
      RuntimeError,
      'Executor shutdown has been called',
    );
  });

  it('shutdownDefaultExecutor() waits for the work of the default executor that is still running', async () => {
    const loop = new EventLoop();
    const events: string[] = [];
    const work = loop.runInExecutor(null, () => {
      events.push('work ran');
    });
    const gen = loop.shutdownDefaultExecutor();
    const waited = gen.next().value as Future<unknown>;
    await loop.runUntilComplete(waited);
    events.push('shutdown done');
    expect([...events, work.done()]).toEqual(['work ran', 'shutdown done', true]);
  });

  it('shutdownDefaultExecutor() before any use finishes without waiting, and still refuses later use', () => {
    const loop = new EventLoop();
    const step = loop.shutdownDefaultExecutor().next();
    expect([step.done, step.value]).toEqual([true, undefined]);
    expectThrows(
      () => loop.runInExecutor(null, () => 1),
      RuntimeError,
      'Executor shutdown has been called',
    );
  });

  it('an explicit executor is still accepted after shutdownDefaultExecutor()', async () => {
    const loop = new EventLoop();
    loop.shutdownDefaultExecutor().next();
    const log: unknown[] = [];
    const fut = loop.runInExecutor(recordingExecutor(log), () => 'ok');
    expect(await loop.runUntilComplete(fut)).toBe('ok');
  });

  it("HostTurnExecutor refuses work after shutdown with RuntimeError 'cannot schedule new futures after shutdown'", async () => {
    const executor = new HostTurnExecutor();
    await executor.shutdown();
    expectThrows(
      () => executor.submit(() => 1),
      RuntimeError,
      'cannot schedule new futures after shutdown',
    );
  });
});

describe('debug mode', () => {
  it('setDebug() turns debug mode on and off, and it is off by default', () => {
    const saved = process.env.ASYNCIO_TS_DEBUG;
    delete process.env.ASYNCIO_TS_DEBUG;
    try {
      const loop = new EventLoop();
      const seen = [loop.getDebug()];
      loop.setDebug(true);
      seen.push(loop.getDebug());
      loop.setDebug(false);
      seen.push(loop.getDebug());
      expect(seen).toEqual([false, true, false]);
    } finally {
      if (saved !== undefined) process.env.ASYNCIO_TS_DEBUG = saved;
    }
  });

  it('ASYNCIO_TS_DEBUG=1 turns debug mode on for a new loop, and other values do not', () => {
    const saved = process.env.ASYNCIO_TS_DEBUG;
    try {
      process.env.ASYNCIO_TS_DEBUG = '1';
      const on = new EventLoop().getDebug();
      process.env.ASYNCIO_TS_DEBUG = '0';
      const off = new EventLoop().getDebug();
      expect([on, off]).toEqual([true, false]);
    } finally {
      if (saved === undefined) delete process.env.ASYNCIO_TS_DEBUG;
      else process.env.ASYNCIO_TS_DEBUG = saved;
    }
  });

  it('slowCallbackDuration is 100 ms by default', () => {
    expect(new EventLoop().slowCallbackDuration).toBe(100);
  });

  it('in debug mode a callback slower than slowCallbackDuration is reported as a warning', async () => {
    const warning = vi.spyOn(logger, 'warning').mockImplementation(() => {});
    const loop = new EventLoop();
    loop.setDebug(true);
    loop.slowCallbackDuration = 5;
    loop.callSoon(function slowCallback() {
      busyWait(10);
    });
    await runOnce(loop);
    const reports = warning.mock.calls.map(([message]) => message);
    expect(reports.filter((m) => m.includes('slowCallback'))).toHaveLength(1);
    expect(reports.find((m) => m.includes('slowCallback'))).toMatch(
      /^Executing <Handle slowCallback\(\)> took \d+\.\d{3} seconds$/,
    );
  });

  it('without debug mode a slow callback is not reported', async () => {
    const warning = vi.spyOn(logger, 'warning').mockImplementation(() => {});
    const loop = new EventLoop();
    loop.setDebug(false);
    loop.slowCallbackDuration = 1;
    loop.callSoon(function slowCallback() {
      busyWait(5);
    });
    await runOnce(loop);
    expect(warning).not.toHaveBeenCalled();
  });
});

describe('the host process', () => {
  const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));

  function runChild(body: string): { status: number | null; stdout: string; stderr: string } {
    expect(
      existsSync(dist),
      'build the package first: pnpm --filter @asyncio-ts/core-loop build',
    ).toBe(true);
    const script = `import { EventLoop } from ${JSON.stringify(pathToFileURL(dist).href)};\n${body}`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    return { status: child.status, stdout: child.stdout, stderr: child.stderr };
  }

  it('a process whose loop finished waiting on a timer-resolved future exits by itself', () => {
    const child = runChild(`
      const loop = new EventLoop();
      const fut = loop.createFuture();
      loop.callLater(20, () => fut.setResult('done'));
      console.log(await loop.runUntilComplete(fut));
    `);
    expect(child).toEqual({ status: 0, stdout: 'done\n', stderr: '' });
  });

  it('a timer cancelled from a host callback while the loop idles lets the process exit', () => {
    const child = runChild(`
      const loop = new EventLoop();
      loop.runForever();
      const hour = loop.callLater(3_600_000, () => console.log('an hour later'));
      setTimeout(() => {
        hour.cancel();
        console.log('cancelled');
      }, 20);
    `);
    expect(child).toEqual({ status: 0, stdout: 'cancelled\n', stderr: '' });
  });

  it('a process whose running loop is idle with no timers exits by itself', () => {
    const child = runChild(`
      const loop = new EventLoop();
      loop.runForever();
      loop.createFuture();
      loop.callSoon(() => console.log('ran, now idle'));
    `);
    expect(child).toEqual({ status: 0, stdout: 'ran, now idle\n', stderr: '' });
  });

  it('a timer further away than a host timer can wait (2^31 - 1 ms) does not overflow into a busy wait', () => {
    const child = runChild(`
      const loop = new EventLoop();
      loop.callLater(3_000_000_000, () => {});
      loop.callLater(Infinity, () => {});
      const armed = [];
      const hostSetTimeout = globalThis.setTimeout;
      globalThis.setTimeout = (fn, ms) => {
        armed.push(ms);
        return hostSetTimeout(fn, ms);
      };
      hostSetTimeout(() => loop.stop(), 50);
      await loop.runForever();
      console.log(JSON.stringify(armed));
    `);
    expect(child).toEqual({ status: 0, stdout: '[2147483647]\n', stderr: '' });
  });
});
