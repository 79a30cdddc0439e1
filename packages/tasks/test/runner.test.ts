import {
  CancelledError,
  ContextVar,
  type Coro,
  copyContext,
  EventLoop,
  type ExceptionContext,
  type Executor,
  type Future,
  getEventLoop,
  getRunningLoop,
  KeyboardInterrupt,
  setEventLoop,
  VirtualTimeLoop,
} from '@asyncio-ts/core-loop';
import { afterEach, describe, expect, test } from 'vitest';
import { createTask, currentTask, Runner, run, sleep, type Task } from '../src/index.js';
import { rejectionOf, thrownBy } from './utils.js';

/** Class name and message of an error, for one exact comparison. */
function describeError(error: unknown): [string, string] {
  return [(error as Error).constructor.name, (error as Error).message];
}

afterEach(() => {
  setEventLoop(null);
});

describe('run()', () => {
  test('run() of a coroutine object settles with the value the coroutine returns', async () => {
    function* main(): Coro<number> {
      yield* sleep(0);
      return 42;
    }
    expect(await run(main())).toBe(42);
  });

  test('run() of a function calls it once and runs the coroutine it returns', async () => {
    const events: string[] = [];
    function* main(): Coro<string> {
      events.push('body');
      yield* sleep(10);
      return 'value';
    }
    const result = await run(() => {
      events.push('called');
      return main();
    });
    expect([...events, result]).toEqual(['called', 'body', 'value']);
  });

  test('run() rejects with the very error object the coroutine threw', async () => {
    const error = new RangeError('spam');
    function* main(): Coro<never> {
      yield* sleep(0);
      throw error;
    }
    const caught = await rejectionOf(run(main()));
    expect(caught).toBe(error);
    expect(describeError(caught)).toEqual(['RangeError', 'spam']);
  });

  test('run() leaves debug mode off unless asked, and debug: true turns it on', async () => {
    function* debugOf(): Coro<boolean> {
      return getRunningLoop().getDebug();
    }
    expect(await run(debugOf())).toBe(false);
    expect(await run(debugOf(), { debug: true })).toBe(true);
    expect(await run(debugOf(), { debug: false })).toBe(false);
  });

  test('run() runs on the loop its loopFactory makes', async () => {
    const loop = new VirtualTimeLoop();
    let made = 0;
    function* main(): Coro<[boolean, number]> {
      const same = getRunningLoop() === loop;
      yield* sleep(1500);
      return [same, loop.time()];
    }
    const result = await run(main, {
      loopFactory: () => {
        made++;
        return loop;
      },
    });
    expect([result, made, loop.time()]).toEqual([[true, 1500], 1, 1500]);
  });

  test('run() called from inside a running task throws RuntimeError synchronously in the coroutine', async () => {
    let innerCalled = false;
    function* inner(): Coro<void> {}
    function* main(): Coro<[string, string]> {
      const error = thrownBy(() =>
        run(() => {
          innerCalled = true;
          return inner();
        }),
      );
      return describeError(error);
    }
    const result = await run(main, { loopFactory: () => new VirtualTimeLoop() });
    expect([result, innerCalled]).toEqual([
      ['RuntimeError', 'run() cannot be called from a running event loop'],
      false,
    ]);
  });

  test('run() of a value that is not awaitable throws TypeError', () => {
    expect(describeError(thrownBy(() => run(5 as never)))).toEqual([
      'TypeError',
      'An asyncio Future, a coroutine or an awaitable is required, got number',
    ]);
    expect(describeError(thrownBy(() => run((() => 'text') as never)))).toEqual([
      'TypeError',
      'An asyncio Future, a coroutine or an awaitable is required, got string',
    ]);
  });

  test('run() closes its loop after the coroutine succeeds and after it fails', async () => {
    const loops: EventLoop[] = [];
    const factory = (): EventLoop => {
      const loop = new VirtualTimeLoop();
      loops.push(loop);
      return loop;
    };
    function* ok(): Coro<string> {
      return 'ok';
    }
    function* fails(): Coro<never> {
      throw new Error('bad');
    }
    expect(await run(ok, { loopFactory: factory })).toBe('ok');
    expect(describeError(await rejectionOf(run(fails, { loopFactory: factory })))).toEqual([
      'Error',
      'bad',
    ]);
    expect(loops.map((loop) => [loop.isClosed(), loop.isRunning()])).toEqual([
      [true, false],
      [true, false],
    ]);
  });

  test('run() cancels the tasks main left behind and waits for their finally blocks, in order', async () => {
    const events: string[] = [];
    const leftovers: Task<void>[] = [];
    function* leftover(name: string): Coro<void> {
      try {
        events.push(`${name} waits`);
        yield* sleep(3_600_000);
        events.push(`${name} woke`);
      } finally {
        events.push(`${name} finally`);
      }
    }
    function* main(): Coro<number> {
      leftovers.push(createTask(leftover('a')), createTask(leftover('b')));
      yield* sleep(0);
      events.push('main returns');
      return 123;
    }
    const loop = new VirtualTimeLoop();
    const result = await run(main, { loopFactory: () => loop });
    expect(result).toBe(123);
    expect(events).toEqual(['a waits', 'b waits', 'main returns', 'a finally', 'b finally']);
    expect(leftovers.map((task) => task.cancelled())).toEqual([true, true]);
    expect(loop.time()).toBe(0);
  });

  test('run() waits for a leftover task that keeps running after its cancellation', async () => {
    const events: string[] = [];
    const loop = new VirtualTimeLoop();
    function* stubborn(): Coro<void> {
      try {
        yield* sleep(3_600_000);
      } catch (error) {
        events.push(`caught ${(error as Error).constructor.name} at ${loop.time()}`);
        yield* sleep(500);
        events.push(`cleaned up at ${loop.time()}`);
      }
    }
    function* main(): Coro<string> {
      createTask(stubborn());
      yield* sleep(100);
      return 'main';
    }
    expect(await run(main, { loopFactory: () => loop })).toBe('main');
    expect(events).toEqual(['caught CancelledError at 100', 'cleaned up at 600']);
    expect([loop.time(), loop.isClosed()]).toEqual([600, true]);
  });

  test('an error a leftover task raises during shutdown reaches the exception handler', async () => {
    const reports: ExceptionContext[] = [];
    const error = new TypeError('failed while cancelled');
    let failing: Task<void> | null = null;
    let quiet: Task<void> | null = null;
    function* failsOnCancel(): Coro<void> {
      try {
        yield* sleep(1000);
      } catch {
        throw error;
      }
    }
    function* main(): Coro<number> {
      getRunningLoop().setExceptionHandler((_loop, context) => reports.push(context));
      failing = createTask(failsOnCancel());
      quiet = createTask(sleep(1000));
      yield* sleep(0);
      return 7;
    }
    expect(await run(main, { loopFactory: () => new VirtualTimeLoop() })).toBe(7);
    expect(reports).toHaveLength(1);
    expect(Object.keys(reports[0]!).sort()).toEqual(['exception', 'message', 'task']);
    expect(reports[0]!.message).toBe('unhandled exception during run() shutdown');
    expect(reports[0]!.exception).toBe(error);
    expect(reports[0]!.task).toBe(failing);
    expect(quiet!.cancelled()).toBe(true);
  });

  test('run() rejects with main error and still cancels the leftover tasks', async () => {
    const events: string[] = [];
    class FancyExit extends Error {}
    const reports: string[] = [];
    function* spin(): Coro<void> {
      try {
        for (;;) yield* sleep(1);
      } catch {
        events.push('spin cancelled');
        throw new Error('during cleanup');
      }
    }
    function* main(): Coro<never> {
      getRunningLoop().setExceptionHandler((_loop, context) =>
        reports.push(`${context.message}: ${(context.exception as Error).message}`),
      );
      createTask(spin());
      yield* sleep(5);
      throw new FancyExit('fancy');
    }
    const caught = await rejectionOf(run(main, { loopFactory: () => new VirtualTimeLoop() }));
    expect(describeError(caught)).toEqual(['FancyExit', 'fancy']);
    expect(events).toEqual(['spin cancelled']);
    expect(reports).toEqual(['unhandled exception during run() shutdown: during cleanup']);
  });

  test('run() shuts the default executor down, waiting for its work, before it closes the loop', async () => {
    const events: string[] = [];
    const loop = new VirtualTimeLoop();
    const executor: Executor = {
      submit(fn, ...args) {
        events.push('submit');
        return Promise.resolve().then(() => fn(...args));
      },
      shutdown(options) {
        events.push(`shutdown wait=${options?.wait} closed=${loop.isClosed()}`);
        return Promise.resolve().then(() => {
          events.push('shutdown finished');
        });
      },
    };
    function* main(): Coro<number> {
      loop.setDefaultExecutor(executor);
      const value = yield* loop.runInExecutor(null, (a: number, b: number) => a + b, 2, 3);
      events.push(`main got ${value}`);
      return value;
    }
    expect(await run(main, { loopFactory: () => loop })).toBe(5);
    expect(events).toEqual([
      'submit',
      'main got 5',
      'shutdown wait=true closed=false',
      'shutdown finished',
    ]);
    expect(describeError(thrownBy(() => loop.runInExecutor(null, () => 1)))).toEqual([
      'RuntimeError',
      'Event loop is closed',
    ]);
  });

  test('run() waits for work the default executor is still doing when main returns', async () => {
    const events: string[] = [];
    const loop = new VirtualTimeLoop();
    function* main(): Coro<string> {
      void loop.runInExecutor(null, () => {
        events.push('executor work');
      });
      events.push('main returns');
      return 'done';
    }
    const result = await run(main, { loopFactory: () => loop });
    events.push(`run settled: ${result}`);
    expect(events).toEqual(['main returns', 'executor work', 'run settled: done']);
  });

  test('run() with the default loop clears the current event loop when it is done', async () => {
    let during: EventLoop | null = null;
    function* main(): Coro<void> {
      during = getRunningLoop();
      yield* sleep(0);
    }
    await run(main);
    expect(during).toBeInstanceOf(EventLoop);
    expect(describeError(thrownBy(() => getEventLoop()))).toEqual([
      'RuntimeError',
      'There is no current event loop',
    ]);
  });
});

describe('Runner', () => {
  test('getLoop() before any run makes the loop that run() then uses', async () => {
    const runner = new Runner({ loopFactory: () => new VirtualTimeLoop() });
    const loop = runner.getLoop();
    expect([loop.isRunning(), loop.isClosed(), runner.getLoop() === loop]).toEqual([
      false,
      false,
      true,
    ]);
    function* main(): Coro<boolean> {
      return getRunningLoop() === loop;
    }
    expect(await runner.run(main())).toBe(true);
    await runner.close();
    expect(loop.isClosed()).toBe(true);
  });

  test('Runner sets debug mode on or off as asked', async () => {
    const on = new Runner({ debug: true, loopFactory: () => new VirtualTimeLoop() });
    const off = new Runner({ debug: false, loopFactory: () => new VirtualTimeLoop() });
    expect([on.getLoop().getDebug(), off.getLoop().getDebug()]).toEqual([true, false]);
    await on.close();
    await off.close();
  });

  test('Runner uses the loop its loopFactory makes, once', async () => {
    const loop = new VirtualTimeLoop();
    let made = 0;
    const runner = new Runner({
      loopFactory: () => {
        made++;
        return loop;
      },
    });
    expect(runner.getLoop()).toBe(loop);
    expect(runner.getLoop()).toBe(loop);
    await runner.close();
    expect([made, loop.isClosed()]).toEqual([1, true]);
  });

  test('two runs share one loop, which stays open between them and closes with the runner', async () => {
    const runner = new Runner({ loopFactory: () => new VirtualTimeLoop() });
    function* f(value: string, ms: number): Coro<[string, number]> {
      yield* sleep(ms);
      return [value, getRunningLoop().time()];
    }
    expect(await runner.run(f('first', 100))).toEqual(['first', 100]);
    const loop = runner.getLoop();
    expect([loop.isClosed(), loop.isRunning()]).toEqual([false, false]);
    expect(await runner.run(f('second', 50))).toEqual(['second', 150]);
    await runner.close();
    expect(loop.isClosed()).toBe(true);
    expect(describeError(thrownBy(() => runner.getLoop()))).toEqual([
      'RuntimeError',
      'Runner is closed',
    ]);
  });

  test('context variables set by one run are seen by the next run of the same runner', async () => {
    const cvar = new ContextVar<number>('cvar', { default: -1 });
    function* f(value: number): Coro<number> {
      const old = cvar.get();
      yield* sleep(0);
      cvar.set(value);
      return old;
    }
    function* read(): Coro<number> {
      return cvar.get();
    }
    const runner = new Runner({ loopFactory: () => new VirtualTimeLoop() });
    const results = [await runner.run(f(1)), await runner.run(f(2)), await runner.run(read())];
    await runner.close();
    expect([...results, cvar.get()]).toEqual([-1, 1, 2, -1]);
  });

  test('Runner.run() with an explicit context runs the coroutine in that context', async () => {
    const cvar = new ContextVar<string>('who', { default: 'nobody' });
    const context = copyContext();
    context.run(() => cvar.set('ada'));
    function* read(): Coro<string> {
      return cvar.get();
    }
    const runner = new Runner({ loopFactory: () => new VirtualTimeLoop() });
    const results = [await runner.run(read(), { context }), await runner.run(read())];
    await runner.close();
    expect(results).toEqual(['ada', 'nobody']);
  });

  test('close() is idempotent', async () => {
    const runner = new Runner({ loopFactory: () => new VirtualTimeLoop() });
    const loop = runner.getLoop();
    await runner.close();
    expect(loop.isClosed()).toBe(true);
    expect(await runner.close()).toBeUndefined();
    expect(loop.isClosed()).toBe(true);
  });

  test('run() after close() throws RuntimeError "Runner is closed" and runs nothing', async () => {
    const events: number[] = [];
    function* f(value: number): Coro<void> {
      events.push(value);
    }
    const runner = new Runner({ loopFactory: () => new VirtualTimeLoop() });
    await runner.run(f(1));
    await runner.close();
    expect(describeError(thrownBy(() => runner.run(f(2))))).toEqual([
      'RuntimeError',
      'Runner is closed',
    ]);
    expect(events).toEqual([1]);
  });

  test('Symbol.asyncDispose closes the runner and its loop', async () => {
    const runner = new Runner({ loopFactory: () => new VirtualTimeLoop() });
    const loop = runner.getLoop();
    await runner[Symbol.asyncDispose]();
    expect(loop.isClosed()).toBe(true);
    expect(describeError(thrownBy(() => runner.getLoop()))).toEqual([
      'RuntimeError',
      'Runner is closed',
    ]);
  });

  test('Runner.run() from inside a running loop throws RuntimeError synchronously', async () => {
    const runner = new Runner({ loopFactory: () => new VirtualTimeLoop() });
    let innerStarted = false;
    function* inner(): Coro<void> {
      innerStarted = true;
    }
    function* outer(): Coro<[string, string]> {
      return describeError(thrownBy(() => runner.run(inner())));
    }
    const result = await runner.run(outer());
    await runner.close();
    expect([result, innerStarted]).toEqual([
      ['RuntimeError', 'Runner.run() cannot be called from a running event loop'],
      false,
    ]);
  });

  test('the default Runner makes its loop the current event loop until it closes', async () => {
    const runner = new Runner();
    const loop = runner.getLoop();
    const seen: boolean[] = [getEventLoop() === loop];
    function* main(): Coro<void> {
      // A host callback runs while no loop is running: it sees the current loop.
      yield* getRunningLoop().runInExecutor(null, () => {
        seen.push(getEventLoop() === loop);
      });
    }
    await runner.run(main());
    seen.push(getEventLoop() === loop);
    await runner.close();
    expect(seen).toEqual([true, true, true]);
    expect(describeError(thrownBy(() => getEventLoop()))).toEqual([
      'RuntimeError',
      'There is no current event loop',
    ]);
  });

  test('a Runner with a loopFactory never sets the current event loop', async () => {
    const runner = new Runner({ loopFactory: () => new VirtualTimeLoop() });
    const loop = runner.getLoop();
    const seen: [string, string][] = [describeError(thrownBy(() => getEventLoop()))];
    function* main(): Coro<void> {
      yield* loop.runInExecutor(null, () => {
        seen.push(describeError(thrownBy(() => getEventLoop())));
      });
    }
    await runner.run(main());
    seen.push(describeError(thrownBy(() => getEventLoop())));
    await runner.close();
    expect(seen).toEqual([
      ['RuntimeError', 'There is no current event loop'],
      ['RuntimeError', 'There is no current event loop'],
      ['RuntimeError', 'There is no current event loop'],
    ]);
  });

  test('Runner.run() of a Future settles with its result', async () => {
    const runner = new Runner({ loopFactory: () => new VirtualTimeLoop() });
    const loop = runner.getLoop();
    const future = loop.createFuture<string>();
    loop.callLater(250, () => future.setResult('from the future'));
    expect(await runner.run(future)).toBe('from the future');
    expect(loop.time()).toBe(250);
    await runner.close();
  });

  test('Runner.run() of a promise settles with its value, or rejects with its error', async () => {
    const runner = new Runner({ loopFactory: () => new VirtualTimeLoop() });
    const error = new Error('promise failed');
    expect(await runner.run(Promise.resolve('resolved value'))).toBe('resolved value');
    expect(await rejectionOf(runner.run(Promise.reject(error)))).toBe(error);
    await runner.close();
  });

  test('Runner.run() of a value that is not awaitable throws TypeError', async () => {
    const runner = new Runner({ loopFactory: () => new VirtualTimeLoop() });
    expect(describeError(thrownBy(() => runner.run(123 as never)))).toEqual([
      'TypeError',
      'An asyncio Future, a coroutine or an awaitable is required, got number',
    ]);
    await runner.close();
  });

  test('a task left by one run keeps running in the next run and is cancelled by close()', async () => {
    const events: string[] = [];
    const loop = new VirtualTimeLoop();
    const runner = new Runner({ loopFactory: () => loop });
    function* background(): Coro<void> {
      try {
        for (;;) {
          yield* sleep(40);
          events.push(`tick at ${loop.time()}`);
        }
      } finally {
        events.push(`background finally at ${loop.time()}`);
      }
    }
    function* first(): Coro<void> {
      createTask(background());
      yield* sleep(50);
      events.push('first done');
    }
    function* second(): Coro<void> {
      yield* sleep(50);
      events.push('second done');
    }
    await runner.run(first());
    await runner.run(second());
    await runner.close();
    expect(events).toEqual([
      'tick at 40',
      'first done',
      'tick at 80',
      'second done',
      'background finally at 100',
    ]);
  });

  test('toString() names the runner state', async () => {
    const runner = new Runner({ loopFactory: () => new VirtualTimeLoop() });
    const states = [String(runner)];
    runner.getLoop();
    states.push(String(runner));
    await runner.close();
    states.push(String(runner));
    expect(states).toEqual(['<Runner created>', '<Runner initialized>', '<Runner closed>']);
  });
});

describe('KeyboardInterrupt', () => {
  function emitSigint(): void {
    process.emit('SIGINT', 'SIGINT');
  }

  test('SIGINT while main waits on a future cancels both and run() rejects with KeyboardInterrupt', async () => {
    const events: string[] = [];
    const loop = new VirtualTimeLoop();
    let future: Future<void> | null = null;
    function* main(): Coro<void> {
      future = loop.createFuture<void>();
      loop.callLater(100, emitSigint);
      try {
        yield* future;
      } catch (error) {
        events.push(`main caught ${describeError(error).join(': ')}`);
        throw error;
      }
    }
    const caught = await rejectionOf(run(main, { loopFactory: () => loop }));
    expect(caught).toBeInstanceOf(KeyboardInterrupt);
    expect(describeError(caught)).toEqual(['KeyboardInterrupt', '']);
    expect(events).toEqual(['main caught CancelledError: ']);
    expect([future!.cancelled(), loop.time()]).toEqual([true, 100]);
  });

  test('SIGINT while main only gives up the loop with sleep(0) still cancels it', async () => {
    let spins = 0;
    const loop = new VirtualTimeLoop();
    function* main(): Coro<void> {
      loop.callSoon(emitSigint);
      for (;;) {
        spins++;
        yield* sleep(0);
      }
    }
    const caught = await rejectionOf(run(main, { loopFactory: () => loop }));
    expect(describeError(caught)).toEqual(['KeyboardInterrupt', '']);
    expect(spins).toBe(1);
  });

  test('SIGINT from outside the loop wakes an idle loop and interrupts run()', async () => {
    const events: string[] = [];
    function* main(): Coro<void> {
      events.push('main waits');
      try {
        yield* sleep(60_000);
      } finally {
        events.push('main finally');
      }
    }
    const promise = run(main);
    events.push('run returned');
    emitSigint();
    const caught = await rejectionOf(promise);
    expect(describeError(caught)).toEqual(['KeyboardInterrupt', '']);
    expect(events).toEqual(['main waits', 'run returned', 'main finally']);
  });

  test('a main that catches the cancellation and returns normally is not interrupted', async () => {
    const loop = new VirtualTimeLoop();
    function* main(): Coro<string> {
      loop.callLater(10, emitSigint);
      try {
        yield* sleep(1000);
        return 'slept';
      } catch (error) {
        return `handled ${(error as Error).constructor.name}`;
      }
    }
    expect(await run(main, { loopFactory: () => loop })).toBe('handled CancelledError');
    expect(loop.time()).toBe(10);
  });

  test('SIGINT on a main task already cancelled by another task ends run() with CancelledError', async () => {
    const loop = new VirtualTimeLoop();
    function* subtask(task: Task<unknown>): Coro<void> {
      yield* sleep(0);
      task.cancel('by subtask');
      emitSigint();
    }
    function* main(): Coro<void> {
      createTask(subtask(currentTask()!));
      yield* sleep(10_000);
    }
    const caught = await rejectionOf(run(main, { loopFactory: () => loop }));
    expect(caught).toBeInstanceOf(CancelledError);
    expect(describeError(caught)).toEqual(['CancelledError', 'by subtask']);
  });

  test('the SIGINT listener exists only while run() is in progress', async () => {
    const counts: number[] = [process.listenerCount('SIGINT')];
    function* main(): Coro<void> {
      counts.push(process.listenerCount('SIGINT'));
      yield* sleep(5);
    }
    await run(main, { loopFactory: () => new VirtualTimeLoop() });
    counts.push(process.listenerCount('SIGINT'));
    expect(counts).toEqual([0, 1, 0]);
  });

  test('a program that listens for SIGINT itself keeps it: run() does not cancel main', async () => {
    const heard: string[] = [];
    const listener = (): void => {
      heard.push('program listener');
    };
    process.on('SIGINT', listener);
    try {
      const loop = new VirtualTimeLoop();
      function* main(): Coro<string> {
        loop.callLater(10, emitSigint);
        yield* sleep(100);
        return `finished at ${loop.time()}`;
      }
      expect(await run(main, { loopFactory: () => loop })).toBe('finished at 100');
      expect(heard).toEqual(['program listener']);
    } finally {
      process.removeListener('SIGINT', listener);
    }
  });

  test('SIGINT during Runner.run() rejects that run with KeyboardInterrupt and the runner stays usable', async () => {
    const runner = new Runner({ loopFactory: () => new VirtualTimeLoop() });
    const loop = runner.getLoop();
    function* interrupted(): Coro<void> {
      loop.callLater(10, emitSigint);
      yield* sleep(1000);
    }
    function* after(): Coro<string> {
      yield* sleep(1);
      return 'second run';
    }
    const caught = await rejectionOf(runner.run(interrupted()));
    const next = await runner.run(after());
    await runner.close();
    expect([describeError(caught), next, loop.time()]).toEqual([
      ['KeyboardInterrupt', ''],
      'second run',
      11,
    ]);
  });
});
