import { CancelledError, logger, TimeoutError } from '@asyncio-ts/core-loop';
import { describe, expect, it, vi } from 'vitest';
import { ConcurrentFuture } from '../dist/index.js';
import { expectError, thrownBy } from './utils.js';

/** The internals a worker's bridge uses, which the public types leave out. */
interface Settleable<T> extends ConcurrentFuture<T> {
  _settle(ok: boolean, value: unknown, cancelled: boolean): void;
}

/** A future on a scripted source: `onWait` runs when the future blocks, to settle it or not. */
function scripted<T>(onWait: (future: Settleable<T>) => void = () => {}) {
  const log: string[] = [];
  const source = {
    poll: () => log.push('poll'),
    waitUntil: (isDone: () => boolean, timeoutMs: number | undefined) => {
      log.push(`wait ${timeoutMs}`);
      onWait(future);
      log.push(`woke done=${isDone()}`);
    },
    cancel: (id: number) => log.push(`cancel call ${id}`),
  };
  const Constructor = ConcurrentFuture as unknown as new (
    s: typeof source,
    id: number,
  ) => Settleable<T>;
  const future = new Constructor(source, 7);
  return { future, log };
}

describe('ConcurrentFuture', () => {
  it('result() blocks until the outcome arrives and returns the value', () => {
    const { future, log } = scripted<number>((f) => f._settle(true, 42, false));
    expect(future.result()).toBe(42);
    expect([future.done(), future.cancelled(), future.exception()]).toEqual([true, false, null]);
    expect(log).toEqual(['poll', 'wait undefined', 'woke done=true']);
  });

  it('result() throws the error; exception() returns it', () => {
    const error = new RangeError('bad');
    const { future } = scripted<number>((f) => f._settle(false, error, false));
    expect(thrownBy(() => future.result())).toBe(error);
    expect(future.exception()).toBe(error);
  });

  it('raises TimeoutError when nothing arrived in time, and stays pending for a later call', () => {
    let calls = 0;
    const { future, log } = scripted<string>((f) => {
      if (++calls === 3) f._settle(true, 'late', false);
    });
    expectError(
      thrownBy(() => future.result(25)),
      TimeoutError,
      'result() timed out after 25 ms',
    );
    expectError(
      thrownBy(() => future.exception(0)),
      TimeoutError,
      'exception() timed out after 0 ms',
    );
    expect(future.done()).toBe(false);
    expect(future.result(25)).toBe('late');
    expect(log.filter((entry) => entry.startsWith('wait'))).toEqual([
      'wait 25',
      'wait 0',
      'wait 25',
    ]);
  });

  it('cancel() settles it at once, tells the loop, and is refused once done', () => {
    const { future, log } = scripted<number>();
    const seen: string[] = [];
    future.addDoneCallback((f) => seen.push(`callback cancelled=${f.cancelled()}`));
    expect(future.cancel()).toBe(true);
    expect(future.cancel()).toBe(false);
    expectError(
      thrownBy(() => future.result()),
      CancelledError,
      '',
    );
    expectError(
      thrownBy(() => future.exception()),
      CancelledError,
      '',
    );
    future._settle(true, 1, false);
    expect([future.cancelled(), seen, log.filter((e) => e.startsWith('cancel'))]).toEqual([
      true,
      ['callback cancelled=true'],
      ['cancel call 7'],
    ]);
  });

  it('is cancelled with the message of the task the loop cancelled', () => {
    const { future } = scripted<number>((f) => f._settle(false, new CancelledError('stop'), true));
    expectError(
      thrownBy(() => future.result()),
      CancelledError,
      'stop',
    );
    expect(future.cancelled()).toBe(true);
  });

  it('runs done callbacks once, in order, and at once when already done', () => {
    const { future } = scripted<number>();
    const seen: string[] = [];
    future.addDoneCallback(() => seen.push('first'));
    future.addDoneCallback(() => seen.push('second'));
    future._settle(true, 1, false);
    future._settle(true, 2, false);
    future.addDoneCallback(() => seen.push('added when done'));
    expect([seen, future.result()]).toEqual([['first', 'second', 'added when done'], 1]);
  });

  it('logs an error a done callback throws, and goes on', () => {
    const errors = vi.spyOn(logger, 'error').mockImplementation(() => {});
    const { future } = scripted<number>();
    const seen: string[] = [];
    future.addDoneCallback(() => {
      throw new Error('callback failed');
    });
    future.addDoneCallback(() => seen.push('next callback'));
    future._settle(true, 1, false);
    expect(seen).toEqual(['next callback']);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(errors.mock.calls[0]![0]).toMatch(
      /^exception calling callback for <ConcurrentFuture finished>: Error: callback failed/,
    );
    errors.mockRestore();
  });

  it('refuses a bad timeout or callback', () => {
    const { future } = scripted<number>();
    expectError(
      thrownBy(() => future.result('1' as never)),
      TypeError,
      'result() timeout must be a number of ms, got string',
    );
    expectError(
      thrownBy(() => future.result(Number.NaN)),
      RangeError,
      'result() timeout must not be NaN',
    );
    expectError(
      thrownBy(() => future.addDoneCallback(5 as never)),
      TypeError,
      'addDoneCallback() expects a function, got number',
    );
  });

  it('shows its state', () => {
    const { future } = scripted<number>();
    expect(String(future)).toBe('<ConcurrentFuture pending>');
    future.cancel();
    expect(String(future)).toBe('<ConcurrentFuture cancelled>');
  });
});
