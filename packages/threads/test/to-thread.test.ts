import { availableParallelism } from 'node:os';
import { CancelledError, type Coro, getRunningLoop, RuntimeError } from '@asyncio-ts/core-loop';
import { createTask, gather, run, sleep } from '@asyncio-ts/tasks';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type JobScope, toThread, WorkerPoolExecutor } from '../dist/index.js';
import {
  expectError,
  fixture,
  Gate,
  job,
  thrownBy,
  thrownByAwaiting,
  waitAtGate,
} from './utils.js';

describe('toThread(fn, ...args), as CPython test_threads.py', () => {
  it('returns the function result', async () => {
    const result = await run(function* () {
      const sum = (numbers: number[]) => numbers.reduce((a, b) => a + b, 0);
      const value = yield* toThread(sum, [40, 2]);
      expectTypeOf(value).toEqualTypeOf<number>();
      return value;
    });
    expect(result).toBe(42);
  });

  it('raises what the function raised, after calling it once', async () => {
    const calls = new Int32Array(new SharedArrayBuffer(4));
    const error = await run(function* () {
      return yield* thrownByAwaiting(
        toThread((counter: Int32Array) => {
          Atomics.add(counter, 0, 1);
          throw new TypeError('side effect');
        }, calls),
      );
    });
    expectError(error, TypeError, 'side effect');
    expect(calls[0]).toBe(1);
  });

  it('calls the function once', async () => {
    const calls = new Int32Array(new SharedArrayBuffer(4));
    await run(function* () {
      yield* toThread((counter: Int32Array) => Atomics.add(counter, 0, 1), calls);
    });
    expect(calls[0]).toBe(1);
  });

  it('runs concurrent calls, each once', async () => {
    const calls = new Int32Array(new SharedArrayBuffer(4));
    const results = await run(function* () {
      const futures = Array.from({ length: 10 }, (_, i) =>
        toThread(
          (counter: Int32Array, index: number) => {
            Atomics.add(counter, 0, 1);
            return index;
          },
          calls,
          i,
        ),
      );
      return yield* gather(futures);
    });
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(calls[0]).toBe(10);
  });

  it('passes positional arguments and an options object (Python keyword arguments)', async () => {
    const received = await run(function* () {
      return yield* toThread(
        (word: string, options: { something: boolean }) => [word, options],
        'test',
        { something: true },
      );
    });
    expect(received).toEqual(['test', { something: true }]);
  });

  it('does not carry the caller context into the worker: pass values as arguments', async () => {
    const { requestId } = await import('./fixtures/context-vars.mjs');
    const seen = await run(function* () {
      requestId.set('parrot');
      const inWorker = yield* toThread<string>(fixture('context-vars.mjs', 'readRequestId'));
      const passed = yield* toThread((id: string) => id, requestId.get());
      return [inWorker, passed, requestId.get()];
    });
    expect(seen).toEqual(['none', 'parrot', 'parrot']);
  });
});

describe('toThread on the loop', () => {
  it('keeps the loop running other tasks while a job runs', async () => {
    const gate = new Gate();
    const log = await run(function* () {
      const log: string[] = [];
      const ticker = createTask(
        (function* (): Coro<void> {
          for (let i = 1; i <= 3; i++) {
            yield* sleep(5);
            log.push(`tick ${i}`);
          }
          log.push('opening the gate');
          gate.open();
        })(),
      );
      log.push(`job returned ${yield* toThread(waitAtGate, gate.words, 'done')}`);
      yield* ticker;
      return log;
    });
    expect(log).toEqual(['tick 1', 'tick 2', 'tick 3', 'opening the gate', 'job returned done']);
  });

  it('runs the function on a worker thread, reused from call to call', async () => {
    type Where = { isMainThread: boolean; threadId: number };
    const places = await run(function* () {
      getRunningLoop().setDefaultExecutor(new WorkerPoolExecutor({ maxWorkers: 1 }));
      const first = yield* toThread<Where>(job('whereAmI'));
      const second = yield* toThread<Where>(job('whereAmI'));
      return [first, second];
    });
    expect(places[0]!.isMainThread).toBe(false);
    expect(places[0]!.threadId).toBeGreaterThan(0);
    expect(places[1]).toEqual(places[0]);
  });

  it('uses the same default pool as runInExecutor(null, ...)', async () => {
    const results = await run(function* () {
      const loop = getRunningLoop();
      const a = yield* loop.runInExecutor(null, (x: number) => x * 2, 21);
      const b = yield* toThread((x: number) => x + 1, 41);
      return [a, b];
    });
    expect(results).toEqual([42, 42]);
  });

  it('awaits a function that returns a promise, in the worker', async () => {
    const value = await run(function* () {
      return yield* toThread(async (ms: number) => {
        await new Promise((resolve) => setTimeout(resolve, ms));
        return `slept ${ms}`;
      }, 5);
    });
    expect(value).toBe('slept 5');
  });

  it('gives a function (not an arrow) the job scope as this', async () => {
    const seen = await run(function* () {
      return yield* toThread(function (this: JobScope) {
        return [this.signal.aborted, typeof this.runCoroutineThreadsafe];
      });
    });
    expect(seen).toEqual([false, 'function']);
  });

  it('runs method shorthand and named recursive functions from their source', async () => {
    const results = await run(function* () {
      const methods = {
        double(x: number) {
          return x * 2;
        },
      };
      function fib(n: number): number {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
      }
      return [yield* toThread(methods.double, 21), yield* toThread(fib, 20)];
    });
    expect(results).toEqual([42, 6765]);
  });

  it('drops a queued job whose future is cancelled: it never runs', async () => {
    const gate = new Gate();
    const log = await run(function* () {
      getRunningLoop().setDefaultExecutor(new WorkerPoolExecutor({ maxWorkers: 1 }));
      const blocker = toThread(waitAtGate, gate.words, 'blocker');
      const queued = toThread(waitAtGate, gate.words, 'queued');
      yield* sleep(1);
      const log: string[] = [`cancel ${queued.cancel()}`];
      const error = yield* thrownByAwaiting(queued);
      log.push((error as Error).constructor.name);
      gate.open();
      log.push(yield* blocker);
      log.push(yield* toThread((words: Int32Array) => `passed ${words[1]}`, gate.words));
      return log;
    });
    expect(log).toEqual(['cancel true', 'CancelledError', 'blocker', 'passed 1']);
  });

  it("drops a queued job and aborts a running one on the loop's own default pool", async () => {
    const gate = new Gate();
    // Word 0: the running job stopped; word 1: it started.
    const words = new Int32Array(new SharedArrayBuffer(8));
    const log = await run(function* () {
      const workers = availableParallelism();
      const blockers = [];
      for (let i = 0; i < workers - 1; i++)
        blockers.push(toThread(waitAtGate, gate.words, 'blocker'));
      const running = toThread(function (this: JobScope, shared: Int32Array) {
        Atomics.store(shared, 1, 1);
        Atomics.notify(shared, 1);
        while (!this.signal.aborted) {}
        Atomics.store(shared, 0, 1);
        Atomics.notify(shared, 0);
        return 'stopped';
      }, words);
      // Every worker is busy: this one waits in the pool's queue.
      const queued = toThread(waitAtGate, gate.words, 'queued');
      const log: string[] = [`the running job started: ${Atomics.wait(words, 1, 0, 10_000)}`];
      log.push(`cancel queued ${queued.cancel()}`, `cancel running ${running.cancel()}`);
      log.push(((yield* thrownByAwaiting(queued)) as Error).constructor.name);
      log.push(((yield* thrownByAwaiting(running)) as Error).constructor.name);
      yield* sleep(0); // the cancellation reaches the pool in a callback of the future
      log.push(`the running job saw its signal: ${Atomics.wait(words, 0, 0, 10_000)}`);
      gate.open();
      log.push(...(yield* gather(blockers)));
      log.push(`jobs through the gate: ${gate.passed}`);
      return log;
    });
    const blockers = Array.from({ length: availableParallelism() - 1 }, () => 'blocker');
    expect(log).toEqual([
      'the running job started: ok',
      'cancel queued true',
      'cancel running true',
      'CancelledError',
      'CancelledError',
      'the running job saw its signal: ok',
      ...blockers,
      `jobs through the gate: ${blockers.length}`,
    ]);
  });

  it('aborts the signal of a running job whose future is cancelled', async () => {
    const outcome = await run(function* () {
      const pool = new WorkerPoolExecutor({ maxWorkers: 1 });
      getRunningLoop().setDefaultExecutor(pool);
      const future = toThread<string>(job('spinUntilAborted'), 5_000);
      yield* sleep(20);
      future.cancel();
      const error = yield* thrownByAwaiting(future);
      // The job goes on until it looks at its signal; the next job runs after it.
      const next = yield* toThread(() => 'next job');
      return [(error as Error).constructor.name, next];
    });
    expect(outcome).toEqual(['CancelledError', 'next job']);
  });
});

describe('toThread: what crosses the thread', () => {
  it('rebuilds a built-in error with its class, message and the worker stack', async () => {
    const error = (await run(function* () {
      return yield* thrownByAwaiting(
        toThread(function parseAge(text: string) {
          throw new RangeError(`not an age: ${text}`);
        }, 'abc'),
      );
    })) as Error;
    expectError(error, RangeError, 'not an age: abc');
    expect(error.stack!.split('\n').slice(0, 2)).toEqual([
      'RangeError: not an age: abc',
      expect.stringMatching(
        /^ {4}at (Object\.)?parseAge \(asyncio-ts-thread-fn-\d+\.js:\d+:\d+\)$/,
      ),
    ]);
  });

  it("gives a user's error class as an Error named after it, with cause and code", async () => {
    const error = (await run(function* () {
      return yield* thrownByAwaiting(
        toThread(() => {
          class ParseError extends Error {
            code = 'E_PARSE';
          }
          throw new ParseError('bad input', { cause: new TypeError('inner') });
        }),
      );
    })) as Error & { code: string };
    expectError(error, Error, 'bad input');
    expect([error.name, error.code]).toEqual(['ParseError', 'E_PARSE']);
    expectError(error.cause, TypeError, 'inner');
  });

  it("rebuilds core-loop's errors as the same classes", async () => {
    const error = await run(function* () {
      return yield* thrownByAwaiting(toThread(job('throwRuntimeError'), 'misused'));
    });
    expectError(error, RuntimeError, 'misused');
  });

  it('passes a thrown non-error value as it is', async () => {
    const thrown = await run(function* () {
      return yield* thrownByAwaiting(
        toThread(() => {
          throw { status: 418 };
        }),
      );
    });
    expect(thrown).toEqual({ status: 418 });
  });

  it('explains a function that uses a variable of its enclosing scope', async () => {
    const offset = 3;
    const error = await run(function* () {
      return yield* thrownByAwaiting(toThread((x: number) => x + offset, 1));
    });
    expectError(
      error,
      ReferenceError,
      'toThread(fn): fn uses "offset" from its enclosing scope; a function run in a worker thread ' +
        'must be self-contained: pass offset as an argument or use a { module, export } reference',
    );
  });

  it('names the function when it has a name', async () => {
    const scale = 2;
    function scaled(x: number): number {
      return x * scale;
    }
    const error = await run(function* () {
      return yield* thrownByAwaiting(toThread(scaled, 1));
    });
    expect((error as Error).message).toBe(
      'toThread(fn): scaled uses "scale" from its enclosing scope; a function run in a worker ' +
        'thread must be self-contained: pass scale as an argument or use a { module, export } reference',
    );
  });

  it('fails with TypeError when an argument cannot be copied', async () => {
    const error = await run(function* () {
      return yield* thrownByAwaiting(
        toThread(
          (f: () => number) => typeof f,
          () => 2,
        ),
      );
    });
    expectError(
      error,
      TypeError,
      'toThread(fn): an argument cannot be copied to a worker thread: () => 2 could not be cloned.',
    );
  });

  it('fails with the module error when a reference names a missing module', async () => {
    const error = (await run(function* () {
      return yield* thrownByAwaiting(toThread(fixture('missing.mjs', 'f')));
    })) as Error & { code: string };
    expect([error.constructor, error.code]).toEqual([Error, 'ERR_MODULE_NOT_FOUND']);
  });

  it('fails with TypeError when the module has no such exported function', async () => {
    const ref = fixture('worker-jobs.mjs', 'nothing');
    const error = await run(function* () {
      return yield* thrownByAwaiting(toThread(ref));
    });
    expectError(error, TypeError, `${(ref.module as URL).href} has no exported function "nothing"`);
  });
});

describe('toThread: bad input', () => {
  it('refuses what is neither a function nor a reference', async () => {
    const errors = await run(function* () {
      return [
        thrownBy(() => toThread(5 as never)),
        thrownBy(() => toThread({ module: 5, export: 'f' } as never)),
        thrownBy(() => toThread({ module: './jobs.js', export: 'f' })),
      ];
    });
    expectError(
      errors[0],
      TypeError,
      'toThread() expects a function or a { module, export } reference, got number',
    );
    expectError(
      errors[1],
      TypeError,
      'toThread() expects a { module, export } reference to a function, got an object without string module and export',
    );
    expectError(
      errors[2],
      TypeError,
      'toThread(): module "./jobs.js" is relative; use new URL("./jobs.js", import.meta.url)',
    );
  });

  it('refuses a built-in or bound function, whose source cannot be sent', async () => {
    const error = await run(function* () {
      return thrownBy(() => toThread(Math.max, 1, 2));
    });
    expectError(
      error,
      TypeError,
      'toThread(fn): max is a built-in or bound function, whose source cannot be sent to a worker ' +
        'thread: wrap it in a self-contained function or use a { module, export } reference',
    );
  });

  it('needs a running loop', () => {
    expectError(
      thrownBy(() => toThread(() => 1)),
      RuntimeError,
      'no running event loop',
    );
  });

  it('is refused once run() shut the default executor down', async () => {
    const error = await run(function* () {
      const loop = getRunningLoop();
      yield* loop.shutdownDefaultExecutor();
      return thrownBy(() => toThread(() => 1));
    });
    expectError(error, RuntimeError, 'Executor shutdown has been called');
  });

  it('surfaces CancelledError from the awaiting task, not the job', async () => {
    const error = await run(function* () {
      const future = toThread(() => 1);
      future.cancel('stop');
      return yield* thrownByAwaiting(future);
    });
    expectError(error, CancelledError, 'stop');
  });
});
