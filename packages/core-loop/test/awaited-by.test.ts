import { describe, expect, it } from 'vitest';
import {
  EventLoop,
  Future,
  futureAddToAwaitedBy,
  futureAwaitedBy,
  futureDiscardFromAwaitedBy,
} from '../src/index.js';
import { expectError, thrownBy } from './utils.js';

/** A future that waits on another the way a Task does: as a waiter, not a done callback. */
class WaitingFuture extends Future<void> {
  _run(): void {}
}

/** Which of `known` (by position) each waiter is: Futures cannot be compared with toEqual. */
function positions(waiters: Future<unknown>[], known: Future<unknown>[]): number[] {
  return waiters.map((waiter) => known.indexOf(waiter));
}

function futures(n: number): Future<unknown>[] {
  const loop = new EventLoop();
  return Array.from({ length: n }, () => new Future({ loop }));
}

describe('futureAddToAwaitedBy / futureDiscardFromAwaitedBy', () => {
  it('a future nobody registered is awaited by nobody and keeps a null field', () => {
    const [fut] = futures(1);
    expect([futureAwaitedBy(fut!).length, fut!._awaitedBy]).toEqual([0, null]);
  });

  it('records one waiter in the field itself, several in a set, each once, in order', () => {
    const [fut, a, b, c] = futures(4) as [Future, Future, Future, Future];
    futureAddToAwaitedBy(fut, a);
    expect(fut._awaitedBy === a).toBe(true);
    futureAddToAwaitedBy(fut, a);
    expect(fut._awaitedBy === a).toBe(true);
    futureAddToAwaitedBy(fut, b);
    futureAddToAwaitedBy(fut, c);
    futureAddToAwaitedBy(fut, b);
    expect(positions(futureAwaitedBy(fut), [a, b, c])).toEqual([0, 1, 2]);
    expect(fut._awaitedBy).toBeInstanceOf(Set);
  });

  it('discards a waiter; the last one discarded leaves the field null; an unknown one is ignored', () => {
    const [fut, a, b, stranger] = futures(4) as [Future, Future, Future, Future];
    futureDiscardFromAwaitedBy(fut, stranger);
    futureAddToAwaitedBy(fut, a);
    futureDiscardFromAwaitedBy(fut, stranger);
    expect(positions(futureAwaitedBy(fut), [a])).toEqual([0]);
    futureDiscardFromAwaitedBy(fut, a);
    expect(fut._awaitedBy).toBe(null);
    futureAddToAwaitedBy(fut, a);
    futureAddToAwaitedBy(fut, b);
    futureDiscardFromAwaitedBy(fut, a);
    expect(positions(futureAwaitedBy(fut), [b])).toEqual([0]);
    futureDiscardFromAwaitedBy(fut, b);
    expect([futureAwaitedBy(fut).length, fut._awaitedBy]).toEqual([0, null]);
  });

  it('counts a future in the waiter list (a waiting task) without registration, once', () => {
    const loop = new EventLoop();
    const fut = new Future({ loop });
    const waiting = new WaitingFuture({ loop });
    const registered = new Future({ loop });
    fut.addDoneCallback(() => {});
    fut.addWaiter(waiting);
    futureAddToAwaitedBy(fut, registered);
    futureAddToAwaitedBy(fut, waiting);
    expect(positions(futureAwaitedBy(fut), [registered, waiting])).toEqual([0, 1]);
  });

  it('forgets a waiting future once the future is done and its waiters are scheduled', () => {
    const loop = new EventLoop();
    const fut = new Future<number>({ loop });
    fut.addWaiter(new WaitingFuture({ loop }));
    expect(futureAwaitedBy(fut)).toHaveLength(1);
    fut.setResult(1);
    expect(futureAwaitedBy(fut).length).toBe(0);
  });

  it('refuses what is not a Future with a TypeError naming the argument', () => {
    const [fut] = futures(1) as [Future];
    expectError(
      thrownBy(() => futureAddToAwaitedBy({} as Future, fut)),
      TypeError,
      'futureAddToAwaitedBy() future must be a Future, got Object',
    );
    expectError(
      thrownBy(() => futureAddToAwaitedBy(fut, 5 as unknown as Future)),
      TypeError,
      'futureAddToAwaitedBy() waiter must be a Future, got number',
    );
    expectError(
      thrownBy(() => futureDiscardFromAwaitedBy(fut, null as unknown as Future)),
      TypeError,
      'futureDiscardFromAwaitedBy() waiter must be a Future, got null',
    );
    expectError(
      thrownBy(() => futureAwaitedBy('fut' as unknown as Future)),
      TypeError,
      'futureAwaitedBy() future must be a Future, got string',
    );
  });
});
