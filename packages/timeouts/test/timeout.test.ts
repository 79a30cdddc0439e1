import { inspect } from 'node:util';
import {
  CancelledError,
  type Coro,
  ensureFuture,
  type Future,
  getRunningLoop,
  RuntimeError,
  TimeoutError,
  VirtualTimeLoop,
} from '@asyncio-ts/core-loop';
import { createTask, currentTask, sleep, type Task } from '@asyncio-ts/tasks';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { Timeout, timeout, timeoutAt } from '../src/timeout.js';
import {
  ExceptionGroupLike,
  expectError,
  hostTimer,
  now,
  runVirtual,
  thrownBy,
  thrownByAwaiting,
  ticks,
} from './utils.js';

class KeyError extends Error {}
class ZeroDivisionError extends Error {}

function nameOf(error: unknown): string {
  return (error as Error).constructor.name;
}

/** A body that records the Timeout it runs under and then sleeps `ms`. */
function sleeper(ms: number, seen: { cm: Timeout | null }) {
  return function* (cm: Timeout): Coro<string> {
    seen.cm = cm;
    yield* sleep(ms);
    return 'slept';
  };
}

describe('timeout(ms, body): expiry', () => {
  it('throws TimeoutError at the deadline, with the CancelledError as cause', async () => {
    const loop = new VirtualTimeLoop();
    const log: string[] = [];
    const seen = { cm: null as Timeout | null };
    const [error, at] = await runVirtual(function* () {
      const body = sleeper(10_000, seen);
      const error = yield* thrownByAwaiting(
        timeout(100, function* (cm) {
          log.push(`enter at ${now()}`);
          try {
            return yield* body(cm);
          } catch (e) {
            log.push(`body got ${nameOf(e)} at ${now()}`);
            throw e;
          }
        }),
      );
      log.push(`caught ${nameOf(error)} at ${now()}`);
      return [error, now()];
    }, loop);
    expectError(error, TimeoutError, '');
    expectError((error as Error).cause, CancelledError, '');
    expect(log).toEqual([
      'enter at 0',
      'body got CancelledError at 100',
      'caught TimeoutError at 100',
    ]);
    expect(at).toBe(100);
    expect(loop.time()).toBe(100);
    expect(seen.cm!.expired()).toBe(true);
    expect(seen.cm!.when()).toBe(100);
  });

  it('timeoutAt() expires at the absolute deadline and keeps it as when()', async () => {
    const loop = new VirtualTimeLoop();
    const seen = { cm: null as Timeout | null };
    const result = await runVirtual(function* () {
      yield* sleep(40);
      const deadline = now() + 60;
      const error = yield* thrownByAwaiting(timeoutAt(deadline, sleeper(10_000, seen)));
      return [nameOf(error), deadline, now()];
    }, loop);
    expect(result).toEqual(['TimeoutError', 100, 100]);
    expect(seen.cm!.expired()).toBe(true);
    expect(seen.cm!.when()).toBe(100);
  });

  it('leaves the task that ran it not cancelled, and its cancelling() back at 0', async () => {
    const seen = await runVirtual(function* () {
      const task = createTask(
        (function* (): Coro<[string, number]> {
          const error = yield* thrownByAwaiting(timeout(1, sleeper(10_000, { cm: null })));
          return [nameOf(error), currentTask()!.cancelling()];
        })(),
      );
      const value = yield* task;
      return [value, task.cancelled(), task.done()];
    });
    expect(seen).toEqual([['TimeoutError', 0], false, true]);
  });

  it('restores the cancelling() count a task had when it entered', async () => {
    const counts = await runVirtual(function* () {
      const task = currentTask()!;
      task.cancel();
      const first = yield* thrownByAwaiting(sleep(5));
      const before = task.cancelling();
      const error = yield* thrownByAwaiting(timeout(10, sleeper(1000, { cm: null })));
      return [nameOf(first), before, nameOf(error), task.cancelling(), now()];
    });
    expect(counts).toEqual(['CancelledError', 1, 'TimeoutError', 1, 10]);
  });

  it('does not touch a task other than the one that entered it', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const other = createTask(
        (function* (): Coro<void> {
          yield* sleep(300);
          log.push(`other done at ${now()}`);
        })(),
      );
      const error = yield* thrownByAwaiting(timeout(100, sleeper(1000, { cm: null })));
      log.push(`${nameOf(error)} at ${now()}`);
      yield* other;
      log.push(`other cancelled: ${other.cancelled()}, cancelling: ${other.cancelling()}`);
    });
    expect(log).toEqual([
      'TimeoutError at 100',
      'other done at 300',
      'other cancelled: false, cancelling: 0',
    ]);
  });

  it('returns what the body returns when the body swallows the CancelledError', async () => {
    const loop = new VirtualTimeLoop();
    const seen = { cm: null as Timeout | null };
    const result = await runVirtual(function* () {
      const value = yield* timeout(50, function* (cm) {
        seen.cm = cm;
        try {
          yield* sleep(1000);
        } catch (e) {
          return `swallowed ${nameOf(e)}`;
        }
        return 'not reached';
      });
      return [value, now(), currentTask()!.cancelling()];
    }, loop);
    expect(result).toEqual(['swallowed CancelledError', 50, 0]);
    expect(seen.cm!.expired()).toBe(true);
    expect(String(seen.cm)).toBe('<Timeout [expired]>');
  });

  it('lets an error thrown while the body unwinds pass instead of TimeoutError', async () => {
    const seen = { cm: null as Timeout | null };
    const result = await runVirtual(function* () {
      const error = yield* thrownByAwaiting(
        timeout(10, function* (cm) {
          seen.cm = cm;
          try {
            yield* sleep(1000);
          } finally {
            // biome-ignore lint/correctness/noUnsafeFinally: an error in cleanup is the case here
            throw new ZeroDivisionError('division by zero');
          }
        }),
      );
      return [error, now(), currentTask()!.cancelling()];
    });
    expectError(result[0], ZeroDivisionError, 'division by zero');
    expect((result[0] as Error).cause).toBeUndefined();
    expect(result.slice(1)).toEqual([10, 0]);
    expect(seen.cm!.expired()).toBe(true);
  });
});

describe('timeout(ms, body): no expiry', () => {
  it('returns the body value when the body finishes in time', async () => {
    const loop = new VirtualTimeLoop();
    const seen = { cm: null as Timeout | null };
    const result = await runVirtual(function* () {
      const value = yield* timeout(10_000, sleeper(10, seen));
      expectTypeOf(value).toEqualTypeOf<string>();
      return [value, now()];
    }, loop);
    expect(result).toEqual(['slept', 10]);
    expect(seen.cm!.expired()).toBe(false);
    expect(seen.cm!.when()).toBe(10_000);
    expect(String(seen.cm)).toBe('<Timeout [finished]>');
  });

  it('cancels its timer on exit, so nothing is left to fire', async () => {
    const loop = new VirtualTimeLoop();
    const at = await runVirtual(function* () {
      yield* timeout(1000, sleeper(10, { cm: null }));
      // Nothing is ready while the host timer runs: a forgotten timer would move the clock.
      yield* ensureFuture(hostTimer());
      return now();
    }, loop);
    expect(at).toBe(10);
  });

  it('timeout(null) sets no deadline', async () => {
    const seen = { cm: null as Timeout | null };
    const result = await runVirtual(function* () {
      const value = yield* timeout(null, sleeper(1_000_000, seen));
      return [value, now()];
    });
    expect(result).toEqual(['slept', 1_000_000]);
    expect(seen.cm!.expired()).toBe(false);
    expect(seen.cm!.when()).toBeNull();
  });

  it('timeoutAt(null) sets no deadline', async () => {
    const seen = { cm: null as Timeout | null };
    const result = await runVirtual(function* () {
      const value = yield* timeoutAt(null, sleeper(1_000_000, seen));
      return [value, now()];
    });
    expect(result).toEqual(['slept', 1_000_000]);
    expect(seen.cm!.expired()).toBe(false);
    expect(seen.cm!.when()).toBeNull();
  });

  it('timeout(Infinity) never expires and schedules no timer', async () => {
    const loop = new VirtualTimeLoop();
    const seen = { cm: null as Timeout | null };
    const result = await runVirtual(function* () {
      return yield* timeout(Number.POSITIVE_INFINITY, function* (cm) {
        seen.cm = cm;
        const repr = String(cm);
        // A VirtualTimeLoop would jump to a timer at Infinity while the host timer runs.
        yield* ensureFuture(hostTimer());
        const afterHost = now();
        yield* sleep(1e9);
        return [repr, afterHost, now()];
      });
    }, loop);
    expect(result).toEqual(['<Timeout [active] when=Infinity>', 0, 1e9]);
    expect(seen.cm!.expired()).toBe(false);
    expect(seen.cm!.when()).toBe(Number.POSITIVE_INFINITY);
  });

  it('passes a foreign error through unchanged', async () => {
    const seen = { cm: null as Timeout | null };
    const thrown = new KeyError('key');
    const error = await runVirtual(function* () {
      return yield* thrownByAwaiting(
        timeout(10, function* (cm) {
          seen.cm = cm;
          throw thrown;
        }),
      );
    });
    expect(error).toBe(thrown);
    expect(seen.cm!.expired()).toBe(false);
    expect(String(seen.cm)).toBe('<Timeout [finished]>');
  });

  it('passes a cancellation from elsewhere through when it has not expired', async () => {
    const seen = { cm: null as Timeout | null };
    const result = await runVirtual(function* () {
      const error = yield* thrownByAwaiting(
        timeout(10_000, function* (cm) {
          seen.cm = cm;
          currentTask()!.cancel('from elsewhere');
          yield* sleep(10_000);
        }),
      );
      return [error, now(), currentTask()!.cancelling()];
    });
    expectError(result[0], CancelledError, 'from elsewhere');
    expect(result.slice(1)).toEqual([0, 1]);
    expect(seen.cm!.expired()).toBe(false);
  });

  it('a body that never waits is not cancelled even by timeout(0)', async () => {
    const seen = { cm: null as Timeout | null };
    const result = await runVirtual(function* () {
      const value = yield* timeout(0, function* (cm) {
        seen.cm = cm;
        return 'at once';
      });
      yield* ticks(2);
      return [value, currentTask()!.cancelling()];
    });
    expect(result).toEqual(['at once', 0]);
    expect(seen.cm!.expired()).toBe(false);
  });
});

describe('timeout(ms, body): zero and negative delays', () => {
  it('timeout(0) expires on the next iteration, at the same virtual time', async () => {
    const seen = { cm: null as Timeout | null };
    const result = await runVirtual(function* () {
      yield* sleep(25);
      const error = yield* thrownByAwaiting(timeout(0, sleeper(10_000, seen)));
      return [nameOf(error), now()];
    });
    expect(result).toEqual(['TimeoutError', 25]);
    expect(seen.cm!.expired()).toBe(true);
    expect(seen.cm!.when()).toBe(25);
  });

  it('timeout(0) expires across sleep(0)', async () => {
    const seen = { cm: null as Timeout | null };
    const result = await runVirtual(function* () {
      const error = yield* thrownByAwaiting(timeout(0, sleeper(0, seen)));
      return [nameOf(error), now()];
    });
    expect(result).toEqual(['TimeoutError', 0]);
    expect(seen.cm!.expired()).toBe(true);
  });

  it('a delay in the past (-11) expires on the next iteration', async () => {
    const log: string[] = [];
    const seen = { cm: null as Timeout | null };
    const result = await runVirtual(function* () {
      yield* sleep(100);
      const error = yield* thrownByAwaiting(
        timeout(-11, function* (cm) {
          seen.cm = cm;
          log.push('before yield');
          yield;
          log.push('after yield');
        }),
      );
      return [nameOf(error), now()];
    });
    expect(result).toEqual(['TimeoutError', 100]);
    expect(log).toEqual(['before yield']);
    expect(seen.cm!.when()).toBe(89);
    expect(seen.cm!.expired()).toBe(true);
  });

  it('expires on the next iteration, after callbacks already queued', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const loop = getRunningLoop();
      loop.callSoon(() => log.push('queued before'));
      const error = yield* thrownByAwaiting(
        timeout(0, function* () {
          loop.callSoon(() => log.push('queued inside'));
          try {
            yield* sleep(10);
          } catch (e) {
            log.push(`body got ${nameOf(e)}`);
            throw e;
          }
        }),
      );
      log.push(nameOf(error));
    });
    expect(log).toEqual([
      'queued before',
      'queued inside',
      'body got CancelledError',
      'TimeoutError',
    ]);
  });
});

describe('nested timeouts', () => {
  it('with one deadline, only the outermost converts; the inner lets CancelledError out', async () => {
    const log: string[] = [];
    const cms: Timeout[] = [];
    await runVirtual(function* () {
      const deadline = now() + 10;
      const error = yield* thrownByAwaiting(
        timeoutAt(deadline, function* (outer) {
          cms.push(outer);
          try {
            yield* timeoutAt(deadline, function* (inner) {
              cms.push(inner);
              yield* sleep(10_000);
            });
          } catch (e) {
            log.push(`between got ${nameOf(e)}`);
            throw e;
          }
        }),
      );
      log.push(`outside got ${nameOf(error)} at ${now()}`);
    });
    expect(log).toEqual(['between got CancelledError', 'outside got TimeoutError at 10']);
    expect(cms.map((cm) => cm.expired())).toEqual([true, true]);
  });

  it('an inner timeout that expires is caught inside the outer one, which goes on', async () => {
    const log: string[] = [];
    const cms: Timeout[] = [];
    const value = await runVirtual(function* () {
      return yield* timeout(1000, function* (outer) {
        cms.push(outer);
        const error = yield* thrownByAwaiting(
          timeout(10, function* (inner) {
            cms.push(inner);
            yield* sleep(500);
          }),
        );
        log.push(`inner ${nameOf(error)} at ${now()}`);
        yield* sleep(100);
        log.push(`outer body done at ${now()}`);
        return 'outer value';
      });
    });
    expect(value).toBe('outer value');
    expect(log).toEqual(['inner TimeoutError at 10', 'outer body done at 110']);
    expect(cms.map((cm) => cm.expired())).toEqual([false, true]);
  });

  it('when the outer one expires, the inner one lets the CancelledError pass', async () => {
    const log: string[] = [];
    const cms: Timeout[] = [];
    await runVirtual(function* () {
      const error = yield* thrownByAwaiting(
        timeout(10, function* (outer) {
          cms.push(outer);
          try {
            yield* timeout(1000, function* (inner) {
              cms.push(inner);
              yield* sleep(500);
            });
          } catch (e) {
            log.push(`inner let out ${nameOf(e)} at ${now()}`);
            throw e;
          }
        }),
      );
      log.push(`outer ${nameOf(error)}`);
    });
    expect(log).toEqual(['inner let out CancelledError at 10', 'outer TimeoutError']);
    expect(cms.map((cm) => cm.expired())).toEqual([true, false]);
  });

  it('after an inner timeout the outer one still interrupts a later wait', async () => {
    const loop = new VirtualTimeLoop();
    const log: string[] = [];
    await runVirtual(function* () {
      const error = yield* thrownByAwaiting(
        timeout(100, function* () {
          const inner = yield* thrownByAwaiting(timeout(10, sleeper(1000, { cm: null })));
          log.push(`inner ${nameOf(inner)} at ${now()}`);
          yield* sleep(10_000);
        }),
      );
      log.push(`outer ${nameOf(error)} at ${now()}`);
    }, loop);
    expect(log).toEqual(['inner TimeoutError at 10', 'outer TimeoutError at 100']);
    expect(loop.time()).toBe(100);
  });

  it('when both are due at once (a busy loop), the outer one converts and the inner does not', async () => {
    const loop = new VirtualTimeLoop();
    const log: string[] = [];
    const cms: Timeout[] = [];
    await runVirtual(function* () {
      const error = yield* thrownByAwaiting(
        timeout(100, function* (outer) {
          cms.push(outer);
          try {
            yield* timeout(10, function* (inner) {
              cms.push(inner);
              // Pretend the loop was busy past both deadlines.
              loop.advance(150);
              yield* sleep(1000);
            });
          } catch (e) {
            log.push(`inner let out ${nameOf(e)} at ${now()}`);
            throw e;
          }
        }),
      );
      log.push(`outer ${nameOf(error)} at ${now()}, cancelling ${currentTask()!.cancelling()}`);
    }, loop);
    expect(log).toEqual([
      'inner let out CancelledError at 150',
      'outer TimeoutError at 150, cancelling 0',
    ]);
    expect(cms.map((cm) => cm.expired())).toEqual([true, true]);
  });

  it('the outer one expiring while a busy inner one has not: TimeoutError from the outer', async () => {
    const loop = new VirtualTimeLoop();
    const cms: Timeout[] = [];
    const result = await runVirtual(function* () {
      const error = yield* thrownByAwaiting(
        timeout(2, function* (outer) {
          cms.push(outer);
          yield* timeout(100, function* (inner) {
            cms.push(inner);
            loop.advance(10);
            yield* sleep(1000);
          });
        }),
      );
      return [nameOf(error), now()];
    }, loop);
    expect(result).toEqual(['TimeoutError', 10]);
    expect(cms.map((cm) => cm.expired())).toEqual([true, false]);
  });

  it('a timeout inside the cleanup of an expired one converts only its own expiry', async () => {
    const log: string[] = [];
    const result = await runVirtual(function* () {
      const outerError = yield* thrownByAwaiting(
        timeout(10, function* () {
          try {
            yield* sleep(1000);
          } finally {
            const innerError = yield* thrownByAwaiting(timeout(10, sleeper(10_000, { cm: null })));
            log.push(`inner ${nameOf(innerError)} at ${now()}`);
            expectError((innerError as Error).cause, CancelledError, '');
          }
        }),
      );
      log.push(`outer ${nameOf(outerError)} at ${now()}`);
      return [(outerError as Error).cause instanceof CancelledError, currentTask()!.cancelling()];
    });
    expect(log).toEqual(['inner TimeoutError at 20', 'outer TimeoutError at 20']);
    expect(result).toEqual([true, 0]);
  });
});

describe('cancellation from elsewhere', () => {
  it('is not lost when it comes while an expired timeout unwinds', async () => {
    const log: string[] = [];
    const seen = { cm: null as Timeout | null };
    const result = await runVirtual(function* () {
      const main = currentTask()!;
      const error = yield* thrownByAwaiting(
        timeout(100, function* (cm) {
          seen.cm = cm;
          // Due at the same time as the deadline, and scheduled after it: runs right after.
          getRunningLoop().callAt(100, () => {
            log.push(`external cancel, expired ${cm.expired()}`);
            main.cancel('external');
          });
          try {
            yield* sleep(1000);
          } catch (e) {
            log.push(`body got ${nameOf(e)}`);
            throw e;
          }
        }),
      );
      return [error, main.cancelling(), now()];
    });
    expect(log).toEqual(['external cancel, expired true', 'body got CancelledError']);
    expect(result[0]).toBeInstanceOf(CancelledError);
    expect(result.slice(1)).toEqual([1, 100]);
    expect(seen.cm!.expired()).toBe(true);
  });

  it('that reaches the cleanup of an expired timeout propagates as CancelledError', async () => {
    const log: string[] = [];
    const result = await runVirtual(function* () {
      const main = currentTask()!;
      getRunningLoop().callAt(105, () => main.cancel('late'));
      const error = yield* thrownByAwaiting(
        timeout(100, function* () {
          try {
            yield* sleep(1000);
          } finally {
            log.push(`cleanup starts at ${now()}`);
            yield* sleep(50);
            log.push('cleanup finished');
          }
        }),
      );
      return [error, main.cancelling(), now()];
    });
    expect(log).toEqual(['cleanup starts at 100']);
    expectError(result[0], CancelledError, 'late');
    expect(result.slice(1)).toEqual([1, 105]);
  });

  it('a timeout entered after a swallowed cancellation still expires with TimeoutError', async () => {
    const result = await runVirtual(function* () {
      const task = currentTask()!;
      let first: unknown;
      try {
        task.cancel();
        yield* sleep(1000);
      } catch (e) {
        first = e;
      }
      const error = yield* thrownByAwaiting(timeout(0, sleeper(1000, { cm: null })));
      return [nameOf(first), nameOf(error), task.cancelling(), now()];
    });
    expect(result).toEqual(['CancelledError', 'TimeoutError', 1, 0]);
  });

  it('a cancel inside a timeout entered after a swallowed cancellation stays a CancelledError', async () => {
    const result = await runVirtual(function* () {
      const task = currentTask()!;
      try {
        task.cancel();
        yield* sleep(1000);
      } catch {}
      const error = yield* thrownByAwaiting(
        timeout(1000, function* () {
          currentTask()!.cancel('again');
          yield* sleep(2000);
        }),
      );
      return [error, task.cancelling(), now()];
    });
    expectError(result[0], CancelledError, 'again');
    expect(result.slice(1)).toEqual([2, 0]);
  });
});

describe('errors chained to the CancelledError', () => {
  it('get a TimeoutError put between them and the CancelledError', async () => {
    const result = await runVirtual(function* () {
      const error = yield* thrownByAwaiting(
        timeout(10, function* () {
          try {
            yield* sleep(1000);
          } catch (e) {
            throw new ZeroDivisionError('in cleanup', { cause: e });
          }
        }),
      );
      return error as Error;
    });
    expectError(result, ZeroDivisionError, 'in cleanup');
    const inserted = result.cause as Error;
    expectError(inserted, TimeoutError, '');
    expectError(inserted.cause, CancelledError, '');
  });

  it('further down a cause chain get it at the link that holds the CancelledError', async () => {
    const result = await runVirtual(function* () {
      const error = yield* thrownByAwaiting(
        timeout(10, function* () {
          try {
            yield* sleep(1000);
          } catch (e) {
            const middle = new KeyError('middle', { cause: e });
            throw new ZeroDivisionError('top', { cause: middle });
          }
        }),
      );
      return error as Error;
    });
    const middle = result.cause as Error;
    expectError(middle, KeyError, 'middle');
    expectError(middle.cause, TimeoutError, '');
    expectError((middle.cause as Error).cause, CancelledError, '');
  });

  it('are left alone when the timeout did not expire', async () => {
    const cancelled = new CancelledError('not ours');
    const thrown = new ZeroDivisionError('x', { cause: cancelled });
    const error = await runVirtual(function* () {
      return yield* thrownByAwaiting(
        timeout(1000, function* () {
          yield* sleep(1);
          throw thrown;
        }),
      );
    });
    expect(error).toBe(thrown);
    expect(thrown.cause).toBe(cancelled);
  });

  it('a cause cycle ends the walk', async () => {
    const error = await runVirtual(function* () {
      return yield* thrownByAwaiting(
        timeout(10, function* () {
          try {
            yield* sleep(1000);
          } catch {
            const a = new KeyError('a');
            const b = new KeyError('b', { cause: a });
            Object.assign(a, { cause: b });
            throw a;
          }
        }),
      );
    });
    expectError(error, KeyError, 'a');
    expectError(((error as Error).cause as Error).cause, KeyError, 'a');
  });

  it('an ExceptionGroup and each of its members get the TimeoutError inserted', async () => {
    const log: string[] = [];
    const result = await runVirtual(function* () {
      // What a task group does when the timeout cancels its body: it cancels its child,
      // waits for it, and throws the child's error in a group.
      return yield* thrownByAwaiting(
        timeout(10, function* () {
          const child: Task<void> = createTask(
            (function* (): Coro<void> {
              try {
                yield* sleep(2000);
              } catch (e) {
                log.push(`child got ${nameOf(e)} at ${now()}`);
                throw new ZeroDivisionError('child cleanup', { cause: e });
              }
            })(),
          );
          try {
            yield* sleep(1000);
          } catch (bodyCancel) {
            child.cancel();
            const childError = yield* thrownByAwaiting(child);
            throw new ExceptionGroupLike('unhandled errors in a TaskGroup', [childError], {
              cause: bodyCancel,
            });
          }
        }),
      );
    });
    expect(log).toEqual(['child got CancelledError at 10']);
    const group = result as ExceptionGroupLike;
    expectError(group, ExceptionGroupLike, 'unhandled errors in a TaskGroup');
    expectError(group.cause, TimeoutError, '');
    expectError((group.cause as Error).cause, CancelledError, '');
    expect(group.exceptions).toHaveLength(1);
    const member = group.exceptions[0] as Error;
    expectError(member, ZeroDivisionError, 'child cleanup');
    expectError(member.cause, TimeoutError, '');
    const memberCancel = (member.cause as Error).cause;
    expectError(memberCancel, CancelledError, '');
    expect(memberCancel).not.toBe((group.cause as Error).cause);
  });

  it('an ExceptionGroup without CancelledErrors passes through unchanged', async () => {
    const members = [new KeyError('one'), new ZeroDivisionError('two')];
    const result = await runVirtual(function* () {
      const error = yield* thrownByAwaiting(
        timeout(10, function* () {
          try {
            yield* sleep(1000);
          } catch {
            throw new ExceptionGroupLike('group', members);
          }
        }),
      );
      return [error, currentTask()!.cancelling()];
    });
    const group = result[0] as ExceptionGroupLike;
    expectError(group, ExceptionGroupLike, 'group');
    expect(group.cause).toBeUndefined();
    expect(group.exceptions).toEqual(members);
    expect(members.map((m) => m.cause)).toEqual([undefined, undefined]);
    expect(result[1]).toBe(0);
  });
});

describe('Timeout.reschedule(whenMs)', () => {
  it('moves the deadline later', async () => {
    const log: string[] = [];
    const result = await runVirtual(function* () {
      const error = yield* thrownByAwaiting(
        timeoutAt(100, function* (cm) {
          yield* sleep(50);
          cm.reschedule(300);
          log.push(`rescheduled at ${now()} to ${cm.when()}`);
          yield* sleep(10_000);
        }),
      );
      return [nameOf(error), now()];
    });
    expect(log).toEqual(['rescheduled at 50 to 300']);
    expect(result).toEqual(['TimeoutError', 300]);
  });

  it('moves the deadline earlier', async () => {
    const result = await runVirtual(function* () {
      const error = yield* thrownByAwaiting(
        timeout(1000, function* (cm) {
          cm.reschedule(now() + 10);
          yield* sleep(10_000);
        }),
      );
      return [nameOf(error), now()];
    });
    expect(result).toEqual(['TimeoutError', 10]);
  });

  it('a deadline in the past expires on the next iteration', async () => {
    const log: string[] = [];
    const seen = { cm: null as Timeout | null };
    const result = await runVirtual(function* () {
      const error = yield* thrownByAwaiting(
        timeout(1000, function* (cm) {
          seen.cm = cm;
          yield* sleep(50);
          cm.reschedule(10);
          log.push(`expired right after reschedule: ${cm.expired()}`);
          yield* sleep(10_000);
        }),
      );
      return [nameOf(error), now()];
    });
    expect(log).toEqual(['expired right after reschedule: false']);
    expect(result).toEqual(['TimeoutError', 50]);
    expect(seen.cm!.when()).toBe(10);
  });

  it('null removes the deadline', async () => {
    const seen = { cm: null as Timeout | null };
    const result = await runVirtual(function* () {
      const value = yield* timeout(100, function* (cm) {
        seen.cm = cm;
        cm.reschedule(null);
        yield* sleep(10_000);
        return 'done';
      });
      return [value, now()];
    });
    expect(result).toEqual(['done', 10_000]);
    expect(seen.cm!.when()).toBeNull();
    expect(seen.cm!.expired()).toBe(false);
  });

  it('Infinity removes the expiry but keeps when() as Infinity', async () => {
    const seen = { cm: null as Timeout | null };
    const result = await runVirtual(function* () {
      return yield* timeout(100, function* (cm) {
        seen.cm = cm;
        cm.reschedule(Number.POSITIVE_INFINITY);
        yield* sleep(5000);
        return now();
      });
    });
    expect(result).toBe(5000);
    expect(seen.cm!.when()).toBe(Number.POSITIVE_INFINITY);
    expect(seen.cm!.expired()).toBe(false);
  });

  it('works from another task, and a cancel afterwards stays a CancelledError', async () => {
    const loop = new VirtualTimeLoop();
    const result = await runVirtual(function* () {
      const published: Future<Timeout> = getRunningLoop().createFuture();
      const deadline1 = now() + 10;
      const deadline2 = deadline1 + 20;
      const task = createTask(
        timeoutAt(deadline1, function* (cm) {
          published.setResult(cm);
          yield* sleep(50);
        }),
      );
      const cm = yield* published;
      const whens: (number | null)[] = [cm.when()];
      cm.reschedule(deadline2);
      whens.push(cm.when());
      cm.reschedule(null);
      whens.push(cm.when());
      task.cancel();
      const error = yield* thrownByAwaiting(task);
      return [whens, nameOf(error), cm.expired(), String(cm)];
    }, loop);
    expect(result).toEqual([[10, 30, null], 'CancelledError', false, '<Timeout [finished]>']);
    expect(loop.time()).toBe(0);
  });

  it('before run(): RuntimeError "Timeout has not been entered"', () => {
    const cm = new Timeout(10);
    expectError(
      thrownBy(() => cm.reschedule(20)),
      RuntimeError,
      'Timeout has not been entered',
    );
  });

  it('after the block finished: RuntimeError naming the finished state', async () => {
    const error = await runVirtual(function* () {
      const cm = yield* timeout(10, function* (cm) {
        return cm;
      });
      return thrownBy(() => cm.reschedule(20));
    });
    expectError(error, RuntimeError, 'Cannot change state of finished Timeout');
  });

  it('after expiry: RuntimeError naming the expired state', async () => {
    const error = await runVirtual(function* () {
      const seen = { cm: null as Timeout | null };
      yield* thrownByAwaiting(timeout(10, sleeper(1000, seen)));
      return thrownBy(() => seen.cm!.reschedule(20));
    });
    expectError(error, RuntimeError, 'Cannot change state of expired Timeout');
  });

  it('while expiring: RuntimeError naming the expiring state', async () => {
    const result = await runVirtual(function* () {
      return yield* timeout(10, function* (cm) {
        const cancelled = yield* thrownByAwaiting(sleep(1000));
        return [nameOf(cancelled), String(cm), thrownBy(() => cm.reschedule(20))];
      });
    });
    expect(result.slice(0, 2)).toEqual(['CancelledError', '<Timeout [expiring]>']);
    expectError(result[2], RuntimeError, 'Cannot change state of expiring Timeout');
  });

  it('refuses a deadline that is not a number or null, and NaN', async () => {
    const errors = await runVirtual(function* () {
      return yield* timeout(10, function* (cm) {
        return [
          thrownBy(() => cm.reschedule('5' as unknown as number)),
          thrownBy(() => cm.reschedule(undefined as unknown as number)),
          thrownBy(() => cm.reschedule(Number.NaN)),
          cm.when(),
        ];
      });
    });
    expectError(
      errors[0],
      TypeError,
      'Timeout.reschedule() when must be a number or null, got string',
    );
    expectError(
      errors[1],
      TypeError,
      'Timeout.reschedule() when must be a number or null, got undefined',
    );
    expectError(errors[2], RangeError, 'Timeout.reschedule() when must not be NaN');
    expect(errors[3]).toBe(10);
  });
});

describe('Timeout state: toString(), when(), expired()', () => {
  it('shows each state as CPython does', async () => {
    const reprs: string[] = [];
    await runVirtual(function* () {
      const cm = new Timeout(now() + 1000);
      reprs.push(String(cm));
      yield* cm.run(function* () {
        reprs.push(String(cm));
      });
      reprs.push(String(cm));
      const expiring = new Timeout(now() + 10);
      yield* thrownByAwaiting(
        expiring.run(function* () {
          yield* thrownByAwaiting(sleep(1000));
          reprs.push(String(expiring));
          throw new CancelledError();
        }),
      );
      reprs.push(String(expiring));
      yield* timeout(null, function* (cm) {
        reprs.push(String(cm));
      });
    });
    expect(reprs).toEqual([
      '<Timeout [created]>',
      '<Timeout [active] when=1000>',
      '<Timeout [finished]>',
      '<Timeout [expiring]>',
      '<Timeout [expired]>',
      '<Timeout [active] when=null>',
    ]);
  });

  it('rounds a fractional deadline to three decimals, and util.inspect shows the same', async () => {
    const reprs = await runVirtual(function* () {
      return yield* timeoutAt(1234.56789, function* (cm) {
        return [String(cm), inspect(cm)];
      });
    });
    expect(reprs).toEqual(['<Timeout [active] when=1234.568>', '<Timeout [active] when=1234.568>']);
  });

  it('when() is the deadline on the loop clock; expired() goes false, false, true, true', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      yield* sleep(50);
      const cm = new Timeout(now() + 100);
      log.push(`created: when ${cm.when()}, expired ${cm.expired()}`);
      // The body swallows the CancelledError, so the block ends without an error.
      yield* cm.run(function* () {
        log.push(`active: expired ${cm.expired()}`);
        yield* thrownByAwaiting(sleep(1000));
        log.push(`expiring: expired ${cm.expired()} at ${now()}`);
        yield* sleep(5);
      });
      log.push(`after: expired ${cm.expired()}, when ${cm.when()}, at ${now()}`);
    });
    expect(log).toEqual([
      'created: when 150, expired false',
      'active: expired false',
      'expiring: expired true at 150',
      'after: expired true, when 150, at 155',
    ]);
  });

  it('timeout() computes the deadline when it is called', async () => {
    const result = await runVirtual(function* () {
      yield* sleep(70);
      const seen = { cm: null as Timeout | null };
      const pending = timeout(30, sleeper(0, seen));
      yield* sleep(10);
      yield* pending;
      return [seen.cm!.when(), now()];
    });
    expect(result).toEqual([100, 80]);
  });
});

describe('Timeout.run(body): entering', () => {
  it('returns the body value with its type', async () => {
    const value = await runVirtual(function* () {
      const v = yield* new Timeout(null).run(function* () {
        yield* sleep(1);
        return { answer: 42 };
      });
      expectTypeOf(v).toEqualTypeOf<{ answer: number }>();
      return v;
    });
    expect(value).toEqual({ answer: 42 });
  });

  it('runs the body in the current task, which it receives the Timeout in', async () => {
    const result = await runVirtual(function* () {
      const main = currentTask();
      const cm = new Timeout(null);
      return yield* cm.run(function* (received) {
        return [currentTask() === main, received === cm];
      });
    });
    expect(result).toEqual([true, true]);
  });

  it('entering a second time while active: RuntimeError, and the first is unaffected', async () => {
    const log: string[] = [];
    const value = await runVirtual(function* () {
      return yield* timeout(10, function* (cm) {
        const error = yield* thrownByAwaiting(
          cm.run(function* () {
            log.push('second body ran');
          }),
        );
        expectError(error, RuntimeError, 'Timeout has already been entered');
        log.push(String(cm));
        return 'first';
      });
    });
    expect(value).toBe('first');
    expect(log).toEqual(['<Timeout [active] when=10>']);
  });

  it('entering again after it finished: RuntimeError', async () => {
    const error = await runVirtual(function* () {
      const cm = yield* timeout(10, function* (cm) {
        return cm;
      });
      return yield* thrownByAwaiting(cm.run(function* () {}));
    });
    expectError(error, RuntimeError, 'Timeout has already been entered');
  });

  it('outside any loop: RuntimeError "Timeout should be used inside a task", still not entered', () => {
    const cm = new Timeout(10);
    const coro = cm.run(function* () {});
    expectError(
      thrownBy(() => coro.next()),
      RuntimeError,
      'Timeout should be used inside a task',
    );
    expectError(
      thrownBy(() => cm.reschedule(20)),
      RuntimeError,
      'Timeout has not been entered',
    );
    expect(String(cm)).toBe('<Timeout [created]>');
  });

  it('in a loop callback that is not a task: RuntimeError "Timeout should be used inside a task"', async () => {
    const error = await runVirtual(function* () {
      const loop = getRunningLoop();
      const caught: Future<unknown> = loop.createFuture();
      const cm = new Timeout(10);
      loop.callSoon(() => {
        caught.setResult(thrownBy(() => cm.run(function* () {}).next()));
      });
      return yield* caught;
    });
    expectError(error, RuntimeError, 'Timeout should be used inside a task');
  });

  it('closing the coroutine with return() exits the Timeout and cancels its timer', async () => {
    const loop = new VirtualTimeLoop();
    const result = await runVirtual(function* () {
      const cm = new Timeout(now() + 1000);
      const coro = cm.run(function* () {
        yield* sleep(5000);
      });
      coro.next();
      coro.return(undefined);
      yield* ensureFuture(hostTimer());
      return [String(cm), cm.expired(), now()];
    }, loop);
    expect(result).toEqual(['<Timeout [finished]>', false, 0]);
  });
});

describe('bad arguments', () => {
  it('timeout() refuses a delay that is not a number or null, and NaN', async () => {
    const errors = await runVirtual(function* () {
      const body = function* () {};
      return [
        thrownBy(() => timeout('5' as unknown as number, body)),
        thrownBy(() => timeout(undefined as unknown as number, body)),
        thrownBy(() => timeout(Number.NaN, body)),
      ];
    });
    expectError(errors[0], TypeError, 'timeout() delay must be a number or null, got string');
    expectError(errors[1], TypeError, 'timeout() delay must be a number or null, got undefined');
    expectError(errors[2], RangeError, 'timeout() delay must not be NaN');
  });

  it('timeoutAt() and new Timeout() refuse a deadline that is not a number or null, and NaN', () => {
    const body = function* () {};
    expectError(
      thrownBy(() => timeoutAt('5' as unknown as number, body)),
      TypeError,
      'timeoutAt() when must be a number or null, got string',
    );
    expectError(
      thrownBy(() => timeoutAt(Number.NaN, body)),
      RangeError,
      'timeoutAt() when must not be NaN',
    );
    expectError(
      thrownBy(() => new Timeout({} as unknown as number)),
      TypeError,
      'Timeout() when must be a number or null, got Object',
    );
    expectError(
      thrownBy(() => new Timeout(Number.NaN)),
      RangeError,
      'Timeout() when must not be NaN',
    );
  });

  it('refuses a body that is not a function', async () => {
    const errors = await runVirtual(function* () {
      return [
        thrownBy(() => timeout(10, 'body' as unknown as () => Coro<void>)),
        thrownBy(() => timeoutAt(10, null as unknown as () => Coro<void>)),
        thrownBy(() => new Timeout(10).run(42 as unknown as () => Coro<void>)),
      ];
    });
    expectError(
      errors[0],
      TypeError,
      'timeout() body must be a function* that receives the Timeout, got string',
    );
    expectError(
      errors[1],
      TypeError,
      'timeoutAt() body must be a function* that receives the Timeout, got null',
    );
    expectError(
      errors[2],
      TypeError,
      'Timeout.run() body must be a function* that receives the Timeout, got number',
    );
  });

  it('refuses a body that returns no coroutine, and exits the Timeout', async () => {
    const result = await runVirtual(function* () {
      const cm = new Timeout(now() + 10);
      const error = yield* thrownByAwaiting(cm.run((() => 7) as unknown as () => Coro<number>));
      return [error, String(cm)];
    });
    expectError(
      result[0],
      TypeError,
      'a Timeout body must return a coroutine (write it as function*), got number',
    );
    expect(result[1]).toBe('<Timeout [finished]>');
  });

  it('timeout() outside a running loop: RuntimeError "no running event loop"', () => {
    expectError(
      thrownBy(() => timeout(10, function* () {})),
      RuntimeError,
      'no running event loop',
    );
  });
});
