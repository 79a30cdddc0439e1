import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CancelledError,
  Context,
  ContextVar,
  EventLoop,
  type ExceptionContext,
  Future,
  InvalidStateError,
  isFuture,
  RuntimeError,
  setEventLoop,
  VirtualTimeLoop,
  type Yieldable,
} from '../src/index.js';
import {
  captureExceptions,
  collectUntil,
  expectError,
  expectThrows,
  rejectionOf,
  runOnce,
  thrownBy,
} from './utils.js';

afterEach(() => {
  setEventLoop(null);
});

function first(): void {}
function second(): void {}
function third(): void {}
function fourth(): void {}

describe('Future states', () => {
  it('a new future is pending: neither done nor cancelled, bound to its loop', () => {
    const loop = new EventLoop();
    const fut = new Future({ loop });
    expect([fut.done(), fut.cancelled(), fut.getLoop() === loop]).toEqual([false, false, true]);
  });

  it('createFuture() makes a pending future bound to that loop', () => {
    const loop = new EventLoop();
    const fut = loop.createFuture<number>();
    expect(fut).toBeInstanceOf(Future);
    expect([fut.done(), fut.getLoop() === loop]).toEqual([false, true]);
  });

  it('new Future() without a loop takes the current loop set by setEventLoop', () => {
    const loop = new EventLoop();
    setEventLoop(loop);
    expect(new Future().getLoop()).toBe(loop);
  });

  it('new Future() without a loop inside a callback takes the running loop, not the current one', async () => {
    const current = new EventLoop();
    const running = new EventLoop();
    setEventLoop(current);
    const seen: EventLoop[] = [];
    running.callSoon(() => seen.push(new Future().getLoop()));
    await runOnce(running);
    expect(seen).toEqual([running]);
  });

  it('new Future() with neither a running nor a current loop throws RuntimeError', () => {
    expectThrows(() => new Future(), RuntimeError, 'There is no current event loop');
  });

  it('cancel() on a pending future returns true once, then false; the future is cancelled and done', () => {
    const fut = new Future({ loop: new EventLoop() });
    expect([fut.cancel(), fut.cancel()]).toEqual([true, false]);
    expect([fut.cancelled(), fut.done()]).toEqual([true, true]);
  });

  it('setResult() finishes the future: done, not cancelled, and cancel() then returns false', () => {
    const fut = new Future<number>({ loop: new EventLoop() });
    fut.setResult(42);
    expect([fut.done(), fut.cancelled(), fut.cancel(), fut.cancelled()]).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });
});

describe('Future results and exceptions', () => {
  it("result() on a pending future throws InvalidStateError 'Result is not ready.'", () => {
    const fut = new Future({ loop: new EventLoop() });
    expectThrows(() => fut.result(), InvalidStateError, 'Result is not ready.');
  });

  it("exception() on a pending future throws InvalidStateError 'Exception is not set.'", () => {
    const fut = new Future({ loop: new EventLoop() });
    expectThrows(() => fut.exception(), InvalidStateError, 'Exception is not set.');
  });

  it('result() returns the value set, and exception() of a successful future is null', () => {
    const fut = new Future<string>({ loop: new EventLoop() });
    fut.setResult('value');
    expect([fut.result(), fut.exception()]).toEqual(['value', null]);
  });

  it('a future may finish with undefined as its result', () => {
    const fut = new Future<undefined>({ loop: new EventLoop() });
    fut.setResult(undefined);
    expect([fut.done(), fut.result(), fut.exception()]).toEqual([true, undefined, null]);
  });

  it('result() throws the very exception that was set, and exception() returns it', () => {
    const fut = new Future({ loop: new EventLoop() });
    const error = new TypeError('bad');
    fut.setException(error);
    expect(thrownBy(() => fut.result())).toBe(error);
    expect(fut.exception()).toBe(error);
  });

  it('setException() with an error class stores a new instance of that class', () => {
    const fut = new Future({ loop: new EventLoop() });
    fut.setException(RuntimeError);
    const exc = fut.exception();
    expectError(exc, RuntimeError, '');
    expect(thrownBy(() => fut.result())).toBe(exc);
  });

  it('setException() accepts a value that is not an Error and result() throws it as is', () => {
    const fut = new Future({ loop: new EventLoop() });
    fut.setException('plain string');
    expect([thrownBy(() => fut.result()), fut.exception()]).toEqual([
      'plain string',
      'plain string',
    ]);
  });

  it("setResult() on a finished future throws InvalidStateError 'FINISHED: <Future finished result=1>'", () => {
    const fut = new Future<number>({ loop: new EventLoop() });
    fut.setResult(1);
    expectThrows(() => fut.setResult(2), InvalidStateError, 'FINISHED: <Future finished result=1>');
    expect(fut.result()).toBe(1);
  });

  it("setException() on a cancelled future throws InvalidStateError 'CANCELLED: <Future cancelled>'", () => {
    const fut = new Future({ loop: new EventLoop() });
    fut.cancel();
    expectThrows(
      () => fut.setException(new Error('late')),
      InvalidStateError,
      'CANCELLED: <Future cancelled>',
    );
  });

  it('setResult() on a cancelled future throws InvalidStateError naming the state', () => {
    const fut = new Future<number>({ loop: new EventLoop() });
    fut.cancel('why');
    expectThrows(() => fut.setResult(1), InvalidStateError, 'CANCELLED: <Future cancelled>');
  });

  it('result() and exception() of a future cancelled without a message throw CancelledError with message ""', () => {
    const fut = new Future({ loop: new EventLoop() });
    fut.cancel();
    expectError(
      thrownBy(() => fut.result()),
      CancelledError,
      '',
    );
    expectError(
      thrownBy(() => fut.exception()),
      CancelledError,
      '',
    );
  });

  it('cancel(msg) makes result() and exception() throw CancelledError carrying msg', () => {
    const fut = new Future({ loop: new EventLoop() });
    fut.cancel('my message');
    expect(fut._cancelMessage).toBe('my message');
    expectError(
      thrownBy(() => fut.result()),
      CancelledError,
      'my message',
    );
    expectError(
      thrownBy(() => fut.exception()),
      CancelledError,
      'my message',
    );
  });

  it('cancel(null) is a cancel without a message', () => {
    const fut = new Future({ loop: new EventLoop() });
    fut.cancel(null);
    expect(fut._cancelMessage).toBe(null);
    expectError(
      thrownBy(() => fut.result()),
      CancelledError,
      '',
    );
  });

  it('a second cancel(msg) on a cancelled future keeps the first message', () => {
    const fut = new Future({ loop: new EventLoop() });
    fut.cancel('first');
    expect(fut.cancel('second')).toBe(false);
    expectError(
      thrownBy(() => fut.result()),
      CancelledError,
      'first',
    );
  });
});

describe('Future waiters (addWaiter) and done callbacks together', () => {
  const waiter = (events: string[], name: string) => ({
    _run: () => events.push(name),
    toString: () => name,
  });

  it('run in the order added, whichever kind comes first', async () => {
    const loop = new EventLoop();
    const events: string[] = [];
    const waiterFirst = loop.createFuture<void>();
    waiterFirst.addWaiter(waiter(events, 'w1'));
    waiterFirst.addDoneCallback(() => events.push('cb1'));
    waiterFirst.addWaiter(waiter(events, 'w2'));
    const callbackFirst = loop.createFuture<void>();
    callbackFirst.addDoneCallback(() => events.push('cb2'));
    callbackFirst.addWaiter(waiter(events, 'w3'));
    callbackFirst.addWaiter(waiter(events, 'w4'));
    waiterFirst.setResult();
    callbackFirst.setResult();
    await runOnce(loop);
    expect(events).toEqual(['w1', 'cb1', 'w2', 'cb2', 'w3', 'w4']);
  });

  it('removeDoneCallback() leaves the waiters in place and in order', async () => {
    const loop = new EventLoop();
    const events: string[] = [];
    const fut = loop.createFuture<void>();
    const dropped = (): void => {
      events.push('dropped');
    };
    fut.addDoneCallback(dropped);
    fut.addWaiter(waiter(events, 'w1'));
    fut.addDoneCallback(() => events.push('kept'));
    fut.addDoneCallback(dropped);
    expect(fut.removeDoneCallback(dropped)).toBe(2);
    expect(fut.removeDoneCallback(dropped)).toBe(0);
    fut.addWaiter(waiter(events, 'w2'));
    fut.setResult();
    await runOnce(loop);
    expect(events).toEqual(['w1', 'kept', 'w2']);
  });

  it('a waiter added after every callback was removed runs alone', async () => {
    const loop = new EventLoop();
    const events: string[] = [];
    const fut = loop.createFuture<void>();
    const cb = (): void => {
      events.push('cb');
    };
    fut.addDoneCallback(cb);
    fut.removeDoneCallback(cb);
    fut.addWaiter(waiter(events, 'w'));
    expect(fut.toString()).toBe('<Future pending cb=[w]>');
    fut.setResult();
    await runOnce(loop);
    expect(events).toEqual(['w']);
  });
});

describe('Future done callbacks', () => {
  it('addDoneCallback() of something that is not a function throws TypeError naming it', () => {
    const loop = new EventLoop();
    const fut = loop.createFuture<number>();
    const error = thrownBy(() => fut.addDoneCallback(5 as unknown as () => void));
    expectError(error, TypeError, 'addDoneCallback() expects a function, got number');
    fut.setResult(1);
    expect(fut.toString()).toBe('<Future finished result=1>');
  });

  it('done callbacks are not called inline: setResult() schedules them on the loop', async () => {
    const loop = new EventLoop();
    const fut = loop.createFuture<number>();
    const events: string[] = [];
    fut.addDoneCallback((f) => events.push(`cb ${f.result()}`));
    fut.setResult(7);
    events.push('after setResult');
    await runOnce(loop);
    expect(events).toEqual(['after setResult', 'cb 7']);
  });

  it('done callbacks run in the order they were added, and each receives the future', async () => {
    const loop = new EventLoop();
    const fut = loop.createFuture<string>();
    const events: unknown[] = [];
    fut.addDoneCallback((f) => events.push(['a', f === fut]));
    fut.addDoneCallback((f) => events.push(['b', f === fut]));
    fut.addDoneCallback((f) => events.push(['c', f === fut]));
    fut.setResult('x');
    await runOnce(loop);
    expect(events).toEqual([
      ['a', true],
      ['b', true],
      ['c', true],
    ]);
  });

  it('done callbacks take their place in the ready queue among other callSoon callbacks', async () => {
    const loop = new EventLoop();
    const fut = loop.createFuture<void>();
    const events: string[] = [];
    loop.callSoon(() => events.push('before'));
    fut.addDoneCallback(() => events.push('cb1'));
    fut.addDoneCallback(() => events.push('cb2'));
    fut.setResult();
    loop.callSoon(() => events.push('after'));
    await runOnce(loop);
    expect(events).toEqual(['before', 'cb1', 'cb2', 'after']);
  });

  it('done callbacks are scheduled by setException() and by cancel() too', async () => {
    const loop = new EventLoop();
    const failed = loop.createFuture<void>();
    const cancelled = loop.createFuture<void>();
    const events: string[] = [];
    failed.addDoneCallback((f) => events.push(`failed ${(f.exception() as Error).message}`));
    cancelled.addDoneCallback((f) => events.push(`cancelled ${f.cancelled()}`));
    cancelled.cancel();
    failed.setException(new Error('boom'));
    await runOnce(loop);
    expect(events).toEqual(['cancelled true', 'failed boom']);
  });

  it('a callback added after the future is done is scheduled with callSoon, not called inline', async () => {
    const loop = new EventLoop();
    const fut = loop.createFuture<number>();
    fut.setResult(1);
    const events: string[] = [];
    loop.callSoon(() => events.push('earlier callSoon'));
    fut.addDoneCallback(() => events.push('late callback'));
    events.push('added');
    await runOnce(loop);
    expect(events).toEqual(['added', 'earlier callSoon', 'late callback']);
  });

  it('removeDoneCallback() removes every registration of the callback and returns how many', async () => {
    const loop = new EventLoop();
    const fut = loop.createFuture<void>();
    const events: string[] = [];
    const a = (): void => {
      events.push('a');
    };
    const b = (): void => {
      events.push('b');
    };
    fut.addDoneCallback(a);
    fut.addDoneCallback(b);
    fut.addDoneCallback(a);
    fut.addDoneCallback(a);
    expect([fut.removeDoneCallback(a), fut.removeDoneCallback(a)]).toEqual([3, 0]);
    fut.setResult();
    await runOnce(loop);
    expect(events).toEqual(['b']);
  });

  it('removing the first callback keeps the order of the others, including ones added later', async () => {
    const loop = new EventLoop();
    const fut = loop.createFuture<void>();
    const events: string[] = [];
    const make = (name: string) => (): void => {
      events.push(name);
    };
    const a = make('a');
    fut.addDoneCallback(a);
    fut.addDoneCallback(make('b'));
    fut.addDoneCallback(make('c'));
    expect(fut.removeDoneCallback(a)).toBe(1);
    fut.addDoneCallback(make('d'));
    fut.setResult();
    await runOnce(loop);
    expect(events).toEqual(['b', 'c', 'd']);
  });

  it('removeDoneCallback() of a callback never added returns 0', () => {
    const fut = new Future({ loop: new EventLoop() });
    fut.addDoneCallback(first);
    expect(fut.removeDoneCallback(second)).toBe(0);
    expect(fut.toString()).toBe('<Future pending cb=[first()]>');
  });

  it('removeDoneCallback() after the future is done returns 0 and the scheduled callback still runs', async () => {
    const loop = new EventLoop();
    const fut = loop.createFuture<void>();
    const events: string[] = [];
    const cb = (): void => {
      events.push('cb');
    };
    fut.addDoneCallback(cb);
    fut.setResult();
    expect(fut.removeDoneCallback(cb)).toBe(0);
    await runOnce(loop);
    expect(events).toEqual(['cb']);
  });

  it('a done callback runs in a copy of the context current when it was added', async () => {
    const loop = new EventLoop();
    const fut = loop.createFuture<void>();
    const user = new ContextVar<string>('user', { default: 'nobody' });
    const seen: string[] = [];
    const token = user.set('ada');
    fut.addDoneCallback(() => {
      seen.push(user.get());
      user.set('changed inside');
    });
    user.reset(token);
    fut.setResult();
    await runOnce(loop);
    expect([...seen, user.get()]).toEqual(['ada', 'nobody']);
  });

  it('addDoneCallback(cb, { context }) runs cb in that very context', async () => {
    const loop = new EventLoop();
    const fut = loop.createFuture<void>();
    const user = new ContextVar<string>('user');
    const ctx = new Context();
    ctx.run(() => user.set('grace'));
    const seen: string[] = [];
    fut.addDoneCallback(
      () => {
        seen.push(user.get());
        user.set('set by callback');
      },
      { context: ctx },
    );
    fut.setResult();
    await runOnce(loop);
    expect([...seen, ctx.get(user)]).toEqual(['grace', 'set by callback']);
  });
});

describe('Future as an awaitable', () => {
  it('the iterator yields the pending future itself, then returns its result once set', () => {
    const fut = new Future<number>({ loop: new EventLoop() });
    const it = fut[Symbol.iterator]();
    const step = it.next();
    expect([step.value === fut, step.done]).toEqual([true, false]);
    fut.setResult(5);
    expect(it.next()).toEqual({ value: 5, done: true });
  });

  it('resuming the iterator while the future is still pending throws RuntimeError "await wasn\'t used with future"', () => {
    const fut = new Future({ loop: new EventLoop() });
    const it = fut[Symbol.iterator]();
    it.next();
    expectThrows(() => it.next(), RuntimeError, "await wasn't used with future");
  });

  it('the iterator of a finished future returns the result at once, without yielding', () => {
    const fut = new Future<string>({ loop: new EventLoop() });
    fut.setResult('ready');
    expect(fut[Symbol.iterator]().next()).toEqual({ value: 'ready', done: true });
  });

  it('the iterator of a failed future throws its exception', () => {
    const fut = new Future({ loop: new EventLoop() });
    const error = new Error('failed');
    fut.setException(error);
    expect(thrownBy(() => fut[Symbol.iterator]().next())).toBe(error);
  });

  it('the iterator of a cancelled future throws CancelledError with the cancel message', () => {
    const fut = new Future({ loop: new EventLoop() });
    fut.cancel('stop');
    expectError(
      thrownBy(() => fut[Symbol.iterator]().next()),
      CancelledError,
      'stop',
    );
  });

  it('yield* future in a generator driven by hand yields the future, then evaluates to its result', () => {
    const fut = new Future<number>({ loop: new EventLoop() });
    function* main(): Generator<Yieldable, number, unknown> {
      const value = yield* fut;
      return value * 2;
    }
    const gen = main();
    const step = gen.next();
    expect([step.value === fut, step.done]).toEqual([true, false]);
    fut.setResult(21);
    expect(gen.next()).toEqual({ value: 42, done: true });
  });

  it('a second yield* of the same finished future does not yield again', () => {
    const fut = new Future<number>({ loop: new EventLoop() });
    function* fixture(): Generator<unknown, void, unknown> {
      yield 'A';
      const x = yield* fut;
      yield ['B', x];
      const y = yield* fut;
      yield ['C', y];
    }
    const gen = fixture();
    const steps: unknown[] = [gen.next().value, gen.next().value === fut];
    fut.setResult(42);
    steps.push(gen.next().value, gen.next().value, gen.next().done);
    expect(steps).toEqual(['A', true, ['B', 42], ['C', 42], true]);
  });

  it('an error thrown into a generator waiting on yield* future is raised at that point', () => {
    const fut = new Future<number>({ loop: new EventLoop() });
    function* main(): Generator<Yieldable, string, unknown> {
      try {
        yield* fut;
        return 'not reached';
      } catch (exc) {
        return `caught ${(exc as Error).name}: ${(exc as Error).message}`;
      }
    }
    const gen = main();
    gen.next();
    expect(gen.throw(new CancelledError('cancelled while waiting'))).toEqual({
      value: 'caught CancelledError: cancelled while waiting',
      done: true,
    });
  });

  it('await on a future that already has a result resolves without running the loop', async () => {
    const fut = new Future<string>({ loop: new EventLoop() });
    fut.setResult('done');
    expect(await fut).toBe('done');
  });

  it('await on a future that already failed rejects with its exception', async () => {
    const fut = new Future({ loop: new EventLoop() });
    const error = new Error('failed');
    fut.setException(error);
    expect(await rejectionOf(fut)).toBe(error);
  });

  it('await on a pending future resolves once a host timer sets its result while the loop runs', async () => {
    const loop = new EventLoop();
    const fut = loop.createFuture<number>();
    const running = loop.runForever();
    setTimeout(() => fut.setResult(99), 1);
    const value = await fut;
    loop.stop();
    await running;
    expect(value).toBe(99);
  });

  it('await on a pending future rejects once a host timer sets its exception while the loop runs', async () => {
    const loop = new EventLoop();
    const fut = loop.createFuture<number>();
    const error = new RangeError('out of range');
    const running = loop.runForever();
    setTimeout(() => fut.setException(error), 1);
    const caught = await rejectionOf(fut);
    loop.stop();
    await running;
    expect(caught).toBe(error);
  });

  it('await on a cancelled future rejects with CancelledError carrying the message', async () => {
    const fut = new Future({ loop: new EventLoop() });
    fut.cancel('gone');
    expectError(await rejectionOf(fut), CancelledError, 'gone');
  });

  it('then(onFulfilled) maps the result like a promise', async () => {
    const fut = new Future<number>({ loop: new EventLoop() });
    fut.setResult(20);
    expect(await fut.then((v) => v + 1)).toBe(21);
  });
});

describe('Future toString and isFuture', () => {
  it('toString() shows the state: pending, cancelled, finished with result or exception', () => {
    const loop = new EventLoop();
    const pending = loop.createFuture();
    const cancelled = loop.createFuture();
    cancelled.cancel();
    const ok = loop.createFuture<number>();
    ok.setResult(4);
    const text = loop.createFuture<string>();
    text.setResult('ab');
    const failed = loop.createFuture();
    failed.setException(new RuntimeError('boom'));
    failed.exception();
    expect([pending, cancelled, ok, text, failed].map(String)).toEqual([
      '<Future pending>',
      '<Future cancelled>',
      '<Future finished result=4>',
      "<Future finished result='ab'>",
      '<Future finished exception=RuntimeError("boom")>',
    ]);
  });

  it('toString() names up to two done callbacks, and for more the first, a count and the last', () => {
    const loop = new EventLoop();
    const fut = loop.createFuture();
    const shown: string[] = [];
    for (const cb of [first, second, third, fourth]) {
      fut.addDoneCallback(cb);
      shown.push(fut.toString());
    }
    expect(shown).toEqual([
      '<Future pending cb=[first()]>',
      '<Future pending cb=[first(), second()]>',
      '<Future pending cb=[first(), <1 more>, third()]>',
      '<Future pending cb=[first(), <2 more>, fourth()]>',
    ]);
  });

  it('toString() names a subclass by its own class name, and util.inspect uses it', () => {
    class MyFuture<T> extends Future<T> {}
    const fut = new MyFuture<number>({ loop: new EventLoop() });
    expect([fut.toString(), inspect(fut)]).toEqual(['<MyFuture pending>', '<MyFuture pending>']);
  });

  it('isFuture() is true for futures and subclasses only, not for promises or look-alikes', () => {
    class MyFuture<T> extends Future<T> {}
    const loop = new EventLoop();
    const values = [
      loop.createFuture(),
      new MyFuture({ loop }),
      Promise.resolve(1),
      // biome-ignore lint/suspicious/noThenProperty: a PromiseLike look-alike on purpose
      { then() {} },
      null,
      undefined,
      42,
    ];
    expect(values.map(isFuture)).toEqual([true, true, false, false, false, false, false]);
  });
});

describe('an exception nobody retrieved', () => {
  /** Fails a future of `loop` and drops it; optionally retrieves the exception first. */
  function failAndDrop(
    loop: EventLoop,
    error: unknown,
    retrieve: (fut: Future<unknown>) => void,
    collected: FinalizationRegistry<string>,
  ): void {
    const fut = loop.createFuture();
    fut.setException(error);
    retrieve(fut);
    collected.register(fut, 'collected');
  }

  it("a failed future collected without its exception retrieved reports 'Future exception was never retrieved'", async () => {
    const loop = new VirtualTimeLoop();
    const reports = captureExceptions(loop);
    const error = new Error('lost');
    failAndDrop(loop, error, () => {}, new FinalizationRegistry(() => {}));
    expect(await collectUntil(() => reports.length > 0)).toBe(true);
    expect(reports).toEqual<ExceptionContext[]>([
      {
        message: 'Future exception was never retrieved',
        exception: error,
        future: '<Future finished exception=Error("lost")>',
      },
    ]);
  });

  for (const [how, retrieve] of [
    ['exception()', (fut: Future<unknown>) => fut.exception()],
    ['result()', (fut: Future<unknown>) => thrownBy(() => fut.result())],
    ['cancel()', (fut: Future<unknown>) => fut.cancel()],
  ] as const) {
    it(`calling ${how} on the failed future keeps it from being reported when collected`, async () => {
      const loop = new VirtualTimeLoop();
      const reports = captureExceptions(loop);
      let collected = false;
      const registry = new FinalizationRegistry<string>(() => {
        collected = true;
      });
      failAndDrop(loop, new Error('seen'), retrieve, registry);
      expect(await collectUntil(() => collected)).toBe(true);
      await collectUntil(() => false, 3);
      expect(reports).toEqual([]);
    });
  }
});
