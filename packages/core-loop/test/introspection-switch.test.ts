import { afterEach, describe, expect, it } from 'vitest';
import {
  EventLoop,
  Future,
  isIntrospectionEnabled,
  recordSuspension,
  recordsSuspensions,
  setIntrospection,
  takeSuspensionStack,
} from '../src/index.js';

afterEach(() => {
  setIntrospection(false);
  takeSuspensionStack();
});

/** Starts `yield* fut` by hand: the iterator yields the pending future, as it does to a Task. */
function suspendOn(fut: Future<unknown>): void {
  fut[Symbol.iterator]().next();
}

describe('recording where coroutines suspend', () => {
  it('is off by default, on in debug mode or with setIntrospection(true)', () => {
    const plain = new EventLoop();
    const debugging = new EventLoop();
    debugging.setDebug(true);
    const before = [
      isIntrospectionEnabled(),
      recordsSuspensions(plain),
      recordsSuspensions(debugging),
    ];
    setIntrospection(true);
    const during = [
      isIntrospectionEnabled(),
      recordsSuspensions(plain),
      recordsSuspensions(debugging),
    ];
    expect([before, during]).toEqual([
      [false, false, true],
      [true, true, true],
    ]);
  });

  it('a future that suspends records the stack only while recording is on', () => {
    const loop = new EventLoop();
    suspendOn(new Future({ loop }));
    const off = takeSuspensionStack();
    setIntrospection(true);
    suspendOn(new Future({ loop }));
    const on = takeSuspensionStack();
    expect([off, on instanceof Error, takeSuspensionStack()]).toEqual([null, true, null]);
    expect(on!.stack).toContain('suspendOn');
  });

  it('recordSuspension records the stack of a suspension without a future', () => {
    function bareYield(): void {
      recordSuspension();
    }
    bareYield();
    expect(takeSuspensionStack()!.stack).toContain('bareYield');
  });
});
