import { describe, expect, it } from 'vitest';
import { EventLoop, VirtualTimeLoop } from '../src/index.js';
import { expectThrows, hostTurn, runOnce } from './utils.js';

describe('VirtualTimeLoop', () => {
  it('is an EventLoop whose clock starts at 0 and does not move by itself', async () => {
    const loop = new VirtualTimeLoop();
    const before = loop.time();
    await hostTurn();
    expect([loop instanceof EventLoop, before, loop.time(), String(loop)]).toEqual([
      true,
      0,
      0,
      '<VirtualTimeLoop running=false closed=false debug=false>',
    ]);
  });

  it('an hour-long callLater fires at once with time() exactly 3600000', async () => {
    const loop = new VirtualTimeLoop();
    const seen: number[] = [];
    loop.callLater(3_600_000, () => {
      seen.push(loop.time());
      loop.stop();
    });
    await loop.runForever();
    expect(seen).toEqual([3_600_000]);
  });

  it('timers run in deadline order, each at its own time, and equal deadlines in scheduling order', async () => {
    const loop = new VirtualTimeLoop();
    const events: [string, number][] = [];
    const at = (name: string) => (): void => {
      events.push([name, loop.time()]);
    };
    loop.callAt(50, at('a'));
    loop.callAt(20, at('b'));
    loop.callAt(50, at('c'));
    loop.callAt(20, at('d'));
    loop.callLater(1000, () => loop.stop());
    await loop.runForever();
    expect(events).toEqual([
      ['b', 20],
      ['d', 20],
      ['a', 50],
      ['c', 50],
    ]);
  });

  it('a timer scheduled by a timer callback fires its delay after that time', async () => {
    const loop = new VirtualTimeLoop();
    const events: number[] = [];
    loop.callLater(1000, () => {
      events.push(loop.time());
      loop.callLater(500, () => {
        events.push(loop.time());
        loop.stop();
      });
    });
    await loop.runForever();
    expect(events).toEqual([1000, 1500]);
  });

  it('ready callbacks all run before the clock jumps to the next timer', async () => {
    const loop = new VirtualTimeLoop();
    const events: [string, number][] = [];
    loop.callLater(100, () => {
      events.push(['timer', loop.time()]);
      loop.stop();
    });
    let n = 0;
    const chain = (): void => {
      events.push([`chain ${n}`, loop.time()]);
      if (++n < 3) loop.callSoon(chain);
    };
    loop.callSoon(chain);
    await loop.runForever();
    expect(events).toEqual([
      ['chain 0', 0],
      ['chain 1', 0],
      ['chain 2', 0],
      ['timer', 100],
    ]);
  });

  it('a promise that has already settled lands before the clock jumps', async () => {
    const loop = new VirtualTimeLoop();
    const events: [string, number][] = [];
    loop.callLater(1000, () => {
      events.push(['timer', loop.time()]);
      loop.stop();
    });
    loop.callSoon(() => {
      Promise.resolve('settled').then((value) => {
        loop.callSoonThreadsafe(() => events.push([value, loop.time()]));
      });
    });
    await loop.runForever();
    expect(events).toEqual([
      ['settled', 0],
      ['timer', 1000],
    ]);
  });

  it('runUntilComplete of a future set by a timer an hour away settles at once at that time', async () => {
    const loop = new VirtualTimeLoop();
    const fut = loop.createFuture<string>();
    loop.callLater(3_600_000, () => fut.setResult('an hour later'));
    expect([await loop.runUntilComplete(fut), loop.time()]).toEqual(['an hour later', 3_600_000]);
  });

  it('the clock of a loop that stopped before reaching the next timer stays where it stopped', async () => {
    const loop = new VirtualTimeLoop();
    const events: [string, number][] = [];
    loop.callLater(1000, () => events.push(['timer', loop.time()]));
    const value = await loop.runUntilComplete(Promise.resolve('settled'));
    await hostTurn();
    await hostTurn();
    events.push([value, loop.time()]);
    loop.callLater(1000, () => loop.stop());
    await loop.runForever();
    expect(events).toEqual([
      ['settled', 0],
      ['timer', 1000],
    ]);
  });

  it('advance(ms) moves the clock forward, and a timer that became due runs on the next iteration', async () => {
    const loop = new VirtualTimeLoop();
    const events: [string, number][] = [];
    loop.callLater(100, () => events.push(['due', loop.time()]));
    loop.callLater(500, () => events.push(['not yet', loop.time()]));
    loop.advance(120);
    loop.advance(0);
    const now = loop.time();
    await runOnce(loop);
    expect([now, ...events]).toEqual([120, ['due', 120]]);
  });

  it('advance() with a negative number or NaN throws RangeError', () => {
    const loop = new VirtualTimeLoop();
    expectThrows(
      () => loop.advance(-1),
      RangeError,
      'advance() takes a non-negative number, got -1',
    );
    expectThrows(
      () => loop.advance(Number.NaN),
      RangeError,
      'advance() takes a non-negative number, got NaN',
    );
    expect(loop.time()).toBe(0);
  });

  it('the clock never jumps backwards to a timer that is already past', async () => {
    const loop = new VirtualTimeLoop();
    const events: [string, number][] = [];
    loop.advance(1000);
    loop.callAt(10, () => {
      events.push(['past timer', loop.time()]);
      loop.stop();
    });
    await loop.runForever();
    expect(events).toEqual([['past timer', 1000]]);
  });
});
