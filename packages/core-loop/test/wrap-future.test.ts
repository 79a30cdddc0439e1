import { afterEach, describe, expect, it } from 'vitest';
import {
  CancelledError,
  EventLoop,
  isFuture,
  RuntimeError,
  setEventLoop,
  wrapFuture,
} from '../src/index.js';
import { expectError, expectThrows, hostTurn, rejectionOf, thrownBy } from './utils.js';

afterEach(() => {
  setEventLoop(null);
});

describe('wrapFuture', () => {
  it('returns a pending Future of the given loop that settles with the promise value', async () => {
    const loop = new EventLoop();
    const fut = wrapFuture(Promise.resolve('value'), { loop });
    const before = [isFuture(fut), fut.getLoop() === loop, fut.done()];
    expect([...before, await loop.runUntilComplete(fut)]).toEqual([true, true, false, 'value']);
  });

  it('a rejected promise fails the Future with the very same reason', async () => {
    const loop = new EventLoop();
    const error = new TypeError('rejected');
    const fut = wrapFuture(Promise.reject(error), { loop });
    expect(await rejectionOf(loop.runUntilComplete(fut))).toBe(error);
  });

  it('without a loop option it binds to the current loop', () => {
    const loop = new EventLoop();
    setEventLoop(loop);
    expect(wrapFuture(Promise.resolve(1)).getLoop()).toBe(loop);
  });

  it('without a loop option and with no current loop it throws RuntimeError', () => {
    expectThrows(
      () => wrapFuture(Promise.resolve(1)),
      RuntimeError,
      'There is no current event loop',
    );
  });

  it('a Future cancelled before the promise settles stays cancelled with its message', async () => {
    const loop = new EventLoop();
    const fut = wrapFuture(Promise.resolve('late'), { loop });
    fut.cancel('not needed');
    await hostTurn();
    expectError(
      thrownBy(() => fut.result()),
      CancelledError,
      'not needed',
    );
  });

  it('a thenable with cancel() is cancelled with the Future, once, and only when cancelled', async () => {
    const loop = new EventLoop();
    const log: string[] = [];
    function job(name: string): Promise<string> & { cancel(): void } {
      const promise = new Promise<string>((resolve) => setImmediate(() => resolve(name)));
      return Object.assign(promise, { cancel: () => log.push(`cancel ${name}`) });
    }
    const cancelled = wrapFuture(job('a'), { loop });
    const finished = wrapFuture(job('b'), { loop });
    cancelled.cancel();
    expect(await loop.runUntilComplete(finished)).toBe('b');
    expect([cancelled.cancelled(), log]).toEqual([true, ['cancel a']]);
  });

  it('a promise that settles after its loop was closed leaves the Future pending', async () => {
    const loop = new EventLoop();
    const fut = wrapFuture(Promise.resolve('late'), { loop });
    loop.close();
    await hostTurn();
    expect(fut.done()).toBe(false);
  });

  it('a thenable whose then() throws fails the Future with that error at once', () => {
    const loop = new EventLoop();
    const error = new Error('then broke');
    const fut = wrapFuture(
      {
        // biome-ignore lint/suspicious/noThenProperty: a broken PromiseLike on purpose
        then() {
          throw error;
        },
      },
      { loop },
    );
    expect([fut.done(), fut.exception() === error]).toEqual([true, true]);
  });
});
