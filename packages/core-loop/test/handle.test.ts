import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ContextVar,
  copyContext,
  EventLoop,
  Handle,
  TimerHandle,
  VirtualTimeLoop,
} from '../src/index.js';
import { runOnce } from './utils.js';

function tick(..._args: unknown[]): void {}

describe('Handle', () => {
  it('a new handle is not cancelled; cancel() marks it cancelled and a second cancel() changes nothing', () => {
    const loop = new EventLoop();
    const handle = loop.callSoon(tick);
    const seen = [handle.cancelled()];
    handle.cancel();
    seen.push(handle.cancelled());
    handle.cancel();
    seen.push(handle.cancelled());
    expect(seen).toEqual([false, true, true]);
  });

  it('toString() names the class, the callback and its arguments', () => {
    const loop = new EventLoop();
    const handle = loop.callSoon((_a: number, _b: string) => {}, 1, 'two');
    const named = loop.callSoon(tick);
    expect([String(handle), String(named), inspect(named)]).toEqual([
      "<Handle <anonymous>(1, 'two')>",
      '<Handle tick()>',
      '<Handle tick()>',
    ]);
  });

  it('toString() of a bound function names the function without "bound"', () => {
    const loop = new EventLoop();
    const handle = loop.callSoon(tick.bind(null));
    expect(String(handle)).toBe('<Handle tick()>');
  });

  it('toString() of a cancelled handle says cancelled and no longer names the callback', () => {
    const loop = new EventLoop();
    const handle = loop.callSoon(tick, 1);
    handle.cancel();
    expect(String(handle)).toBe('<Handle cancelled>');
  });

  it('in debug mode a cancelled handle keeps naming the callback it had', () => {
    const loop = new EventLoop();
    loop.setDebug(true);
    const handle = loop.callSoon(tick, 1);
    handle.cancel();
    expect(String(handle)).toBe('<Handle cancelled tick(1)>');
  });

  it('a handle cancelled by an earlier callback of the same iteration does not run', async () => {
    const loop = new EventLoop();
    const events: string[] = [];
    loop.callSoon(() => {
      events.push('first');
      second.cancel();
    });
    const second = loop.callSoon(() => events.push('second'));
    loop.callSoon(() => events.push('third'));
    await runOnce(loop);
    expect(events).toEqual(['first', 'third']);
  });

  it('cancel() after the callback ran changes nothing but the flag', async () => {
    const loop = new EventLoop();
    const events: string[] = [];
    const handle = loop.callSoon(() => events.push('ran'));
    await runOnce(loop);
    handle.cancel();
    await runOnce(loop);
    expect([...events, handle.cancelled()]).toEqual(['ran', true]);
  });

  it('getContext() is a copy of the context current at callSoon time, not the current context itself', () => {
    const loop = new EventLoop();
    const color = new ContextVar<string>('color');
    const token = color.set('red');
    const handle = loop.callSoon(tick);
    color.reset(token);
    const context = handle.getContext();
    expect([context === copyContext(), context.get(color), color.get('none')]).toEqual([
      false,
      'red',
      'none',
    ]);
  });
});

describe('TimerHandle', () => {
  it('when() is the loop time at which the callback is due', () => {
    const loop = new VirtualTimeLoop();
    loop.advance(40);
    const timer = loop.callLater(60, tick);
    expect([timer instanceof TimerHandle, timer instanceof Handle, timer.when()]).toEqual([
      true,
      true,
      100,
    ]);
  });

  it('toString() puts when= before the callback, and after "cancelled" once cancelled', () => {
    const loop = new VirtualTimeLoop();
    const timer = loop.callLater(100, tick, 'x');
    const shown = [String(timer)];
    timer.cancel();
    shown.push(String(timer));
    expect(shown).toEqual(["<TimerHandle when=100 tick('x')>", '<TimerHandle cancelled when=100>']);
  });

  it('in debug mode a cancelled timer keeps naming its callback after when=', () => {
    const loop = new VirtualTimeLoop();
    loop.setDebug(true);
    const timer = loop.callAt(5, tick);
    timer.cancel();
    expect(String(timer)).toBe('<TimerHandle cancelled when=5 tick()>');
  });

  it('a timer cancelled by an earlier timer due at the same time does not run', async () => {
    const loop = new VirtualTimeLoop();
    const events: string[] = [];
    loop.callAt(10, () => {
      events.push('first');
      second.cancel();
    });
    const second = loop.callAt(10, () => events.push('second'));
    loop.callAt(10, () => {
      events.push('third');
      loop.stop();
    });
    await loop.runForever();
    expect(events).toEqual(['first', 'third']);
  });
});
