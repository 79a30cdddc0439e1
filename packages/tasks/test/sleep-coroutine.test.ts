import { type Coro, getRunningLoop, isCoroutine, VirtualTimeLoop } from '@asyncio-ts/core-loop';
import { describe, expect, it } from 'vitest';
import { createTask, run, sleep } from '../src/index.js';

function runVirtual<T>(main: () => Coro<T>, loop = new VirtualTimeLoop()): Promise<T> {
  return run(main, { loopFactory: () => loop });
}

describe('the coroutine object sleep() returns', () => {
  it('is a coroutine and its own iterator', () => {
    const coro = sleep(5);
    expect(isCoroutine(coro)).toBe(true);
    expect(coro[Symbol.iterator]()).toBe(coro);
  });

  it('runs nothing until it is first resumed, so a bad delay throws only then', () => {
    const coro = sleep(Number.NaN);
    expect(() => coro.next()).toThrow(new RangeError('Invalid delay: NaN (not a number)'));
    expect(coro.next()).toEqual({ value: undefined, done: true });
  });

  it('sleep(0) yields nothing once, then returns its value', () => {
    const coro = sleep(0, 'v');
    expect(coro.next()).toEqual({ value: undefined, done: false });
    expect(coro.next()).toEqual({ value: 'v', done: true });
    expect(coro.next()).toEqual({ value: undefined, done: true });
  });

  it('sleep(0) and any delay below it behave alike: one hand-off, then the value', () => {
    for (const ms of [0, -5, Number.NEGATIVE_INFINITY, -0]) {
      const coro = sleep(ms, ms);
      expect(coro.next()).toEqual({ value: undefined, done: false });
      expect(coro.next()).toEqual({ value: ms, done: true });
    }
  });

  it('sleep(0) closed with return() or thrown into is finished, as a generator would be', () => {
    const closed = sleep(0, 'v');
    expect(closed.return('closed')).toEqual({ value: 'closed', done: true });
    expect(closed.next()).toEqual({ value: undefined, done: true });
    const suspended = sleep(0, 'v');
    suspended.next();
    const error = new Error('into it');
    expect(() => suspended.throw(error)).toThrow(error);
    expect(suspended.next()).toEqual({ value: undefined, done: true });
    const fresh = sleep(0);
    expect(() => fresh.throw(error)).toThrow(error);
    expect(fresh.next()).toEqual({ value: undefined, done: true });
  });

  it('a longer sleep yields its future, and return() cancels the timer', async () => {
    const loop = new VirtualTimeLoop();
    const seen = await runVirtual(function* () {
      const coro = sleep(3_600_000, 'late');
      const first = coro.next();
      const timersBefore = first.done === false && first.value !== undefined;
      const ended = coro.return('early');
      return { timersBefore, ended };
    }, loop);
    expect(seen).toEqual({ timersBefore: true, ended: { value: 'early', done: true } });
    // The cancelled timer did not hold the run open: the clock never jumped to it.
    expect(loop.time()).toBe(0);
  });

  it('resumed while its future is pending, it throws RuntimeError', async () => {
    const message = await runVirtual(function* () {
      const coro = sleep(10);
      coro.next();
      try {
        coro.next();
        return 'no error';
      } catch (error) {
        coro.return(undefined);
        return (error as Error).message;
      }
    });
    expect(message).toBe("await wasn't used with future");
  });

  it('an error thrown in cancels the timer and comes back out', async () => {
    const loop = new VirtualTimeLoop();
    const caught = await runVirtual(function* () {
      const coro = sleep(1000);
      coro.next();
      const boom = new Error('boom');
      try {
        coro.throw(boom);
      } catch (error) {
        return error === boom;
      }
      return false;
    }, loop);
    expect(caught).toBe(true);
    expect(loop.time()).toBe(0);
  });

  it('two tasks sleeping different times wake in deadline order at exact times', async () => {
    const events: string[] = [];
    await runVirtual(function* () {
      const loop = getRunningLoop();
      const a = createTask(
        (function* () {
          yield* sleep(300);
          events.push(`a@${loop.time()}`);
        })(),
      );
      const b = createTask(
        (function* () {
          yield* sleep(100);
          events.push(`b@${loop.time()}`);
        })(),
      );
      yield* a;
      yield* b;
    });
    expect(events).toEqual(['b@100', 'a@300']);
  });
});
