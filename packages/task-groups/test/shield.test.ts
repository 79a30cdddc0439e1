import {
  CancelledError,
  type Coro,
  type ExceptionContext,
  type Future,
  getRunningLoop,
  RuntimeError,
  setEventLoop,
  VirtualTimeLoop,
} from '@asyncio-ts/core-loop';
import { createTask, gather, sleep } from '@asyncio-ts/tasks';
import { afterEach, describe, expect, it } from 'vitest';
import { shield } from '../src/shield.js';
import {
  expectError,
  hostTurn,
  now,
  runVirtual,
  thrownBy,
  thrownByAwaiting,
  ticks,
} from './utils.js';

/** Forces collections and host turns until `until()` holds, at most `turns` times. */
async function collectUntil(until: () => boolean, turns = 20): Promise<boolean> {
  // Exposed by vitest.config.ts (`--expose-gc`).
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error('run node with --expose-gc (see vitest.config.ts)');
  for (let i = 0; i < turns; i++) {
    gc();
    await hostTurn();
    if (until()) return true;
  }
  return false;
}

/** Collects what reaches the running loop's exception handler, as "message: error message". */
function captureReports(): { texts: string[]; contexts: ExceptionContext[] } {
  const reports = { texts: [] as string[], contexts: [] as ExceptionContext[] };
  getRunningLoop().setExceptionHandler((_loop, context) => {
    reports.contexts.push(context);
    reports.texts.push(`${context.message}: ${String((context.exception as Error).message)}`);
  });
  return reports;
}

function* answer(): Coro<number> {
  return 42;
}

afterEach(() => {
  setEventLoop(null);
});

describe('shield() follows the inner future', () => {
  it('gives the inner result through a new future on the same loop', async () => {
    const result = await runVirtual(function* () {
      const inner = getRunningLoop().createFuture<number>();
      const outer = shield(inner);
      expect([outer === inner, outer.getLoop() === getRunningLoop(), outer.done()]).toEqual([
        false,
        true,
        false,
      ]);
      inner.setResult(42);
      return yield* outer;
    });
    expect(result).toBe(42);
  });

  it('gives the inner exception, the same object, once the loop ran the callback', async () => {
    await runVirtual(function* () {
      const inner = getRunningLoop().createFuture<number>();
      const outer = shield(inner);
      yield* ticks(1);
      const exc = new RangeError('expected');
      inner.setException(exc);
      expect(outer.done()).toBe(false);
      yield* ticks(1);
      expect(outer.exception()).toBe(exc);
      expect(yield* thrownByAwaiting(outer)).toBe(exc);
    });
  });

  it('is cancelled when the inner future is cancelled, without the inner message', async () => {
    await runVirtual(function* () {
      const inner = getRunningLoop().createFuture<number>();
      const outer = shield(inner);
      yield* ticks(1);
      inner.cancel('inner reason');
      yield* ticks(1);
      expect([inner.cancelled(), outer.cancelled()]).toEqual([true, true]);
      expectError(yield* thrownByAwaiting(outer), CancelledError, '');
    });
  });

  it('returns a future that is already done as it is (the shortcut)', async () => {
    await runVirtual(function* () {
      const loop = getRunningLoop();
      const succeeded = loop.createFuture<number>();
      succeeded.setResult(42);
      const failed = loop.createFuture<number>();
      failed.setException(new TypeError('done already'));
      const cancelled = loop.createFuture<number>();
      cancelled.cancel();
      expect(shield(succeeded)).toBe(succeeded);
      expect(shield(failed)).toBe(failed);
      expect(shield(cancelled)).toBe(cancelled);
      expect(yield* shield(succeeded)).toBe(42);
      expectError(yield* thrownByAwaiting(shield(failed)), TypeError, 'done already');
    });
  });

  it('wraps a coroutine in a task on the running loop', async () => {
    const result = await runVirtual(function* () {
      const outer = shield(answer());
      expect(outer.getLoop()).toBe(getRunningLoop());
      return yield* outer;
    });
    expect(result).toBe(42);
  });

  it('wraps a promise', async () => {
    const result = await runVirtual(function* () {
      return yield* shield(Promise.resolve('from a promise'));
    });
    expect(result).toBe('from a promise');
  });

  it('refuses what is not an awaitable with the TypeError of ensureFuture', async () => {
    await runVirtual(function* () {
      expectError(
        thrownBy(() => shield('text' as unknown as Future<string>)),
        TypeError,
        'An asyncio Future, a coroutine or an awaitable is required, got string',
      );
    });
  });
});

describe('cancelling the shield', () => {
  it('cancels the outer future only: the inner future stays pending', async () => {
    await runVirtual(function* () {
      const inner = getRunningLoop().createFuture<number>();
      const outer = shield(inner);
      yield* ticks(1);
      expect(outer.cancel()).toBe(true);
      yield* ticks(1);
      expect([outer.cancelled(), inner.cancelled(), inner.done()]).toEqual([true, false, false]);
      inner.setResult(1);
      expect(inner.result()).toBe(1);
    });
  });

  it('does not reach the shielded coroutine when the awaiting task is cancelled', async () => {
    const log: string[] = [];
    const loop = new VirtualTimeLoop();
    await runVirtual(function* () {
      const waiter = getRunningLoop().createFuture<void>();
      function* inner(): Coro<void> {
        yield* waiter;
        log.push(`inner done at ${now()}`);
      }
      function* outer(): Coro<void> {
        try {
          yield* shield(inner());
          log.push('outer got past the shield');
        } catch (e) {
          log.push(`outer ${(e as Error).constructor.name} at ${now()}`);
          throw e;
        }
      }
      const task = createTask(outer());
      yield* ticks(1);
      yield* sleep(10);
      task.cancel();
      expectError(yield* thrownByAwaiting(task), CancelledError, '');
      getRunningLoop().callLater(20, () => waiter.setResult());
      yield* sleep(30);
    }, loop);
    expect(log).toEqual(['outer CancelledError at 10', 'inner done at 30']);
    expect(loop.time()).toBe(40);
  });

  it('passes its cancel message to the awaiting task and leaves the inner task running', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const work = createTask(
        (function* (): Coro<string> {
          yield* sleep(50);
          log.push(`work finished at ${now()}`);
          return 'saved';
        })(),
      );
      const outer = shield(work);
      const awaiting = createTask(
        (function* (): Coro<void> {
          try {
            yield* outer;
          } catch (e) {
            log.push(
              `awaiting: ${(e as Error).constructor.name}(${(e as Error).message}) at ${now()}`,
            );
            throw e;
          }
        })(),
      );
      yield* sleep(20);
      outer.cancel('shutting down');
      yield* ticks(2);
      expect([awaiting.cancelled(), work.done()]).toEqual([true, false]);
      log.push(`work result ${yield* work} at ${now()}`);
    });
    expect(log).toEqual([
      'awaiting: CancelledError(shutting down) at 20',
      'work finished at 50',
      'work result saved at 50',
    ]);
  });

  it('drops a result the inner future gives later, reporting nothing', async () => {
    await runVirtual(function* () {
      const reports = captureReports();
      const inner = getRunningLoop().createFuture<number>();
      const outer = shield(inner);
      yield* ticks(1);
      outer.cancel();
      yield* ticks(1);
      inner.setResult(1);
      yield* ticks(1);
      expect([reports.texts, outer.cancelled(), inner.result()]).toEqual([[], true, 1]);
    });
  });

  it('reports an exception the inner future gives later to the loop exception handler', async () => {
    await runVirtual(function* () {
      const reports = captureReports();
      const inner = getRunningLoop().createFuture<number>();
      const outer = shield(inner);
      yield* ticks(1);
      outer.cancel();
      yield* ticks(1);
      const exc = new RangeError('foo');
      inner.setException(exc);
      yield* ticks(1);
      expect(reports.texts).toEqual(['RangeError exception in shielded future: foo']);
      // Compared key by key: a Future is iterable, and a deep equality would iterate it.
      expect(Object.keys(reports.contexts[0] ?? {})).toEqual(['message', 'exception', 'future']);
      expect(reports.contexts[0]?.exception).toBe(exc);
      expect(reports.contexts[0]?.future).toBe(inner);
    });
  });

  it('reports nothing when the inner future is cancelled later', async () => {
    await runVirtual(function* () {
      const reports = captureReports();
      const inner = getRunningLoop().createFuture<number>();
      const outer = shield(inner);
      outer.cancel();
      yield* ticks(1);
      inner.cancel();
      yield* ticks(2);
      expect([reports.texts, inner.cancelled()]).toEqual([[], true]);
    });
  });

  it('reports the error once when the same future was shielded and cancelled twice', async () => {
    await runVirtual(function* () {
      const reports = captureReports();
      const inner = getRunningLoop().createFuture<number>();
      const first = shield(inner);
      yield* ticks(1);
      first.cancel();
      yield* ticks(1);
      const second = shield(inner);
      yield* ticks(1);
      second.cancel();
      yield* ticks(1);
      inner.setException(new TypeError('foo'));
      yield* ticks(2);
      expect(reports.texts).toEqual(['TypeError exception in shielded future: foo']);
    });
  });

  it('reports the error of a shielded task that fails after its awaiter was cancelled', async () => {
    const loop = new VirtualTimeLoop();
    const texts = await runVirtual(function* () {
      const reports = captureReports();
      function* save(): Coro<void> {
        yield* sleep(30);
        throw new TypeError('disk full');
      }
      const handler = createTask(
        (function* (): Coro<void> {
          yield* shield(save());
        })(),
      );
      yield* sleep(10);
      handler.cancel();
      expect((yield* thrownByAwaiting(handler)) instanceof CancelledError).toBe(true);
      yield* sleep(50);
      return reports.texts;
    }, loop);
    expect(texts).toEqual(['TypeError exception in shielded future: disk full']);
    expect(loop.time()).toBe(60);
  });

  it('names the kind of a thrown value that is not an error', async () => {
    await runVirtual(function* () {
      const reports = captureReports();
      const inner = getRunningLoop().createFuture<number>();
      shield(inner).cancel();
      yield* ticks(1);
      inner.setException('plain text');
      yield* ticks(1);
      expect(reports.contexts.map((c) => [c.message, c.exception])).toEqual([
        ['String exception in shielded future', 'plain text'],
      ]);
    });
  });

  it('stays cancelled when the inner future finishes in the same turn as the cancel', async () => {
    await runVirtual(function* () {
      const reports = captureReports();
      const inner = getRunningLoop().createFuture<number>();
      const outer = shield(inner);
      outer.cancel();
      inner.setResult(5);
      yield* ticks(2);
      expect([reports.texts, outer.cancelled(), inner.result()]).toEqual([[], true, 5]);
    });
  });

  it('is let go by the inner future once cancelled, while a pending one is kept', async () => {
    const collected: string[] = [];
    const registry = new FinalizationRegistry<string>((name) => collected.push(name));
    const held: Future<number>[] = [];
    // Made in a plain function so that no coroutine frame holds the shields themselves.
    const shieldTwice = (): void => {
      const inner = getRunningLoop().createFuture<number>();
      held.push(inner);
      const cancelled = shield(inner);
      cancelled.cancel();
      registry.register(cancelled, 'cancelled shield');
      registry.register(shield(inner), 'pending shield');
    };
    await runVirtual(function* () {
      shieldTwice();
      yield* ticks(2);
    });
    expect(await collectUntil(() => collected.length > 0)).toBe(true);
    await collectUntil(() => false, 3);
    expect(collected).toEqual(['cancelled shield']);
    expect(held[0]?.done()).toBe(false);
  });

  it('cannot be cancelled any more once the inner result was copied', async () => {
    await runVirtual(function* () {
      const inner = getRunningLoop().createFuture<number>();
      const outer = shield(inner);
      inner.setResult(7);
      yield* ticks(1);
      expect([outer.cancel(), outer.result()]).toEqual([false, 7]);
    });
  });
});

describe('shield() and gather()', () => {
  it('a shielded gather keeps running when the shield is cancelled', async () => {
    await runVirtual(function* () {
      const loop = getRunningLoop();
      const child1 = loop.createFuture<number>();
      const child2 = loop.createFuture<number>();
      const parent = gather([child1, child2]);
      const outer = shield(parent);
      yield* ticks(1);
      outer.cancel();
      yield* ticks(1);
      expect([outer.cancelled(), parent.done()]).toEqual([true, false]);
      child1.setResult(1);
      child2.setResult(2);
      yield* ticks(2);
      expect(parent.result()).toEqual([1, 2]);
    });
  });

  it('cancelling a gather of shields cancels the shields, not the children', async () => {
    await runVirtual(function* () {
      const loop = getRunningLoop();
      const child1 = loop.createFuture<number>();
      const child2 = loop.createFuture<number>();
      const inner1 = shield(child1);
      const inner2 = shield(child2);
      const parent = gather([inner1, inner2]);
      yield* ticks(1);
      parent.cancel();
      yield* ticks(1);
      expect(parent.exception()).toBeInstanceOf(CancelledError);
      expect([inner1.cancelled(), inner2.cancelled()]).toEqual([true, true]);
      expect([child1.done(), child2.done()]).toEqual([false, false]);
      child1.setResult(1);
      child2.setResult(2);
      yield* ticks(1);
      expect([child1.result(), child2.result()]).toEqual([1, 2]);
    });
  });
});

describe('shield() outside a running loop', () => {
  it('refuses a coroutine when there is no current loop either', () => {
    setEventLoop(null);
    const coro = answer();
    expectError(
      thrownBy(() => shield(coro)),
      RuntimeError,
      'There is no current event loop',
    );
    coro.return(0);
  });

  it('uses the current loop set by setEventLoop()', async () => {
    const loop = new VirtualTimeLoop();
    setEventLoop(loop);
    const outer = shield(answer());
    expect(outer.getLoop()).toBe(loop);
    expect(await loop.runUntilComplete(outer)).toBe(42);
    loop.close();
  });
});
