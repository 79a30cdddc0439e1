import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
/**
 * The coroutine objects that `lock.acquire()`, `semaphore.acquire()` and `event.wait()` return:
 * the generator protocol by hand (next, throw, return), and every way they are awaited.
 */
import {
  CancelledError,
  type Coro,
  describeKind,
  ensureFuture,
  type Future,
  isCoroutine,
  isCoroutineFunction,
  isFuture,
  RuntimeError,
  setIntrospection,
  VirtualTimeLoop,
} from '@asyncio-ts/core-loop';
import { createTask, gather, run, sleep } from '@asyncio-ts/tasks';
import { afterEach, describe, expect, it } from 'vitest';
import { BoundedSemaphore, Condition, Event, Lock, Semaphore } from '../src/index.js';
import { expectError, runVirtual, thrownBy, ticks } from './utils.js';

/** A primitive that makes its waiters wait, and how to let the first of them through. */
interface Blocked {
  name: string;
  make(): { primitive: object; wait(): Coro<true>; letThrough(): void; waiting(): boolean };
}

/** `<X [..., waiters:N]>` says N: how many futures the primitive has queued. */
function queued(primitive: object): number {
  return Number(/waiters:(\d+)/.exec(String(primitive))?.[1] ?? 0);
}

const blocked: Blocked[] = [
  {
    name: 'Lock',
    make() {
      const lock = new Lock();
      lock.acquire().next(); // held by nobody in particular
      return {
        primitive: lock,
        wait: () => lock.acquire(),
        letThrough: () => lock.release(),
        waiting: () => queued(lock) > 0,
      };
    },
  },
  {
    name: 'Semaphore',
    make() {
      const sem = new Semaphore(0);
      return {
        primitive: sem,
        wait: () => sem.acquire(),
        letThrough: () => sem.release(),
        waiting: () => queued(sem) > 0,
      };
    },
  },
  {
    name: 'Event',
    make() {
      const event = new Event();
      return {
        primitive: event,
        wait: () => event.wait(),
        letThrough: () => event.set(),
        waiting: () => queued(event) > 0,
      };
    },
  },
];

describe('the coroutine a wait returns', () => {
  it.each(blocked)('$name: is a coroutine object, not a Future', ({ make }) => {
    const coro = make().wait();
    expect([isCoroutine(coro), isFuture(coro), describeKind(coro)]).toEqual([
      true,
      false,
      'coroutine',
    ]);
    expect(coro[Symbol.iterator]()).toBe(coro);
  });

  it.each(blocked)(
    '$name: becomes a Task, not a Future taken as it is, in ensureFuture() and gather()',
    async ({ make }) => {
      const seen = await runVirtual(function* () {
        const b = make();
        const viaEnsure = ensureFuture(b.wait());
        const viaGather = gather([b.wait()]);
        yield* ticks(2);
        const before = [viaEnsure.done(), viaGather.done(), queued(b.primitive)];
        b.letThrough();
        if (!(b.primitive instanceof Event)) {
          yield* ticks(1);
          b.letThrough();
        }
        return [before, yield* viaEnsure, yield* viaGather];
      });
      expect(seen).toEqual([[false, false, 2], true, [true]]);
    },
  );

  it('run() takes one from outside a loop', async () => {
    const lock = new Lock();
    const event = new Event();
    event.set();
    expect([await run(lock.acquire()), await run(event.wait()), lock.locked()]).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('passes at once without giving up the loop when nobody has to wait', async () => {
    const seen = await runVirtual(function* () {
      const lock = new Lock();
      const sem = new Semaphore(1);
      const event = new Event();
      event.set();
      let others = 0;
      const other = createTask(
        (function* () {
          others++;
        })(),
      );
      const results = [yield* lock.acquire(), yield* sem.acquire(), yield* event.wait()];
      const ranMeanwhile = others;
      yield* other;
      return [results, ranMeanwhile, lock.locked(), sem.locked()];
    });
    expect(seen).toEqual([[true, true, true], 0, true, true]);
  });

  it('takes nothing until it is started, and decides when it is started', async () => {
    const seen = await runVirtual(function* () {
      const lock = new Lock();
      const early = lock.acquire();
      const late = lock.acquire();
      const before = lock.locked();
      const first = early.next();
      const second = late.next();
      return [before, first, second.done, isFuture(second.value), String(lock)];
    });
    expect(seen).toEqual([
      false,
      { value: true, done: true },
      false,
      true,
      '<Lock [locked, waiters:1]>',
    ]);
  });

  it.each(blocked)(
    '$name: return() before it starts finishes it, taking and queueing nothing',
    async ({ make }) => {
      const seen = await runVirtual(function* () {
        const b = make();
        const coro = b.wait();
        return [coro.return(true), coro.next(), b.waiting()];
      });
      expect(seen).toEqual([{ value: true, done: true }, { value: undefined, done: true }, false]);
    },
  );

  it.each(blocked)(
    '$name: throw() before it starts throws the error and finishes it',
    async ({ make }) => {
      const seen = await runVirtual(function* () {
        const b = make();
        const coro = b.wait();
        const error = new Error('thrown in');
        return [thrownBy(() => coro.throw(error)) === error, coro.next(), b.waiting()];
      });
      expect(seen).toEqual([true, { value: undefined, done: true }, false]);
    },
  );

  it.each(blocked)(
    '$name: yields one pending future, queued, and returns true once it is woken',
    async ({ make }) => {
      const seen = await runVirtual(function* () {
        const b = make();
        const coro = b.wait();
        const step = coro.next();
        const future = step.value as Future<unknown>;
        const pending = [step.done, isFuture(future), future.done(), b.waiting()];
        b.letThrough();
        return [pending, future.done(), coro.next(), b.waiting(), coro.next()];
      });
      expect(seen).toEqual([
        [false, true, false, true],
        true,
        { value: true, done: true },
        false,
        { value: undefined, done: true },
      ]);
    },
  );

  it.each(blocked)(
    '$name: next() again before its future is done throws RuntimeError "await wasn\'t used with future" and leaves the queue',
    async ({ make }) => {
      const seen = await runVirtual(function* () {
        const b = make();
        const coro = b.wait();
        coro.next();
        const error = thrownBy(() => coro.next());
        return [error, b.waiting(), coro.next()];
      });
      expectError(seen[0], RuntimeError, "await wasn't used with future");
      expect(seen.slice(1)).toEqual([false, { value: undefined, done: true }]);
    },
  );

  it.each(blocked)(
    '$name: return() while it waits finishes it and leaves the queue',
    async ({ make }) => {
      const seen = await runVirtual(function* () {
        const b = make();
        const coro = b.wait();
        const future = coro.next().value as Future<unknown>;
        return [coro.return(true), b.waiting(), future.done(), coro.next()];
      });
      expect(seen).toEqual([
        { value: true, done: true },
        false,
        false,
        { value: undefined, done: true },
      ]);
    },
  );

  it.each(blocked)(
    '$name: throw() while it waits throws the error out and leaves the queue',
    async ({ make }) => {
      const seen = await runVirtual(function* () {
        const b = make();
        const coro = b.wait();
        coro.next();
        const error = new CancelledError('stop');
        return [thrownBy(() => coro.throw(error)) === error, b.waiting(), coro.next()];
      });
      expect(seen).toEqual([true, false, { value: undefined, done: true }]);
    },
  );

  it.each(blocked)(
    '$name: its future cancelled, next() throws CancelledError with the message and leaves the queue',
    async ({ make }) => {
      const seen = await runVirtual(function* () {
        const b = make();
        const coro = b.wait();
        (coro.next().value as Future<unknown>).cancel('no more');
        const error = thrownBy(() => coro.next());
        return [error, b.waiting()];
      });
      expectError(seen[0], CancelledError, 'no more');
      expect(seen[1]).toBe(false);
    },
  );

  it.each(blocked)('$name: a task cancelled while it waits leaves the queue', async ({ make }) => {
    const seen = await runVirtual(function* () {
      const b = make();
      const task = createTask(b.wait());
      yield;
      const before = b.waiting();
      task.cancel();
      yield;
      return [before, task.cancelled(), b.waiting()];
    });
    expect(seen).toEqual([true, true, false]);
  });

  it('Lock: woken, then a CancelledError thrown in, passes the wake-up to the next waiter (bpo-32734)', async () => {
    const seen = await runVirtual(function* () {
      const lock = new Lock();
      yield* lock.acquire();
      const first = lock.acquire();
      const second = lock.acquire();
      const firstFuture = first.next().value as Future<unknown>;
      const secondFuture = second.next().value as Future<unknown>;
      lock.release();
      const woken = [firstFuture.done(), secondFuture.done()];
      thrownBy(() => first.throw(new CancelledError()));
      return [woken, secondFuture.done(), lock.locked(), second.next(), lock.locked()];
    });
    expect(seen).toEqual([[true, false], true, false, { value: true, done: true }, true]);
  });

  it('Lock: woken, then another error thrown in, wakes nobody else (only cancellation does)', async () => {
    const seen = await runVirtual(function* () {
      const lock = new Lock();
      yield* lock.acquire();
      const first = lock.acquire();
      const second = lock.acquire();
      first.next();
      const secondFuture = second.next().value as Future<unknown>;
      lock.release();
      thrownBy(() => first.throw(new Error('boom')));
      return [secondFuture.done(), lock.locked(), String(lock)];
    });
    expect(seen).toEqual([false, false, '<Lock [unlocked, waiters:1]>']);
  });

  it('Semaphore: woken, then cancelled before it runs, gives its slot to the next waiter', async () => {
    const seen = await runVirtual(function* () {
      const sem = new Semaphore(0);
      const first = sem.acquire();
      const second = sem.acquire();
      first.next();
      const secondFuture = second.next().value as Future<unknown>;
      sem.release();
      const promised = [String(sem), secondFuture.done()];
      thrownBy(() => first.throw(new CancelledError()));
      return [promised, secondFuture.done(), second.next(), String(sem)];
    });
    expect(seen).toEqual([
      ['<Semaphore [locked, waiters:2]>', false],
      true,
      { value: true, done: true },
      '<Semaphore [locked]>',
    ]);
  });
});

describe('a wait when suspensions are recorded', () => {
  afterEach(() => setIntrospection(false));

  function* holder(lock: Lock): Coro<void> {
    yield* lock.acquire(); // mark:holder-waits
  }

  it("records the waiting task's coroutine frame, at the line of its wait", async () => {
    setIntrospection(true);
    const stack = await run(
      function* () {
        const lock = new Lock();
        yield* lock.acquire();
        const task = createTask(holder(lock));
        yield* sleep(1);
        const frames = task.getStack();
        task.cancel();
        return frames;
      },
      { loopFactory: () => new VirtualTimeLoop() },
    );
    const names = stack.map((frame) => frame.replace(/^at /, '').split(' ')[0]);
    expect(names).toEqual(['holder']);
    const source = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
    const line = source.findIndex((text) => text.includes('mark:holder-waits')) + 1;
    expect(stack[0]).toMatch(new RegExp(`wait\\.test\\.ts:${line}:`));
  });
});

describe('the waiting methods are coroutine functions', () => {
  it("as CPython's async def methods are, though written by hand", () => {
    const methods = [
      new Lock().acquire,
      new Semaphore().acquire,
      new BoundedSemaphore().acquire,
      new Condition().acquire,
      new Event().wait,
      new Condition().wait,
    ];
    expect(methods.map(isCoroutineFunction)).toEqual([true, true, true, true, true, true]);
    expect([describeKind(Lock.prototype.acquire), describeKind(Event.prototype.wait)]).toEqual([
      'coroutine function acquire',
      'coroutine function wait',
    ]);
  });
});
