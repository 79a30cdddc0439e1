import { afterEach, describe, expect, it } from 'vitest';
import {
  EventLoop,
  getEventLoop,
  getRunningLoop,
  newEventLoop,
  RuntimeError,
  setEventLoop,
  tryGetRunningLoop,
  VirtualTimeLoop,
} from '../src/index.js';
import { expectError, expectThrows, runOnce, thrownBy } from './utils.js';

afterEach(() => {
  setEventLoop(null);
});

describe('getRunningLoop', () => {
  it("outside any loop getRunningLoop() throws RuntimeError 'no running event loop' and tryGetRunningLoop() is null", () => {
    expectThrows(() => getRunningLoop(), RuntimeError, 'no running event loop');
    expect(tryGetRunningLoop()).toBe(null);
  });

  it('inside a callback getRunningLoop() returns the loop running it', async () => {
    const loop = new EventLoop();
    const seen: boolean[] = [];
    loop.callSoon(() => seen.push(getRunningLoop() === loop, tryGetRunningLoop() === loop));
    await runOnce(loop);
    expect(seen).toEqual([true, true]);
  });

  it('inside a timer callback getRunningLoop() returns the loop too', async () => {
    const loop = new VirtualTimeLoop();
    const seen: boolean[] = [];
    loop.callLater(50, () => {
      seen.push(getRunningLoop() === loop);
      loop.stop();
    });
    await loop.runForever();
    expect(seen).toEqual([true]);
  });

  it('a promise reaction runs while the loop idles, and there getRunningLoop() throws', async () => {
    const loop = new EventLoop();
    const seen: unknown[] = [];
    loop.callSoon(() => {
      Promise.resolve().then(() => {
        seen.push(
          thrownBy(() => getRunningLoop()),
          tryGetRunningLoop(),
          loop.isRunning(),
        );
        loop.callSoonThreadsafe(() => loop.stop());
      });
    });
    await loop.runForever();
    expect(seen.slice(1)).toEqual([null, true]);
    expectError(seen[0], RuntimeError, 'no running event loop');
  });

  it('after runForever() has ended getRunningLoop() throws again', async () => {
    const loop = new EventLoop();
    await runOnce(loop);
    expectThrows(() => getRunningLoop(), RuntimeError, 'no running event loop');
  });
});

describe('getEventLoop and setEventLoop', () => {
  it("with no running and no current loop getEventLoop() throws RuntimeError 'There is no current event loop'", () => {
    expectThrows(() => getEventLoop(), RuntimeError, 'There is no current event loop');
  });

  it('setEventLoop(loop) makes getEventLoop() return it, and setEventLoop(null) clears it', () => {
    const loop = new EventLoop();
    setEventLoop(loop);
    const current = getEventLoop();
    setEventLoop(null);
    expect(current).toBe(loop);
    expectThrows(() => getEventLoop(), RuntimeError, 'There is no current event loop');
  });

  it('inside a callback getEventLoop() returns the running loop rather than the current one', async () => {
    const current = new EventLoop();
    const running = new EventLoop();
    setEventLoop(current);
    const seen: boolean[] = [];
    running.callSoon(() => seen.push(getEventLoop() === running));
    await runOnce(running);
    expect([...seen, getEventLoop() === current]).toEqual([true, true]);
  });

  it('newEventLoop() returns a new loop each time, neither running, closed nor made current', () => {
    const a = newEventLoop();
    const b = newEventLoop();
    expect([
      a instanceof EventLoop,
      a === b,
      a.isRunning(),
      a.isClosed(),
      tryGetRunningLoop(),
    ]).toEqual([true, false, false, false, null]);
    expectThrows(() => getEventLoop(), RuntimeError, 'There is no current event loop');
  });
});
