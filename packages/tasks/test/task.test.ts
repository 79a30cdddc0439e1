import {
  CancelledError,
  ContextVar,
  type Coro,
  copyContext,
  type ExceptionContext,
  type Future,
  getRunningLoop,
  InvalidStateError,
  RuntimeError,
  VirtualTimeLoop,
} from '@asyncio-ts/core-loop';
import { describe, expect, it } from 'vitest';
import { createTask, sleep, Task } from '../src/index.js';
import {
  expectError,
  fails,
  hostTurn,
  now,
  pollUntilDone,
  rejectionOf,
  returns,
  runVirtual,
  thrownBy,
  thrownByAwaiting,
} from './utils.js';

describe('a task runs its coroutine', () => {
  it('takes the value the coroutine returns as its result', async () => {
    const result = await runVirtual(function* () {
      const task = createTask(returns('ok'));
      const value = yield* task;
      return [value, task.done(), task.cancelled(), task.result(), task.exception()];
    });
    expect(result).toEqual(['ok', true, false, 'ok', null]);
  });

  it('takes undefined as its result when the coroutine returns nothing', async () => {
    const result = await runVirtual(function* () {
      const task = createTask(
        (function* (): Coro<void> {
          yield* sleep(1);
        })(),
      );
      yield* task;
      return [task.done(), task.result()];
    });
    expect(result).toEqual([true, undefined]);
  });

  it('finishes with the error its coroutine throws, as the same object', async () => {
    const boom = new Error('boom');
    const seen = await runVirtual(function* () {
      const task = createTask(fails(boom));
      const caught = yield* thrownByAwaiting(task);
      return [
        caught,
        task.done(),
        task.cancelled(),
        task.exception(),
        thrownBy(() => task.result()),
      ];
    });
    expect(seen).toEqual([boom, true, false, boom, boom]);
    expect(seen[0]).toBe(boom);
    expect(seen[3]).toBe(boom);
    expect(seen[4]).toBe(boom);
  });

  it('composes coroutines with yield* and returns their combined value', async () => {
    function* inner1(): Coro<number> {
      return 42;
    }
    function* inner2(): Coro<number> {
      yield* sleep(5);
      return 1000;
    }
    function* outer(): Coro<number> {
      const a = yield* inner1();
      const b = yield* inner2();
      return a + b;
    }
    const loop = new VirtualTimeLoop();
    expect(await runVirtual(outer, loop)).toBe(1042);
    expect(loop.time()).toBe(5);
  });

  it('is awaited from another task and hands it the result once it is done', async () => {
    const log: string[] = [];
    const loop = new VirtualTimeLoop();
    await runVirtual(function* () {
      function* child(): Coro<string> {
        log.push(`child starts at ${now()}`);
        yield* sleep(30);
        log.push(`child ends at ${now()}`);
        return 'child result';
      }
      const task = createTask(child());
      log.push('main waits');
      const value = yield* task;
      log.push(`main got ${value} at ${now()}`);
    }, loop);
    expect(log).toEqual([
      'main waits',
      'child starts at 0',
      'child ends at 30',
      'main got child result at 30',
    ]);
    expect(loop.time()).toBe(30);
  });

  it('gives a failing task’s error to the task that awaits it', async () => {
    const error = new TypeError('bad input');
    const caught = await runVirtual(function* () {
      function* child(): Coro<never> {
        yield* sleep(10);
        throw error;
      }
      return yield* thrownByAwaiting(createTask(child()));
    });
    expect(caught).toBe(error);
  });

  it('starts on the next iteration, after the callbacks already scheduled, not in createTask', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const loop = getRunningLoop();
      loop.callSoon(() => log.push('callback 1'));
      const task = createTask(
        (function* (): Coro<void> {
          log.push('task step');
        })(),
      );
      loop.callSoon(() => log.push('callback 2'));
      log.push('created');
      yield* task;
    });
    expect(log).toEqual(['created', 'callback 1', 'task step', 'callback 2']);
  });

  it('fails the task, not createTask, when the coroutine throws before its first yield', async () => {
    const error = new Error('at once');
    const seen = await runVirtual(function* () {
      const task = createTask(fails(error));
      const doneAtCreation = task.done();
      const caught = yield* thrownByAwaiting(task);
      return [doneAtCreation, caught];
    });
    expect(seen).toEqual([false, error]);
  });

  it('accepts a coroutine look-alike with next, throw and return', async () => {
    const calls: string[] = [];
    const lookAlike = {
      next(value: unknown): IteratorResult<undefined, string> {
        calls.push(`next(${String(value)})`);
        return calls.length < 2 ? { done: false, value: undefined } : { done: true, value: 'made' };
      },
      throw(error: unknown): IteratorResult<undefined, string> {
        throw error;
      },
      return(value: string): IteratorResult<undefined, string> {
        return { done: true, value };
      },
      [Symbol.iterator]() {
        return this;
      },
    };
    const result = await runVirtual(function* () {
      return yield* createTask(lookAlike as unknown as Coro<string>);
    });
    expect(result).toBe('made');
    expect(calls).toEqual(['next(undefined)', 'next(undefined)']);
  });

  it('binds to the loop given to the Task constructor', async () => {
    const loop = new VirtualTimeLoop();
    const task = new Task(sleep(20, 'slept'), { loop });
    expect(task.getLoop()).toBe(loop);
    expect(task.done()).toBe(false);
    expect(await loop.runUntilComplete(task)).toBe('slept');
    expect(loop.time()).toBe(20);
    loop.close();
  });

  it('resumes at once from yield* of a future that is already done', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const done = getRunningLoop().createFuture<string>();
      done.setResult('ready');
      const a = createTask(
        (function* (): Coro<void> {
          log.push('A1');
          log.push(`A got ${yield* done}`);
        })(),
      );
      const b = createTask(
        (function* (): Coro<void> {
          log.push('B1');
        })(),
      );
      yield* a;
      yield* b;
    });
    expect(log).toEqual(['A1', 'A got ready', 'B1']);
  });

  it('waits for a future that a timer settles and resumes at exactly its time', async () => {
    const loop = new VirtualTimeLoop();
    const seen = await runVirtual(function* () {
      const fut = getRunningLoop().createFuture<number>();
      getRunningLoop().callLater(250, () => fut.setResult(7));
      const value = yield* fut;
      return [value, now()];
    }, loop);
    expect(seen).toEqual([7, 250]);
  });

  it('refuses result() while pending with InvalidStateError', async () => {
    const error = await runVirtual(function* () {
      const task = createTask(sleep(10));
      const err = thrownBy(() => task.result());
      yield* task;
      return err;
    });
    expectError(error, InvalidStateError, 'Result is not ready.');
  });
});

describe('await task outside the loop', () => {
  it('resolves with the task’s result while the loop runs it', async () => {
    const loop = new VirtualTimeLoop();
    const task = loop.createTask(sleep(40, 'from the loop'));
    const running = loop.runUntilComplete(task);
    expect(await task).toBe('from the loop');
    expect(await running).toBe('from the loop');
    expect(loop.time()).toBe(40);
    loop.close();
  });

  it('resolves at once for a task that is already done', async () => {
    const loop = new VirtualTimeLoop();
    const task = loop.createTask(returns(5));
    await loop.runUntilComplete(task);
    loop.close();
    expect(await task).toBe(5);
  });

  it('rejects with the error of a task that failed', async () => {
    const loop = new VirtualTimeLoop();
    const error = new RangeError('out of range');
    const task = loop.createTask(fails(error));
    const running = loop.runUntilComplete(task);
    expect(await rejectionOf(task)).toBe(error);
    expect(await rejectionOf(running)).toBe(error);
    loop.close();
  });
});

describe('task names', () => {
  it('are Task-N by default, counting up by one for each task', async () => {
    const names = await runVirtual(function* () {
      const a = createTask(returns(1));
      const b = createTask(returns(2));
      yield* a;
      yield* b;
      return [a.getName(), b.getName()];
    });
    const first = /^Task-(\d+)$/.exec(names[0]!);
    expect(first).not.toBeNull();
    expect(names).toEqual([`Task-${first![1]}`, `Task-${Number(first![1]) + 1}`]);
  });

  it('come from the name option', async () => {
    const name = await runVirtual(function* () {
      const task = createTask(returns(1), { name: 'worker-7' });
      yield* task;
      return task.getName();
    });
    expect(name).toBe('worker-7');
  });

  it('change with setName, which turns any value into a string', async () => {
    const names = await runVirtual(function* () {
      const task = createTask(returns(1), { name: 'before' });
      const seen = [task.getName()];
      task.setName(42);
      seen.push(task.getName());
      task.setName({ toString: () => 'an object' });
      seen.push(task.getName());
      task.setName(null);
      seen.push(task.getName());
      yield* task;
      return seen;
    });
    expect(names).toEqual(['before', '42', 'an object', 'null']);
  });

  it('turn a non-string name option into a string', async () => {
    const name = await runVirtual(function* () {
      const task = createTask(returns(1), { name: 123 as unknown as string });
      yield* task;
      return task.getName();
    });
    expect(name).toBe('123');
  });
});

describe('task accessors', () => {
  it('getCoro() returns the coroutine the task drives', async () => {
    const same = await runVirtual(function* () {
      const coro = returns('x');
      const task = createTask(coro);
      yield* task;
      return task.getCoro() === coro;
    });
    expect(same).toBe(true);
  });

  it('getContext() returns the context given, and the coroutine runs in it', async () => {
    const variable = new ContextVar<string>('who');
    const seen = await runVirtual(function* () {
      const context = copyContext();
      context.run(() => variable.set('inside the given context'));
      const task = createTask(
        (function* (): Coro<string> {
          yield* sleep(1);
          return variable.get('unset');
        })(),
        { context },
      );
      const value = yield* task;
      return [task.getContext() === context, value, variable.get('unset')];
    });
    expect(seen).toEqual([true, 'inside the given context', 'unset']);
  });

  it('runs each task in a copy of its creator’s context', async () => {
    const variable = new ContextVar<string>('owner');
    const seen = await runVirtual(function* () {
      variable.set('main');
      const task = createTask(
        (function* (): Coro<string> {
          const inherited = variable.get();
          variable.set('child');
          yield;
          return `${inherited} then ${variable.get()}`;
        })(),
      );
      const value = yield* task;
      return [value, variable.get()];
    });
    expect(seen).toEqual(['main then child', 'main']);
  });
});

describe('toString()', () => {
  it('shows a pending, a waiting, a cancelling and a cancelled task', async () => {
    const forms = await runVirtual(function* () {
      const fut = getRunningLoop().createFuture<void>();
      const task = createTask(
        (function* (): Coro<void> {
          yield* fut;
        })(),
        { name: 'shown' },
      );
      const seen = [String(task)];
      yield;
      seen.push(
        String(task) === `<Task pending name=shown wait_for=${fut}>` ? 'wait_for' : String(task),
      );
      task.cancel();
      seen.push(String(task));
      yield* pollUntilDone(task);
      seen.push(String(task));
      return seen;
    });
    expect(forms).toEqual([
      '<Task pending name=shown>',
      'wait_for',
      '<Task cancelling name=shown wait_for=<Future cancelled>>',
      '<Task cancelled name=shown>',
    ]);
  });

  it('shows a finished task with its result or its exception', async () => {
    const forms = await runVirtual(function* () {
      const ok = createTask(returns('abc'), { name: 'ok' });
      const bad = createTask(fails(new Error('nope')), { name: 'bad' });
      yield* pollUntilDone(ok);
      yield* pollUntilDone(bad);
      const seen = [String(ok), String(bad)];
      bad.exception();
      return seen;
    });
    expect(forms).toEqual([
      "<Task finished name=ok result='abc'>",
      '<Task finished name=bad exception=Error("nope")>',
    ]);
  });
});

describe('what a coroutine may yield to its task', () => {
  it('interleaves two tasks that each push, sleep(0) and push: A1 B1 A2 B2', async () => {
    const log: string[] = [];
    function* worker(name: string): Coro<void> {
      log.push(`${name}1`);
      yield* sleep(0);
      log.push(`${name}2`);
    }
    const loop = new VirtualTimeLoop();
    await runVirtual(function* () {
      const a = createTask(worker('A'));
      const b = createTask(worker('B'));
      yield* a;
      yield* b;
    }, loop);
    expect(log).toEqual(['A1', 'B1', 'A2', 'B2']);
    expect(loop.time()).toBe(0);
  });

  it('gives up the loop for exactly one iteration on a bare yield', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const a = createTask(
        (function* (): Coro<void> {
          log.push('A1');
          getRunningLoop().callSoon(() => log.push('callback scheduled by A'));
          yield;
          log.push('A2');
          yield;
          log.push('A3');
        })(),
      );
      const b = createTask(
        (function* (): Coro<void> {
          log.push('B1');
          yield;
          log.push('B2');
        })(),
      );
      yield* a;
      yield* b;
    });
    expect(log).toEqual(['A1', 'B1', 'callback scheduled by A', 'A2', 'B2', 'A3']);
  });

  it('waits on a bare yield of a future and evaluates to its value', async () => {
    const loop = new VirtualTimeLoop();
    const seen = await runVirtual(function* () {
      const fut = getRunningLoop().createFuture<string>();
      getRunningLoop().callLater(75, () => fut.setResult('settled'));
      const value = yield fut;
      return [value, now()];
    }, loop);
    expect(seen).toEqual(['settled', 75]);
  });

  it('throws the future’s error at a bare yield of a future that fails', async () => {
    const error = new Error('future failed');
    const caught = await runVirtual(function* () {
      const fut = getRunningLoop().createFuture<string>();
      getRunningLoop().callLater(5, () => fut.setException(error));
      try {
        yield fut;
      } catch (e) {
        return e;
      }
      return 'not thrown';
    });
    expect(caught).toBe(error);
  });

  it('waits on a bare yield of a promise and evaluates to its value', async () => {
    const log: string[] = [];
    const value = await runVirtual(function* () {
      const promise = new Promise<string>((resolve) =>
        setImmediate(() => {
          log.push('promise resolves');
          resolve('from the host');
        }),
      );
      log.push('task waits');
      const v = yield promise;
      log.push('task resumes');
      return v;
    });
    expect(value).toBe('from the host');
    expect(log).toEqual(['task waits', 'promise resolves', 'task resumes']);
  });

  it('throws the rejection at a bare yield of a promise that rejects', async () => {
    const error = new Error('rejected');
    const caught = await runVirtual(function* () {
      try {
        yield Promise.reject(error);
      } catch (e) {
        return e;
      }
      return 'not thrown';
    });
    expect(caught).toBe(error);
  });

  it.each([
    ['a number', 5, 'Task got bad yield: 5'],
    ['a string', 'ab', "Task got bad yield: 'ab'"],
    ['an object', { a: 1 }, 'Task got bad yield: { a: 1 }'],
    ['null', null, 'Task got bad yield: null'],
  ])(
    'fails the task with RuntimeError naming the value when it yields %s',
    async (_kind, value, message) => {
      const error = await runVirtual(function* () {
        const task = createTask(
          (function* (): Generator<unknown, void, unknown> {
            yield value;
          })() as Coro<void>,
        );
        return yield* thrownByAwaiting(task);
      });
      expectError(error, RuntimeError, message);
    },
  );

  it('throws the bad-yield RuntimeError into the coroutine, which may catch it and go on', async () => {
    const result = await runVirtual(function* () {
      const task = createTask(
        (function* (): Generator<unknown, string, unknown> {
          try {
            yield 42;
          } catch (e) {
            return `recovered from ${(e as Error).message}`;
          }
          return 'not thrown';
        })() as Coro<string>,
      );
      return yield* task;
    });
    expect(result).toBe('recovered from Task got bad yield: 42');
  });

  it('fails with a RuntimeError that says to use yield* when a coroutine is yielded', async () => {
    const error = await runVirtual(function* () {
      const task = createTask(
        (function* (): Generator<unknown, void, unknown> {
          yield sleep(10);
        })() as Coro<void>,
        { name: 'forgot-star' },
      );
      yield* pollUntilDone(task);
      return thrownBy(() => task.result());
    });
    expectError(
      error,
      RuntimeError,
      'yield was used instead of yield* for a coroutine in task <Task pending name=forgot-star>',
    );
  });

  it('fails with RuntimeError "Task cannot await on itself" when a task awaits itself', async () => {
    const error = await runVirtual(function* () {
      let self: Task<void> | null = null;
      self = createTask(
        (function* (): Coro<void> {
          yield* self!;
        })(),
        { name: 'narcissus' },
      );
      yield* pollUntilDone(self);
      return thrownBy(() => self!.result());
    });
    expectError(error, RuntimeError, 'Task cannot await on itself: <Task pending name=narcissus>');
  });

  it('fails with RuntimeError when it waits on a future of another loop', async () => {
    const other = new VirtualTimeLoop();
    const error = await runVirtual(function* () {
      const foreign = other.createFuture<number>();
      const task = createTask(
        (function* (): Coro<number> {
          return yield* foreign;
        })(),
        { name: 'wrong-loop' },
      );
      yield* pollUntilDone(task);
      return thrownBy(() => task.result());
    });
    expectError(
      error,
      RuntimeError,
      'Task <Task pending name=wrong-loop> got Future <Future pending> attached to a different loop',
    );
    other.close();
  });
});

describe('createTask() and new Task() refuse what is not a coroutine', () => {
  it('throws TypeError "a coroutine was expected, got number" for createTask(5)', async () => {
    const error = await runVirtual(function* () {
      return thrownBy(() => createTask(5 as unknown as Coro<number>));
    });
    expectError(error, TypeError, 'a coroutine was expected, got number');
  });

  function* fetchUser(): Coro<string> {
    return 'user';
  }

  // sleep is written by hand, not as a function*, and still counts as a coroutine function.
  it.each([
    ['fetchUser', fetchUser],
    ['sleep', sleep],
  ])(
    'names a coroutine function passed without calling it (%s), and says to call it',
    async (name, fn) => {
      const error = await runVirtual(function* () {
        return thrownBy(() => createTask(fn as unknown as Coro<string>));
      });
      expectError(
        error,
        TypeError,
        `a coroutine was expected, got coroutine function ${name} (call it to make a coroutine object)`,
      );
    },
  );

  it('names an async function passed as a task, and says what to do instead', async () => {
    async function loadConfig(): Promise<string> {
      return 'config';
    }
    const error = await runVirtual(function* () {
      return thrownBy(() => createTask(loadConfig as unknown as Coro<string>));
    });
    expectError(
      error,
      TypeError,
      'a coroutine was expected, got function loadConfig (a task runs a function* coroutine; wait for a promise with ensureFuture)',
    );
  });

  it('names a promise passed where a coroutine belongs', async () => {
    const error = await runVirtual(function* () {
      return thrownBy(() => createTask(Promise.resolve(1) as unknown as Coro<number>));
    });
    expectError(error, TypeError, 'a coroutine was expected, got Promise');
  });

  it('throws RuntimeError "no running event loop" when called outside a running loop', () => {
    const coro = returns(1);
    expectError(
      thrownBy(() => createTask(coro)),
      RuntimeError,
      'no running event loop',
    );
  });
});

describe('a task’s outcome comes only from its coroutine', () => {
  it('refuses setResult() with RuntimeError', async () => {
    const error = await runVirtual(function* () {
      const task = createTask(returns(1));
      const err = thrownBy(() => task.setResult(2));
      yield* task;
      return err;
    });
    expectError(error, RuntimeError, 'Task does not support setResult() operation');
  });

  it('refuses setException() with RuntimeError', async () => {
    const error = await runVirtual(function* () {
      const task = createTask(returns(1));
      const err = thrownBy(() => task.setException(new Error('x')));
      yield* task;
      return err;
    });
    expectError(error, RuntimeError, 'Task does not support setException() operation');
  });
});

describe('errors thrown through delegation', () => {
  it('unwind every yield* level, running each finally, even one that itself waits', async () => {
    const log: string[] = [];
    const failure = new Error('deep failure');
    function* level3(fut: Future<string>): Coro<string> {
      try {
        log.push('level3 waits');
        const value = yield* fut;
        log.push('level3 resumed');
        return value;
      } finally {
        log.push(`level3 cleanup starts at ${now()}`);
        yield* sleep(10);
        log.push(`level3 cleanup ends at ${now()}`);
      }
    }
    function* level2(fut: Future<string>): Coro<string> {
      try {
        const value = yield* level3(fut);
        log.push('level2 resumed');
        return value;
      } finally {
        log.push('level2 finally');
      }
    }
    function* level1(fut: Future<string>): Coro<string> {
      try {
        const value = yield* level2(fut);
        log.push('level1 resumed');
        return value;
      } catch (e) {
        log.push(`level1 caught ${(e as Error).message}`);
        return 'handled';
      }
    }
    const loop = new VirtualTimeLoop();
    const result = await runVirtual(function* () {
      const fut = getRunningLoop().createFuture<string>();
      getRunningLoop().callLater(5, () => fut.setException(failure));
      const task = createTask(level1(fut));
      const value = yield* task;
      return [value, task.cancelled(), now()];
    }, loop);
    expect(result).toEqual(['handled', false, 15]);
    expect(log).toEqual([
      'level3 waits',
      'level3 cleanup starts at 5',
      'level3 cleanup ends at 15',
      'level2 finally',
      'level1 caught deep failure',
    ]);
  });
});

describe('"Task exception was never retrieved"', () => {
  it('reaches the loop’s exception handler once a failed task nobody awaited is collected', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    expect(typeof gc).toBe('function');
    const lost = new Error('nobody saw this');
    const awaited = new Error('this one was awaited');
    const reports: ExceptionContext[] = [];
    const result = await runVirtual(function* () {
      getRunningLoop().setExceptionHandler((_loop, context) => reports.push(context));
      const startForgotten = (): void => {
        createTask(fails(lost), { name: 'forgotten' });
      };
      startForgotten();
      const kept = createTask(fails(awaited), { name: 'kept' });
      const caught = yield* thrownByAwaiting(kept);
      for (let turn = 0; turn < 100 && reports.length === 0; turn++) {
        gc!();
        yield hostTurn();
      }
      // A few more turns, so that a report for the awaited task would have arrived too.
      for (let turn = 0; turn < 5; turn++) {
        gc!();
        yield hostTurn();
      }
      return caught;
    });
    expect(result).toBe(awaited);
    expect(reports).toEqual([
      {
        message: 'Task exception was never retrieved',
        exception: lost,
        future: '<Task finished name=forgotten exception=Error("nobody saw this")>',
      },
    ]);
    expect(reports[0]!.exception).toBe(lost);
  });
});

describe('a cancelled task seen from outside', () => {
  it('throws the coroutine’s CancelledError from the first result(), a new one after', async () => {
    const errors = await runVirtual(function* () {
      const task = createTask(sleep(100));
      yield;
      task.cancel('enough');
      yield* pollUntilDone(task);
      return [thrownBy(() => task.result()), thrownBy(() => task.exception())];
    });
    expect(errors.map((e) => [(e as Error).constructor, (e as Error).message])).toEqual([
      [CancelledError, 'enough'],
      [CancelledError, ''],
    ]);
  });

  it('hands the first awaiter the very CancelledError the coroutine raised, a new one to the next', async () => {
    const outcome = await runVirtual(function* () {
      const loop = getRunningLoop();
      let raised: unknown = null;
      const task = createTask(
        (function* () {
          try {
            yield* loop.createFuture();
          } catch (exc) {
            raised = exc;
            throw exc;
          }
        })(),
      );
      yield;
      task.cancel('stop');
      const first = yield* thrownByAwaiting(task);
      const second = yield* thrownByAwaiting(task);
      return { raised, first, second, time: loop.time() };
    });
    expectError(outcome.first, CancelledError, 'stop');
    expectError(outcome.second, CancelledError, '');
    expect([outcome.first === outcome.raised, outcome.second === outcome.raised]).toEqual([
      true,
      false,
    ]);
    expect(outcome.time).toBe(0);
  });
});

describe('tasks and a closed loop', () => {
  it('loop.createTask() refuses with RuntimeError "Event loop is closed"', () => {
    const loop = new VirtualTimeLoop();
    loop.close();
    const coro = returns(1);
    expectError(
      thrownBy(() => loop.createTask(coro)),
      RuntimeError,
      'Event loop is closed',
    );
  });

  it('new Task() on a closed loop refuses with RuntimeError "Event loop is closed"', () => {
    const loop = new VirtualTimeLoop();
    loop.close();
    const coro = returns(1);
    expectError(
      thrownBy(() => new Task(coro, { loop })),
      RuntimeError,
      'Event loop is closed',
    );
  });
});

describe('what a coroutine may throw', () => {
  it('makes a thrown value that is not an Error the task’s exception, as it is', async () => {
    const seen = await runVirtual(function* () {
      const task = createTask(fails('a plain string'));
      const caught = yield* thrownByAwaiting(task);
      return [caught, task.exception(), task.cancelled()];
    });
    expect(seen).toEqual(['a plain string', 'a plain string', false]);
  });
});
