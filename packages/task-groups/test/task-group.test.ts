/**
 * TaskGroup: the behaviours of CPython's test_taskgroups.py, on virtual time, with the exact
 * order of events, errors and times.
 */
import { inspect } from 'node:util';
import {
  CancelledError,
  ContextVar,
  type Coro,
  copyContext,
  type ExceptionContext,
  type Future,
  getRunningLoop,
  KeyboardInterrupt,
  RuntimeError,
  TimeoutError,
  VirtualTimeLoop,
} from '@asyncio-ts/core-loop';
import { createTask, currentTask, eagerTaskFactory, sleep, type Task } from '@asyncio-ts/tasks';
import { describe, expect, it } from 'vitest';
import { ExceptionGroup } from '../src/exception-group.js';
import { TaskGroup, taskGroup } from '../src/task-group.js';
import {
  expectError,
  now,
  rejectionOf,
  runVirtual,
  shapeOf,
  taskGroupShape,
  thrownBy,
  thrownByAwaiting,
  ticks,
  withTimeout,
} from './utils.js';

class MyError extends Error {}
class OtherError extends Error {}
class MyKeyboardInterrupt extends KeyboardInterrupt {}

/** Logs when it starts and ends, and returns `value` after `ms`; logs a cancellation too. */
function* timed<T>(log: string[], name: string, ms: number, value: T): Coro<T> {
  log.push(`${name} starts at ${now()}`);
  try {
    yield* sleep(ms);
  } catch (error) {
    if (error instanceof CancelledError) log.push(`${name} cancelled at ${now()}`);
    throw error;
  }
  log.push(`${name} ends at ${now()}`);
  return value;
}

/** Sleeps `ms`, then throws `error`. */
function* crashAfter(ms: number, error: unknown): Coro<never> {
  yield* sleep(ms);
  throw error;
}

/** The task running now (inside a coroutine). */
function self(): Task<unknown> {
  return currentTask()!;
}

/** Runs `main` on a VirtualTimeLoop whose task factory starts tasks eagerly. */
function runEager<T>(main: () => Coro<T>, loop = new VirtualTimeLoop()): Promise<T> {
  loop.setTaskFactory(eagerTaskFactory);
  return runVirtual(main, loop);
}

const modes = [
  ['lazy tasks', runVirtual],
  ['an eager task factory', runEager],
] as const;

describe.each(modes)('with %s', (_mode, runIn) => {
  it('waits for every child and keeps their results (test_taskgroup_01)', async () => {
    const log: string[] = [];
    const loop = new VirtualTimeLoop();
    const outcome = await runIn(function* () {
      let t1!: Task<number>;
      let t2!: Task<number>;
      const value = yield* taskGroup(function* (tg) {
        t1 = tg.createTask(timed(log, 'foo1', 100, 42));
        t2 = tg.createTask(timed(log, 'foo2', 200, 11));
        log.push('body returns');
        return 'body';
      });
      log.push(`group exits at ${now()}`);
      return [t1.result(), t2.result(), value];
    }, loop);
    expect(outcome).toEqual([42, 11, 'body']);
    expect(log).toEqual([
      ...(runIn === runEager
        ? ['foo1 starts at 0', 'foo2 starts at 0', 'body returns']
        : ['body returns', 'foo1 starts at 0', 'foo2 starts at 0']),
      'foo1 ends at 100',
      'foo2 ends at 200',
      'group exits at 200',
    ]);
    expect(loop.time()).toBe(200);
  });

  it('a failing child cancels its siblings and the body, and the group throws its error (test_taskgroup_04)', async () => {
    const log: string[] = [];
    const boom = new MyError('boom');
    const error = await runIn(function* () {
      const runner = createTask(
        taskGroup(function* (tg) {
          tg.createTask(crashAfter(100, boom));
          tg.createTask(timed(log, 'foo2', 1000, 'never'));
          log.push('body returns');
        }),
      );
      const error = yield* thrownByAwaiting(runner);
      log.push(`runner ends at ${now()} with cancelling()=${runner.cancelling()}`);
      return error;
    });
    expect(shapeOf(error)).toEqual(taskGroupShape('MyError: boom'));
    expect((error as ExceptionGroup).exceptions[0]).toBe(boom);
    expect(log).toEqual([
      ...(runIn === runEager
        ? ['foo2 starts at 0', 'body returns']
        : ['body returns', 'foo2 starts at 0']),
      'foo2 cancelled at 100',
      'runner ends at 100 with cancelling()=0',
    ]);
  });

  it('children that create tasks in the same group are waited for too (test_taskgroup_24)', async () => {
    const log: string[] = [];
    const loop = new VirtualTimeLoop();
    await runIn(function* () {
      yield* taskGroup(function* (tg) {
        tg.createTask(
          (function* () {
            yield* sleep(100);
            tg.createTask(timed(log, 'a', 100, null));
            tg.createTask(timed(log, 'b', 200, null));
          })(),
        );
      });
      log.push(`group exits at ${now()}`);
    }, loop);
    expect(log).toEqual([
      'a starts at 100',
      'b starts at 100',
      'a ends at 200',
      'b ends at 300',
      'group exits at 300',
    ]);
    expect(loop.time()).toBe(300);
  });

  it('a child created inside another child fails before the creator waits again (gh-128550)', async () => {
    const log: string[] = [];
    const error = await runIn(function* () {
      return yield* thrownByAwaiting(
        taskGroup(function* (tg) {
          tg.createTask(
            (function* () {
              tg.createTask(
                (function* () {
                  log.push('third raises');
                  throw new MyError('third task failed');
                })(),
              );
              log.push('second waits');
              try {
                yield* sleep(0);
                log.push('second woke after one tick');
                yield* sleep(0);
                log.push('second woke after two ticks');
              } catch (error) {
                log.push(`second cancelled: ${(error as Error).constructor.name}`);
              }
            })(),
          );
        }),
      );
    });
    expect(shapeOf(error)).toEqual(taskGroupShape('MyError: third task failed'));
    // An eager child fails inside createTask, so its creator is cancelled at its first wait; a
    // lazy one runs a tick later, so its creator gets one wake-up first.
    expect(log).toEqual(
      runIn === runEager
        ? ['third raises', 'second waits', 'second cancelled: CancelledError']
        : [
            'second waits',
            'third raises',
            'second woke after one tick',
            'second cancelled: CancelledError',
          ],
    );
  });

  it('the abort the group caused does not leak out of it (test_cancellation_does_not_leak_out_of_tg)', async () => {
    const log: string[] = [];
    await runIn(function* () {
      const error = yield* thrownByAwaiting(
        taskGroup(function* (tg) {
          tg.createTask(
            (function* () {
              throw new MyError('now');
            })(),
          );
        }),
      );
      log.push(`${shapeOf(error) !== null} cancelling()=${self().cancelling()}`);
      yield* sleep(10);
      log.push(`slept until ${now()}`);
    });
    expect(log).toEqual(['true cancelling()=0', 'slept until 10']);
  });
});

describe('TaskGroup runs children', () => {
  it('created after the body waited, and ends when the last one ends (test_taskgroup_02)', async () => {
    const log: string[] = [];
    const loop = new VirtualTimeLoop();
    const results = await runVirtual(function* () {
      let t1!: Task<number>;
      let t2!: Task<number>;
      yield* taskGroup(function* (tg) {
        t1 = tg.createTask(timed(log, 'foo1', 100, 42));
        yield* sleep(150);
        t2 = tg.createTask(timed(log, 'foo2', 200, 11));
      });
      return [t1.result(), t2.result(), now()];
    }, loop);
    expect(results).toEqual([42, 11, 350]);
    expect(log).toEqual([
      'foo1 starts at 0',
      'foo1 ends at 100',
      'foo2 starts at 150',
      'foo2 ends at 350',
    ]);
  });

  it('one of which is cancelled by hand, without disturbing the others (test_taskgroup_03)', async () => {
    const log: string[] = [];
    const outcome = await runVirtual(function* () {
      let t1!: Task<number>;
      let t2!: Task<number>;
      yield* taskGroup(function* (tg) {
        t1 = tg.createTask(timed(log, 'foo1', 1000, 42));
        yield* sleep(150);
        t1.cancel();
        t2 = tg.createTask(timed(log, 'foo2', 200, 11));
      });
      return [t1.cancelled(), t2.result(), now(), self().cancelling()];
    });
    expect(outcome).toEqual([true, 11, 350, 0]);
    expect(log).toEqual([
      'foo1 starts at 0',
      'foo1 cancelled at 150',
      'foo2 starts at 150',
      'foo2 ends at 350',
    ]);
  });

  it('none at all: the body value comes back without waiting', async () => {
    const loop = new VirtualTimeLoop();
    const outcome = await runVirtual(function* () {
      const value = yield* taskGroup(function* () {
        return 42;
      });
      return [value, now(), self().cancelling()];
    }, loop);
    expect(outcome).toEqual([42, 0, 0]);
  });

  it('and the body can await them and return what they give (the factory example)', async () => {
    const loop = new VirtualTimeLoop();
    const sum = await runVirtual(function* () {
      return yield* taskGroup(function* (tg) {
        const a = tg.createTask(sleep(100, 1));
        const b = tg.createTask(sleep(200, 2));
        return (yield* a) + (yield* b);
      });
    }, loop);
    expect(sum).toBe(3);
    expect(loop.time()).toBe(200);
  });

  it('and forgets each child as it finishes (test_taskgroup_23)', async () => {
    const seen: string[] = [];
    await runVirtual(function* () {
      yield* taskGroup(function* (tg) {
        for (let count = 0; count < 10; count++) {
          yield* sleep(100);
          tg.createTask(sleep(300));
          if (count === 5) seen.push(String(tg));
        }
        yield* sleep(1350);
        seen.push(String(tg));
      });
    });
    // At 600 the child created at 300 has ended but its done callback has not run yet.
    expect(seen).toEqual(['<TaskGroup tasks=4 entered>', '<TaskGroup entered>']);
  });

  it('that multiply until a sibling fails (test_taskgroup_25, hydra and hercules)', async () => {
    let hydras = 0;
    const loop = new VirtualTimeLoop();
    const error = await runVirtual(function* () {
      function* hydra(tg: TaskGroup): Coro<void> {
        hydras++;
        yield* sleep(10);
        tg.createTask(hydra(tg));
        tg.createTask(hydra(tg));
      }
      function* hercules(): Coro<void> {
        while (hydras < 10) yield* sleep(15);
        throw new MyError('chopped');
      }
      return yield* thrownByAwaiting(
        taskGroup(function* (tg) {
          tg.createTask(hydra(tg));
          tg.createTask(hercules());
        }),
      );
    }, loop);
    expect(shapeOf(error)).toEqual(taskGroupShape('MyError: chopped'));
    // 1 at 0, 2 more at 10, 4 at 20, 8 at 30, 16 at 40. Hercules looks at 15 (3 hydras), at 30
    // (7: its timer was set before theirs, so the new 8 are not born yet) and at 45 (31).
    expect([hydras, loop.time()]).toEqual([31, 45]);
  });

  it('with the name given (test_taskgroup_task_name, test_name)', async () => {
    const names = await runVirtual(function* () {
      const inside: string[] = [];
      const tasks = yield* taskGroup(function* (tg) {
        return [
          tg.createTask(
            (function* () {
              inside.push(self().getName());
            })(),
            { name: 'example name' },
          ),
          tg.createTask(sleep(0), { name: null }),
        ];
      });
      return [...inside, tasks[0]!.getName(), /^Task-\d+$/.test(tasks[1]!.getName())];
    });
    expect(names).toEqual(['example name', 'example name', true]);
  });

  it('in the context given (test_taskgroup_task_context)', async () => {
    const values = await runVirtual(function* () {
      const variable = new ContextVar<number | null>('cvar', { default: null });
      function* setTo(value: number): Coro<void> {
        yield* sleep(0);
        variable.set(value);
      }
      return yield* taskGroup(function* (tg) {
        const ctx = copyContext();
        const seen = [ctx.get(variable)];
        yield* tg.createTask(setTo(1), { context: ctx });
        seen.push(ctx.get(variable));
        yield* tg.createTask(setTo(2), { context: ctx });
        seen.push(ctx.get(variable), variable.get());
        return seen;
      });
    });
    // `ctx.get(variable)` without a default is undefined, as Python's is None.
    expect(values).toEqual([undefined, 1, 2, null]);
  });

  it('eagerly when asked: the coroutine runs inside createTask until it first waits', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      yield* taskGroup(function* (tg) {
        log.push('before');
        const child = tg.createTask(timed(log, 'eager', 10, null), { eagerStart: true });
        const quick = tg.createTask(
          (function* () {
            log.push('quick runs');
            return 7;
          })(),
          { eagerStart: true },
        );
        log.push(`after: child done=${child.done()}, quick=${quick.result()}, ${tg}`);
      });
    });
    expect(log).toEqual([
      'before',
      'eager starts at 0',
      'quick runs',
      'after: child done=false, quick=7, <TaskGroup tasks=2 entered>',
      'eager ends at 10',
    ]);
  });

  it('eagerly, and one that fails inside createTask cancels the body at its next wait only', async () => {
    const log: string[] = [];
    const error = await runVirtual(function* () {
      return yield* thrownByAwaiting(
        taskGroup(function* (tg) {
          const child = tg.createTask(
            (function* () {
              throw new MyError('at once');
            })(),
            { eagerStart: true },
          );
          log.push(`createTask returned: done=${child.done()} cancelling()=${self().cancelling()}`);
          try {
            yield* sleep(100);
          } catch (error) {
            log.push(`body cancelled at ${now()}: ${(error as Error).constructor.name}`);
            throw error;
          }
        }),
      );
    });
    expect(shapeOf(error)).toEqual(taskGroupShape('MyError: at once'));
    expect(log).toEqual([
      'createTask returned: done=true cancelling()=0',
      'body cancelled at 0: CancelledError',
    ]);
  });

  it('eagerly, and one that stops the group while it starts is cancelled itself (gh-155418)', async () => {
    const log: string[] = [];
    const outcome = await runVirtual(function* () {
      let child!: Task<void>;
      const value = yield* taskGroup(function* (tg) {
        child = tg.createTask(
          (function* () {
            tg.cancel();
            try {
              yield* sleep(100);
              log.push('child slept');
            } catch (error) {
              log.push(`child cancelled at ${now()}`);
              throw error;
            }
          })(),
          { eagerStart: true },
        );
        yield* sleep(100);
        return 'never';
      });
      return [value, child.cancelled(), now()];
    });
    expect(outcome).toEqual([undefined, true, 0]);
    expect(log).toEqual(['child cancelled at 0']);
  });
});

describe('TaskGroup with failing children', () => {
  it('cancels the others and the body, and groups every error (test_cancel_children_on_child_error)', async () => {
    const log: string[] = [];
    const loop = new VirtualTimeLoop();
    const error = await runVirtual(function* () {
      const runner = createTask(
        taskGroup(function* (tg) {
          tg.createTask(crashAfter(100, new MyError('1')));
          tg.createTask(crashAfter(100, new MyError('2')));
          tg.createTask(crashAfter(100, new MyError('3')));
          tg.createTask(timed(log, 'foo2', 5000, null));
          try {
            yield* sleep(10_000);
          } catch (error) {
            log.push(`body cancelled at ${now()}`);
            throw error;
          }
          log.push('not reached');
        }),
      );
      return yield* thrownByAwaiting(runner);
    }, loop);
    expect(shapeOf(error)).toEqual(taskGroupShape('MyError: 1', 'MyError: 2', 'MyError: 3'));
    // The group cancels the children first, then its parent task: their wake-ups run in that order.
    expect(log).toEqual(['foo2 starts at 0', 'foo2 cancelled at 100', 'body cancelled at 100']);
    expect(loop.time()).toBe(100);
  });

  it('keeps errors in the order the children failed, and the late ones of cancelled children', async () => {
    const error = await runVirtual(function* () {
      return yield* thrownByAwaiting(
        taskGroup(function* (tg) {
          tg.createTask(crashAfter(30, new MyError('late')));
          tg.createTask(crashAfter(20, new MyError('first')));
          tg.createTask(
            (function* () {
              try {
                yield* sleep(1000);
              } finally {
                // A child that fails while it is being cancelled still reports its error.
                // biome-ignore lint/correctness/noUnsafeFinally: the error is the point
                throw new OtherError('in cleanup');
              }
            })(),
          );
        }),
      );
    });
    expect(shapeOf(error)).toEqual(taskGroupShape('MyError: first', 'OtherError: in cleanup'));
  });

  it('raises one ExceptionGroup without a cause, holding the very errors thrown, any values included', async () => {
    const boom = new MyError('boom');
    const error = await runVirtual(function* () {
      return yield* thrownByAwaiting(
        taskGroup(function* (tg) {
          tg.createTask(crashAfter(1, boom));
          tg.createTask(crashAfter(1, 'a string'));
          tg.createTask(crashAfter(1, undefined));
        }),
      );
    });
    expectError(error, ExceptionGroup, 'unhandled errors in a TaskGroup');
    const group = error as ExceptionGroup;
    expect(group.exceptions).toHaveLength(3);
    expect(group.exceptions[0]).toBe(boom);
    expect(group.exceptions.slice(1)).toEqual(['a string', undefined]);
    expect('cause' in group).toBe(false);
  });

  it('refuses new children once shutting down, closing the coroutine (test_taskgroup_no_create_task_after_failure)', async () => {
    const log: string[] = [];
    const error = await runVirtual(function* () {
      return yield* thrownByAwaiting(
        taskGroup(function* (tg) {
          tg.createTask(crashAfter(1, new MyError('first')));
          tg.createTask(
            (function* () {
              try {
                yield* sleep(1000);
              } catch {
                const late = timed(log, 'late', 1, null);
                const refused = thrownBy(() => tg.createTask(late));
                expectError(
                  refused,
                  RuntimeError,
                  'TaskGroup <TaskGroup tasks=1 errors=1 cancelling> is shutting down',
                );
                log.push(`closed: ${JSON.stringify(late.next())}`);
              }
            })(),
          );
        }),
      );
    });
    expect(shapeOf(error)).toEqual(taskGroupShape('MyError: first'));
    expect(log).toEqual(['closed: {"done":true}']);
  });

  it('leaves the task uncancelled once the group exits (test_cancelling_level_preserved)', async () => {
    const outcome = await runVirtual(function* () {
      const error = yield* thrownByAwaiting(
        taskGroup(function* (tg) {
          tg.createTask(crashAfter(0, new RangeError('r')));
        }),
      );
      return [shapeOf(error), self().cancelling()];
    });
    expect(outcome).toEqual([taskGroupShape('RangeError: r'), 0]);
  });

  it('nested in another group: the inner group error becomes one member of the outer (test_taskgroup_14)', async () => {
    const error = await runVirtual(function* () {
      return yield* thrownByAwaiting(
        taskGroup(function* (g1) {
          g1.createTask(crashAfter(10_000, new RangeError('10000')));
          yield* taskGroup(function* (g2) {
            g2.createTask(crashAfter(100, new RangeError('100')));
          });
        }),
      );
    });
    expect(shapeOf(error)).toEqual(taskGroupShape(taskGroupShape('RangeError: 100')));
  });

  it('of an outer group: the inner group is cancelled quietly (test_taskgroup_13)', async () => {
    const loop = new VirtualTimeLoop();
    const error = await runVirtual(function* () {
      return yield* thrownByAwaiting(
        taskGroup(function* (g1) {
          g1.createTask(crashAfter(100, new RangeError('100')));
          yield* taskGroup(function* (g2) {
            g2.createTask(crashAfter(10_000, new RangeError('10000')));
          });
        }),
      );
    }, loop);
    expect(shapeOf(error)).toEqual(taskGroupShape('RangeError: 100'));
    expect(loop.time()).toBe(100);
  });

  it('in both nested groups: each group undoes its own cancel (test_nested_groups_both_cancelled)', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const outerError = yield* thrownByAwaiting(
        taskGroup(function* (outer) {
          const innerError = yield* thrownByAwaiting(
            taskGroup(function* (inner) {
              inner.createTask(crashAfter(0, new RuntimeError('inner')));
              outer.createTask(crashAfter(0, new RangeError('outer')));
            }),
          );
          log.push(`inner: ${JSON.stringify(shapeOf(innerError))}`);
          log.push(`inside outer: cancelling()=${self().cancelling()}`);
        }),
      );
      log.push(`outer: ${JSON.stringify(shapeOf(outerError))}`);
      log.push(`after: cancelling()=${self().cancelling()}`);
    });
    expect(log).toEqual([
      `inner: ${JSON.stringify(taskGroupShape('RuntimeError: inner'))}`,
      'inside outer: cancelling()=1',
      `outer: ${JSON.stringify(taskGroupShape('RangeError: outer'))}`,
      'after: cancelling()=0',
    ]);
  });

  it('while a cleanup in the body fails too: both errors, no cancel left (test_taskgroup_context_manager_exit_raises, gh-95289)', async () => {
    const outcome = await runVirtual(function* () {
      function* database<T>(body: () => Coro<T>): Coro<T> {
        try {
          return yield* body();
        } finally {
          // biome-ignore lint/correctness/noUnsafeFinally: a cleanup that fails, on purpose
          throw new MyError('database');
        }
      }
      const error = yield* thrownByAwaiting(
        taskGroup(function* (tg) {
          yield* database(function* () {
            tg.createTask(
              (function* () {
                throw new MyError('child');
              })(),
            );
            yield* sleep(1000);
          });
        }),
      );
      return [shapeOf(error), self().cancelling(), now()];
    });
    expect(outcome).toEqual([taskGroupShape('MyError: child', 'MyError: database'), 0, 0]);
  });

  it('whose parent task finished already: the error goes to the exception handler', async () => {
    const contexts: ExceptionContext[] = [];
    const boom = new MyError('orphan');
    await runVirtual(function* () {
      getRunningLoop().setExceptionHandler((_loop, context) => contexts.push(context));
      const tg = new TaskGroup();
      let child!: Task<void>;
      // Entered by hand and left without the exit: a misuse the group still reports.
      const entering = tg.run(function* (group) {
        child = group.createTask(crashAfter(10, boom));
        yield* sleep(0);
      });
      const holder = createTask(
        (function* () {
          entering.next();
        })(),
      );
      yield* holder;
      yield* sleep(20);
      expect(child.exception()).toBe(boom);
    });
    expect(contexts).toHaveLength(1);
    expect(contexts[0]!.exception).toBe(boom);
    expect(contexts[0]!.message).toMatch(
      /^Task <Task finished name=Task-\d+ .*> has errored out but its parent task <Task finished name=Task-\d+ .*> is already completed$/,
    );
  });
});

describe('TaskGroup with a body that throws', () => {
  it('after waiting: the children are cancelled and the error is grouped (test_taskgroup_09)', async () => {
    const log: string[] = [];
    const error = await runVirtual(function* () {
      return yield* thrownByAwaiting(
        taskGroup(function* (tg) {
          tg.createTask(timed(log, 'foo1', 1000, 42));
          tg.createTask(timed(log, 'foo2', 2000, 11));
          yield* sleep(100);
          throw new MyError('body');
        }),
      );
    });
    expect(shapeOf(error)).toEqual(taskGroupShape('MyError: body'));
    expect(log).toEqual([
      'foo1 starts at 0',
      'foo2 starts at 0',
      'foo1 cancelled at 100',
      'foo2 cancelled at 100',
    ]);
  });

  it('at once: children that never started are cancelled before they run (test_taskgroup_10)', async () => {
    const log: string[] = [];
    const outcome = await runVirtual(function* () {
      let t1!: Task<number>;
      let t2!: Task<number>;
      const error = yield* thrownByAwaiting(
        taskGroup(function* (tg) {
          t1 = tg.createTask(timed(log, 'foo1', 1000, 42));
          t2 = tg.createTask(timed(log, 'foo2', 2000, 11));
          throw new MyError('body');
        }),
      );
      return [shapeOf(error), t1.cancelled(), t2.cancelled(), now()];
    });
    expect(outcome).toEqual([taskGroupShape('MyError: body'), true, true, 0]);
    expect(log).toEqual([]);
  });

  it('from a cleanup after a child failed: the child error comes first (test_taskgroup_19)', async () => {
    const error = await runVirtual(function* () {
      function* nested(): Coro<void> {
        try {
          yield* sleep(10_000);
        } finally {
          // biome-ignore lint/correctness/noUnsafeFinally: CPython's test raises here
          throw new MyError('nested');
        }
      }
      return yield* thrownByAwaiting(
        taskGroup(function* (tg) {
          tg.createTask(crashAfter(100, new RangeError('zero')));
          yield* nested();
        }),
      );
    });
    expect(shapeOf(error)).toEqual(taskGroupShape('RangeError: zero', 'MyError: nested'));
  });

  it('while the task is cancelled from outside: the error wins (test_taskgroup_18)', async () => {
    const log: string[] = [];
    const error = await runVirtual(function* () {
      const runner = createTask(
        taskGroup(function* () {
          try {
            yield* sleep(10_000);
          } catch {
            log.push(`cancelled at ${now()}`);
            throw new MyError('instead');
          }
        }),
      );
      yield* sleep(100);
      runner.cancel();
      return yield* thrownByAwaiting(runner);
    });
    expect(shapeOf(error)).toEqual(taskGroupShape('MyError: instead'));
    expect(log).toEqual(['cancelled at 100']);
  });
});

describe('TaskGroup cancelled from outside', () => {
  it('cancels every child, waits for them, and throws the CancelledError with its message (test_cancellation)', async () => {
    const log: string[] = [];
    const loop = new VirtualTimeLoop();
    const error = await runVirtual(function* () {
      const runner = createTask(
        taskGroup(function* (tg) {
          for (let i = 0; i < 5; i++) tg.createTask(timed(log, `foo${i}`, 5000, i));
        }),
      );
      yield* sleep(100);
      expect(runner.done()).toBe(false);
      runner.cancel('test');
      const error = yield* thrownByAwaiting(runner);
      log.push(`runner cancelled=${runner.cancelled()} at ${now()}`);
      return error;
    }, loop);
    expectError(error, CancelledError, 'test');
    expect(log.filter((line) => line.includes('cancelled at 100'))).toHaveLength(5);
    expect(log.at(-1)).toBe('runner cancelled=true at 100');
  });

  it('cancels the body too, which may catch it and re-throw (test_taskgroup_07)', async () => {
    const log: string[] = [];
    const error = await runVirtual(function* () {
      const runner = createTask(
        taskGroup(function* (tg) {
          for (let i = 0; i < 2; i++) tg.createTask(timed(log, `foo${i}`, 5000, i));
          try {
            yield* sleep(10_000);
          } catch (error) {
            log.push(`body cancelled at ${now()}`);
            throw error;
          }
        }),
      );
      yield* sleep(100);
      runner.cancel();
      return yield* thrownByAwaiting(runner);
    });
    expectError(error, CancelledError, '');
    expect(log).toEqual([
      'foo0 starts at 0',
      'foo1 starts at 0',
      'body cancelled at 100',
      'foo0 cancelled at 100',
      'foo1 cancelled at 100',
    ]);
  });

  it('keeps the cancel message while children are failing meanwhile (test_cancellation_in_body)', async () => {
    const error = await runVirtual(function* () {
      const runner = createTask(
        taskGroup(function* (tg) {
          // Children about to fail (CPython's fail at the same 0.1 s, a moment later on a real
          // clock): the cancel reaches the body first, and the abort cancels them in time.
          for (let i = 0; i < 5; i++) tg.createTask(crashAfter(101, new RangeError(`${i}`)));
          yield* sleep(10_000);
        }),
      );
      yield* sleep(100);
      runner.cancel('test');
      return yield* thrownByAwaiting(runner);
    });
    expectError(error, CancelledError, 'test');
  });

  it('groups the errors of children that fail while cancelled, instead of the CancelledError (test_taskgroup_08)', async () => {
    const outcome = await runVirtual(function* () {
      const runner = createTask(
        taskGroup(function* (tg) {
          for (let i = 0; i < 3; i++) {
            tg.createTask(
              (function* () {
                try {
                  yield* sleep(10_000);
                } finally {
                  // biome-ignore lint/correctness/noUnsafeFinally: CPython's test raises here
                  throw new RangeError(`cleanup ${i}`);
                }
              })(),
            );
          }
          yield* sleep(10_000);
        }),
      );
      yield* sleep(100);
      runner.cancel();
      const error = yield* thrownByAwaiting(runner);
      return [shapeOf(error), runner.cancelled()];
    });
    expect(outcome).toEqual([
      taskGroupShape('RangeError: cleanup 0', 'RangeError: cleanup 1', 'RangeError: cleanup 2'),
      false,
    ]);
  });

  it('in nested groups: the inner errors come out nested (test_taskgroup_11)', async () => {
    const error = await runVirtual(function* () {
      const runner = createTask(
        taskGroup(function* () {
          yield* taskGroup(function* (g2) {
            for (let i = 0; i < 2; i++) {
              g2.createTask(
                (function* () {
                  try {
                    yield* sleep(10_000);
                  } finally {
                    // biome-ignore lint/correctness/noUnsafeFinally: CPython's test raises here
                    throw new RangeError(`${i}`);
                  }
                })(),
              );
            }
            yield* sleep(10_000);
          });
        }),
      );
      yield* sleep(100);
      runner.cancel();
      return yield* thrownByAwaiting(runner);
    });
    expect(shapeOf(error)).toEqual(
      taskGroupShape(taskGroupShape('RangeError: 0', 'RangeError: 1')),
    );
  });

  it('in nested groups with an outer child: the same (test_taskgroup_12)', async () => {
    const loop = new VirtualTimeLoop();
    const error = await runVirtual(function* () {
      const runner = createTask(
        taskGroup(function* (g1) {
          g1.createTask(sleep(10_000));
          yield* taskGroup(function* (g2) {
            g2.createTask(
              (function* () {
                try {
                  yield* sleep(10_000);
                } finally {
                  // biome-ignore lint/correctness/noUnsafeFinally: CPython's test raises here
                  throw new RangeError('inner');
                }
              })(),
            );
            yield* sleep(10_000);
          });
        }),
      );
      yield* sleep(100);
      runner.cancel();
      return yield* thrownByAwaiting(runner);
    }, loop);
    expect(shapeOf(error)).toEqual(taskGroupShape(taskGroupShape('RangeError: inner')));
    expect(loop.time()).toBe(100);
  });

  it('while the body cleans up slowly and a child fails meanwhile: the error wins (test_taskgroup_15)', async () => {
    const loop = new VirtualTimeLoop();
    const error = await runVirtual(function* () {
      const runner = createTask(
        taskGroup(function* (g1) {
          g1.createTask(crashAfter(300, new RangeError('zero')));
          try {
            yield* sleep(10_000);
          } catch (error) {
            yield* sleep(500);
            throw error;
          }
        }),
      );
      yield* sleep(100);
      runner.cancel();
      return yield* thrownByAwaiting(runner);
    }, loop);
    expect(shapeOf(error)).toEqual(taskGroupShape('RangeError: zero'));
    // The child failure at 300 cancels the body's slow cleanup: the group does not wait for it.
    expect(loop.time()).toBe(300);
  });

  it('through an awaiting task: the same (test_taskgroup_16)', async () => {
    const error = await runVirtual(function* () {
      function* nestedRunner(): Coro<void> {
        yield* taskGroup(function* (g1) {
          g1.createTask(crashAfter(300, new RangeError('zero')));
          try {
            yield* sleep(10_000);
          } catch (error) {
            yield* sleep(500);
            throw error;
          }
        });
      }
      const runner = createTask(
        (function* () {
          yield* createTask(nestedRunner());
        })(),
      );
      yield* sleep(100);
      runner.cancel();
      return yield* thrownByAwaiting(runner);
    });
    expect(shapeOf(error)).toEqual(taskGroupShape('RangeError: zero'));
  });

  it('with no children: the body gets the CancelledError and it goes on (test_taskgroup_17)', async () => {
    const log: string[] = [];
    const error = await runVirtual(function* () {
      const runner = createTask(
        taskGroup(function* () {
          try {
            yield* sleep(10_000);
          } catch (error) {
            log.push(`body cancelled at ${now()}`);
            throw error;
          }
        }),
      );
      yield* sleep(100);
      runner.cancel();
      return yield* thrownByAwaiting(runner);
    });
    expectError(error, CancelledError, '');
    expect(log).toEqual(['body cancelled at 100']);
  });

  it('while the exit waits for the children (test_taskgroup_22)', async () => {
    const log: string[] = [];
    const loop = new VirtualTimeLoop();
    const outcome = await runVirtual(function* () {
      const runner = createTask(
        taskGroup(function* (tg) {
          tg.createTask(timed(log, 'foo1', 1000, 42));
          tg.createTask(timed(log, 'foo2', 2000, 11));
        }),
      );
      yield* sleep(50);
      runner.cancel();
      const error = yield* thrownByAwaiting(runner);
      return [(error as Error).constructor.name, runner.cancelled(), now()];
    }, loop);
    expect(outcome).toEqual(['CancelledError', true, 50]);
    expect(log).toEqual([
      'foo1 starts at 0',
      'foo2 starts at 0',
      'foo1 cancelled at 50',
      'foo2 cancelled at 50',
    ]);
  });

  it('again and again while the exit waits: it still waits for every child, and the count stays', async () => {
    const log: string[] = [];
    const outcome = await runVirtual(function* () {
      let runnerTask!: Task<void>;
      const runner = createTask(
        (function* () {
          try {
            yield* taskGroup(function* (tg) {
              tg.createTask(
                (function* () {
                  try {
                    yield* sleep(1000);
                  } catch {
                    log.push(`child cancelled at ${now()}`);
                    yield* sleep(100);
                    log.push(`child ends at ${now()}`);
                  }
                })(),
              );
            });
          } catch (error) {
            log.push(`group throws ${(error as Error).constructor.name} at ${now()}`);
            log.push(`cancelling()=${runnerTask.cancelling()}`);
            throw error;
          }
        })(),
      );
      runnerTask = runner;
      yield* sleep(10);
      runner.cancel();
      yield* sleep(10);
      runner.cancel();
      yield* sleep(10);
      runner.cancel();
      yield* thrownByAwaiting(runner);
      return now();
    });
    expect(outcome).toBe(110);
    expect(log).toEqual([
      'child cancelled at 10',
      'child ends at 110',
      'group throws CancelledError at 110',
      'cancelling()=3',
    ]);
  });

  it('after a child failed: the count stays, and the cancel lands after the group (test_error_and_cancel)', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const started = getRunningLoop().createFuture<void>();
      function* inner(): Coro<void> {
        const error = yield* thrownByAwaiting(
          taskGroup(function* (tg) {
            tg.createTask(
              (function* () {
                started.setResult(undefined);
                yield* sleep(0);
                throw new RuntimeError('child');
              })(),
            );
            yield* sleep(1000);
            log.push('not reached: the body sleep is cancelled');
          }),
        );
        log.push(`${JSON.stringify(shapeOf(error))} cancelling()=${self().cancelling()}`);
        yield* sleep(1000);
        log.push('not reached: the sleep after the group is cancelled');
      }
      const t = createTask(inner());
      yield* started;
      log.push(`before cancel: ${t.cancelling()}`);
      t.cancel();
      log.push(`after cancel: ${t.cancelling()}`);
      const error = yield* thrownByAwaiting(t);
      log.push(`${(error as Error).constructor.name} cancelled=${t.cancelled()} at ${now()}`);
    });
    expect(log).toEqual([
      'before cancel: 0',
      'after cancel: 1',
      `${JSON.stringify(taskGroupShape('RuntimeError: child'))} cancelling()=1`,
      'CancelledError cancelled=true at 0',
    ]);
  });

  it('by a timeout around the group: TimeoutError, children cancelled, nothing left (asyncio.timeout)', async () => {
    const log: string[] = [];
    const loop = new VirtualTimeLoop();
    const outcome = await runVirtual(function* () {
      const error = yield* thrownByAwaiting(
        withTimeout(100, function* () {
          return yield* taskGroup(function* (tg) {
            tg.createTask(timed(log, 'slow', 1000, null));
            yield* sleep(500);
          });
        }),
      );
      expectError(error, TimeoutError, '');
      expectError((error as Error).cause, CancelledError, '');
      return [now(), self().cancelling()];
    }, loop);
    expect(outcome).toEqual([100, 0]);
    expect(log).toEqual(['slow starts at 0', 'slow cancelled at 100']);
  });

  it('by a timeout that expires at once, with the CancelledError as the cause (test_exception_refcycles_propagate_cancellation_error)', async () => {
    const cause = await runVirtual(function* () {
      const error = yield* thrownByAwaiting(
        withTimeout(-1, function* () {
          yield* new TaskGroup().run(function* () {
            yield* sleep(0);
          });
        }),
      );
      return (error as Error).cause;
    });
    expectError(cause, CancelledError, '');
  });

  it('by a timeout inside the body: the group goes on, and a late child failure still groups (nested timeout)', async () => {
    const log: string[] = [];
    const error = await runVirtual(function* () {
      return yield* thrownByAwaiting(
        taskGroup(function* (tg) {
          tg.createTask(crashAfter(200, new MyError('late')));
          const timedOut = yield* thrownByAwaiting(
            withTimeout(100, function* () {
              yield* sleep(1000);
            }),
          );
          log.push(
            `${(timedOut as Error).constructor.name} at ${now()}, cancelling()=${self().cancelling()}`,
          );
          yield* sleep(1000);
          log.push('not reached');
        }),
      );
    });
    expect(log).toEqual(['TimeoutError at 100, cancelling()=0']);
    expect(shapeOf(error)).toEqual(taskGroupShape('MyError: late'));
  });
});

describe('TaskGroup and KeyboardInterrupt', () => {
  it('from the body while a child failed: thrown as it is, the child error reported (test_taskgroup_20, gh-135736)', async () => {
    const contexts: ExceptionContext[] = [];
    const interrupt = new KeyboardInterrupt('stop');
    const zero = new RangeError('zero');
    const error = await runVirtual(function* () {
      getRunningLoop().setExceptionHandler((_loop, context) => contexts.push(context));
      return yield* thrownByAwaiting(
        taskGroup(function* (tg) {
          tg.createTask(crashAfter(100, zero));
          try {
            yield* sleep(10_000);
          } finally {
            // biome-ignore lint/correctness/noUnsafeFinally: CPython's test raises here
            throw interrupt;
          }
        }),
      );
    });
    expect(error).toBe(interrupt);
    expect(contexts.map((c) => [c.message, c.exception])).toEqual([
      [
        'TaskGroup task exception was not propagated because the TaskGroup body is being closed with a BaseException',
        zero,
      ],
    ]);
    expect(contexts[0]!.taskGroup).toBeInstanceOf(TaskGroup);
  });

  it('from a child while the body fails: thrown as it is, the body error reported (test_taskgroup_21)', async () => {
    const contexts: ExceptionContext[] = [];
    const interrupt = new KeyboardInterrupt('stop');
    const outcome = await runVirtual(function* () {
      getRunningLoop().setExceptionHandler((_loop, context) => contexts.push(context));
      const error = yield* thrownByAwaiting(
        taskGroup(function* (tg) {
          tg.createTask(crashAfter(100, interrupt));
          try {
            yield* sleep(10_000);
          } finally {
            // biome-ignore lint/correctness/noUnsafeFinally: CPython's test raises here
            throw new TypeError('body');
          }
        }),
      );
      return [error, self().cancelling()];
    });
    // As CPython: the interrupt ends the program, so the group's cancel is not taken back.
    expect(outcome).toEqual([interrupt, 1]);
    expect(contexts.map((c) => shapeOf(c.exception))).toEqual(['TypeError: body']);
  });

  it('of a subclass from the body with no children: thrown as it is (test_exception_refcycles_base_error)', async () => {
    const interrupt = new MyKeyboardInterrupt('sub');
    const error = await runVirtual(function* () {
      return yield* thrownByAwaiting(
        taskGroup(function* () {
          throw interrupt;
        }),
      );
    });
    expect(error).toBe(interrupt);
  });

  it('from a child with no other error: thrown as it is and nothing reported', async () => {
    const contexts: ExceptionContext[] = [];
    const interrupt = new KeyboardInterrupt('child');
    const error = await runVirtual(function* () {
      getRunningLoop().setExceptionHandler((_loop, context) => contexts.push(context));
      return yield* thrownByAwaiting(
        taskGroup(function* (tg) {
          tg.createTask(crashAfter(1, interrupt));
          tg.createTask(sleep(1000));
        }),
      );
    });
    expect(error).toBe(interrupt);
    expect(contexts).toEqual([]);
  });
});

describe('TaskGroup refuses misuse', () => {
  it('entering a group that is running (test_taskgroup_already_entered)', async () => {
    const error = await runVirtual(function* () {
      const tg = new TaskGroup();
      return yield* tg.run(function* () {
        return yield* thrownByAwaiting(tg.run(function* () {}));
      });
    });
    expectError(error, RuntimeError, 'TaskGroup <TaskGroup entered> has already been entered');
  });

  it('entering a group that has finished (test_taskgroup_double_enter)', async () => {
    const error = await runVirtual(function* () {
      const tg = new TaskGroup();
      yield* tg.run(function* () {});
      return yield* thrownByAwaiting(tg.run(function* () {}));
    });
    expectError(error, RuntimeError, 'TaskGroup <TaskGroup entered> has already been entered');
  });

  it('createTask before the group is entered, closing the coroutine (test_taskgroup_not_entered)', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const tg = new TaskGroup();
      const coro = timed(log, 'never', 1, null);
      expectError(
        thrownBy(() => tg.createTask(coro)),
        RuntimeError,
        'TaskGroup <TaskGroup> has not been entered',
      );
      expect(coro.next()).toEqual({ done: true, value: undefined });
    });
    expect(log).toEqual([]);
  });

  it('createTask after the group finished, closing the coroutine (test_taskgroup_finished)', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const tg = new TaskGroup();
      yield* tg.run(function* () {});
      const coro = timed(log, 'never', 1, null);
      expectError(
        thrownBy(() => tg.createTask(coro)),
        RuntimeError,
        'TaskGroup <TaskGroup entered> is finished',
      );
      expect(coro.next()).toEqual({ done: true, value: undefined });
    });
    expect(log).toEqual([]);
  });

  it('createTask refusing a coroutine that already started runs its finally', async () => {
    const log: string[] = [];
    await runVirtual(function* () {
      const tg = new TaskGroup();
      function* started(): Coro<void> {
        try {
          log.push('started');
          yield;
        } finally {
          log.push('finally ran');
        }
      }
      const coro = started();
      coro.next();
      expectError(
        thrownBy(() => tg.createTask(coro)),
        RuntimeError,
        'TaskGroup <TaskGroup> has not been entered',
      );
    });
    expect(log).toEqual(['started', 'finally ran']);
  });

  it('entering with no task running (test_taskgroup_without_parent_task)', async () => {
    const errors = await runVirtual(function* () {
      const tg = new TaskGroup();
      const loop = getRunningLoop();
      const done = loop.createFuture<unknown[]>();
      loop.callSoon(() => {
        const entering = thrownBy(() => tg.run(function* () {}).next());
        const creating = thrownBy(() => tg.createTask(sleep(0)));
        done.setResult([entering, creating]);
      });
      return yield* done;
    });
    expectError(errors[0], RuntimeError, 'TaskGroup <TaskGroup> cannot determine the parent task');
    expectError(errors[1], RuntimeError, 'TaskGroup <TaskGroup> has not been entered');
  });

  it('entering outside a running loop', () => {
    expectError(
      thrownBy(() => new TaskGroup().run(function* () {}).next()),
      RuntimeError,
      'no running event loop',
    );
  });

  it('a body that is not a function, and a child that is not a coroutine', async () => {
    const errors = await runVirtual(function* () {
      const notBody = yield* thrownByAwaiting(
        new TaskGroup().run(42 as unknown as () => Coro<void>),
      );
      const notCoro = yield* taskGroup(function* (tg) {
        return thrownBy(() => tg.createTask(5 as unknown as Coro<void>));
      });
      return [notBody, notCoro];
    });
    expectError(
      errors[0],
      TypeError,
      'TaskGroup.run() expects a function* body called with the group, got number',
    );
    expectError(errors[1], TypeError, 'a coroutine was expected, got number');
  });
});

describe('TaskGroup.cancel() (CPython 3.15)', () => {
  it('from the body: the children and the body stop, the group ends quietly and run() gives undefined', async () => {
    const log: string[] = [];
    const loop = new VirtualTimeLoop();
    const outcome = await runVirtual(function* () {
      const value = yield* taskGroup(function* (tg) {
        tg.createTask(timed(log, 'child', 1000, null));
        yield* sleep(100);
        tg.cancel();
        log.push(`after cancel(): ${tg}, cancelling()=${self().cancelling()}`);
        try {
          yield* sleep(1000);
        } catch (error) {
          log.push(`body cancelled at ${now()}`);
          throw error;
        }
        return 'lost';
      });
      return [value, now(), self().cancelling()];
    }, loop);
    expect(outcome).toEqual([undefined, 100, 0]);
    expect(log).toEqual([
      'child starts at 0',
      'after cancel(): <TaskGroup tasks=1 cancelling>, cancelling()=1',
      'child cancelled at 100',
      'body cancelled at 100',
    ]);
  });

  it('from another task: the group ends quietly and its task goes on', async () => {
    const log: string[] = [];
    const outcome = await runVirtual(function* () {
      const tg = new TaskGroup();
      const runner = createTask(
        (function* () {
          const value = yield* tg.run(function* (group) {
            group.createTask(timed(log, 'child', 1000, null));
            yield* sleep(1000);
          });
          log.push(`group ended at ${now()} with ${value}`);
          yield* sleep(10);
          return 'runner done';
        })(),
      );
      yield* sleep(50);
      tg.cancel();
      return [yield* runner, now()];
    });
    expect(outcome).toEqual(['runner done', 60]);
    expect(log).toEqual([
      'child starts at 0',
      'child cancelled at 50',
      'group ended at 50 with undefined',
    ]);
  });

  it('from a child', async () => {
    const log: string[] = [];
    const outcome = await runVirtual(function* () {
      const value = yield* taskGroup(function* (tg) {
        tg.createTask(timed(log, 'sibling', 1000, null));
        tg.createTask(
          (function* () {
            yield* sleep(30);
            tg.cancel();
            log.push(`stopper returns at ${now()}`);
          })(),
        );
        yield* sleep(1000);
      });
      return [value, now()];
    });
    expect(outcome).toEqual([undefined, 30]);
    expect(log).toEqual([
      'sibling starts at 0',
      'stopper returns at 30',
      'sibling cancelled at 30',
    ]);
  });

  it('before the group is entered: it is cancelled as soon as it is', async () => {
    const log: string[] = [];
    const outcome = await runVirtual(function* () {
      const tg = new TaskGroup();
      tg.cancel();
      log.push(String(tg));
      const value = yield* tg.run(function* (group) {
        log.push(`entered: ${group}, cancelling()=${self().cancelling()}`);
        try {
          yield* sleep(100);
        } catch (error) {
          log.push(`body cancelled at ${now()}`);
          throw error;
        }
      });
      return [value, self().cancelling()];
    });
    expect(outcome).toEqual([undefined, 0]);
    expect(log).toEqual([
      '<TaskGroup>',
      'entered: <TaskGroup cancelling>, cancelling()=1',
      'body cancelled at 0',
    ]);
  });

  it('after the group finished: nothing happens', async () => {
    const outcome = await runVirtual(function* () {
      const tg = new TaskGroup();
      yield* tg.run(function* (group) {
        group.createTask(sleep(10));
      });
      tg.cancel();
      tg.cancel();
      yield* sleep(5);
      return [String(tg), self().cancelling(), now()];
    });
    expect(outcome).toEqual(['<TaskGroup entered>', 0, 15]);
  });

  it('twice: the second call changes nothing', async () => {
    const outcome = await runVirtual(function* () {
      const counts: number[] = [];
      yield* taskGroup(function* (tg) {
        tg.createTask(sleep(100));
        tg.cancel();
        counts.push(self().cancelling());
        tg.cancel();
        counts.push(self().cancelling());
        yield* sleep(100);
      });
      return [...counts, self().cancelling()];
    });
    expect(outcome).toEqual([1, 1, 0]);
  });

  it('while the exit waits for the children: they stop and the body value is kept', async () => {
    const log: string[] = [];
    const outcome = await runVirtual(function* () {
      const tg = new TaskGroup();
      createTask(
        (function* () {
          yield* sleep(40);
          tg.cancel();
        })(),
      );
      const value = yield* tg.run(function* (group) {
        group.createTask(timed(log, 'child', 1000, null));
        return 'body value';
      });
      return [value, now(), self().cancelling()];
    });
    expect(outcome).toEqual(['body value', 40, 0]);
    expect(log).toEqual(['child starts at 0', 'child cancelled at 40']);
  });

  it('by a body that then returns without waiting: its value is kept and no cancel is left', async () => {
    const outcome = await runVirtual(function* () {
      const value = yield* taskGroup(function* (tg) {
        tg.cancel();
        return 'returned';
      });
      yield* sleep(10);
      return [value, self().cancelling(), now()];
    });
    expect(outcome).toEqual(['returned', 0, 10]);
  });

  it('does not hide errors: a child that failed before, or fails while cancelled, is grouped', async () => {
    const error = await runVirtual(function* () {
      return yield* thrownByAwaiting(
        taskGroup(function* (tg) {
          tg.createTask(
            (function* () {
              try {
                yield* sleep(1000);
              } catch {
                throw new MyError('cleanup failed');
              }
            })(),
          );
          yield* sleep(10);
          tg.cancel();
          yield* sleep(10);
        }),
      );
    });
    expect(shapeOf(error)).toEqual(taskGroupShape('MyError: cleanup failed'));
  });

  it('after a child failed: the group still throws its ExceptionGroup', async () => {
    const error = await runVirtual(function* () {
      return yield* thrownByAwaiting(
        taskGroup(function* (tg) {
          tg.createTask(
            (function* () {
              yield* sleep(10);
              tg.cancel();
              throw new MyError('failed');
            })(),
          );
          yield* sleep(1000);
        }),
      );
    });
    expect(shapeOf(error)).toEqual(taskGroupShape('MyError: failed'));
  });

  it('refuses new children afterwards: "is shutting down"', async () => {
    const error = await runVirtual(function* () {
      return yield* taskGroup(function* (tg) {
        tg.cancel();
        return thrownBy(() => tg.createTask(sleep(0)));
      });
    });
    expectError(error, RuntimeError, 'TaskGroup <TaskGroup cancelling> is shutting down');
  });

  it('does not swallow a cancel from outside that came on top of its own (gh-155433)', async () => {
    const log: string[] = [];
    const outcome = await runVirtual(function* () {
      const tg = new TaskGroup();
      const runner = createTask(
        tg.run(function* (group) {
          group.createTask(
            (function* () {
              try {
                yield* sleep(1000);
              } catch {
                yield* sleep(50);
                log.push(`child ends at ${now()}`);
              }
            })(),
          );
          yield* sleep(0);
          tg.cancel();
          yield* sleep(1000);
        }),
      );
      yield* sleep(10);
      runner.cancel('outside');
      const error = yield* thrownByAwaiting(runner);
      return [
        (error as Error).constructor.name,
        (error as Error).message,
        runner.cancelled(),
        now(),
      ];
    });
    // The body's own CancelledError goes on (it came first); what matters is that it goes on.
    expect(outcome).toEqual(['CancelledError', '', true, 50]);
    expect(log).toEqual(['child ends at 50']);
  });

  it('does not swallow a cancel from outside while the exit waits, after the body returned (gh-155433)', async () => {
    const log: string[] = [];
    const outcome = await runVirtual(function* () {
      const tg = new TaskGroup();
      const runner = createTask(
        (function* () {
          try {
            yield* tg.run(function* (group) {
              group.createTask(
                (function* () {
                  try {
                    yield* sleep(1000);
                  } catch {
                    yield* sleep(50);
                    log.push(`child ends at ${now()}`);
                  }
                })(),
              );
              return 'body value';
            });
          } catch (error) {
            log.push(`group throws '${(error as Error).message}' at ${now()}`);
            throw error;
          }
        })(),
      );
      yield* sleep(10);
      tg.cancel();
      yield* sleep(10);
      runner.cancel('outside');
      const error = yield* thrownByAwaiting(runner);
      return [(error as Error).constructor.name, runner.cancelled()];
    });
    expect(outcome).toEqual(['CancelledError', true]);
    expect(log).toEqual(['child ends at 60', "group throws 'outside' at 60"]);
  });
});

describe('TaskGroup.toString()', () => {
  it('shows tasks, errors and the state, as CPython repr does', async () => {
    const seen = await runVirtual(function* () {
      const tg = new TaskGroup();
      const seen = [String(tg)];
      yield* thrownByAwaiting(
        tg.run(function* (group) {
          seen.push(String(group));
          group.createTask(sleep(100));
          group.createTask(crashAfter(10, new MyError('x')));
          seen.push(String(group), inspect(group));
          yield* sleep(5);
          try {
            yield* sleep(100);
          } finally {
            seen.push(String(group));
          }
        }),
      );
      seen.push(String(tg));
      return seen;
    });
    expect(seen).toEqual([
      '<TaskGroup>',
      '<TaskGroup entered>',
      '<TaskGroup tasks=2 entered>',
      '<TaskGroup tasks=2 entered>',
      '<TaskGroup tasks=1 errors=1 cancelling>',
      '<TaskGroup cancelling>',
    ]);
  });
});

describe('TaskGroup after it exits', () => {
  it('keeps no reference to the errors or the parent task (test_exception_refcycles_*)', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    expect(gc).toBeTypeOf('function');
    const tg = new TaskGroup();
    const refs = await runVirtual(function* () {
      let errorRef!: WeakRef<object>;
      const runner = createTask(
        (function* () {
          yield* thrownByAwaiting(
            tg.run(function* (group) {
              const error = new MyError('child');
              errorRef = new WeakRef(error);
              group.createTask(crashAfter(1, error));
              throw new OtherError('body');
            }),
          );
        })(),
      );
      const taskRef = new WeakRef(runner);
      yield* runner;
      return { errorRef, taskRef };
    });
    await new Promise((resolve) => setImmediate(resolve));
    gc!();
    expect(String(tg)).toBe('<TaskGroup cancelling>');
    expect([refs.errorRef.deref(), refs.taskRef.deref()]).toEqual([undefined, undefined]);
  });
});

describe('TaskGroup whose coroutine is closed', () => {
  it('inside the body: the children are cancelled, and their later errors reported', async () => {
    const contexts: ExceptionContext[] = [];
    const log: string[] = [];
    await runVirtual(function* () {
      getRunningLoop().setExceptionHandler((_loop, context) => contexts.push(context));
      let child!: Future<unknown>;
      const holder = createTask(
        (function* () {
          const group = new TaskGroup().run(function* (tg) {
            child = tg.createTask(
              (function* () {
                try {
                  yield* sleep(1000);
                } finally {
                  log.push(`child cleanup at ${now()}`);
                  // biome-ignore lint/correctness/noUnsafeFinally: an error nobody can await
                  throw new MyError('after close');
                }
              })(),
            );
            try {
              yield* sleep(1000);
            } finally {
              log.push('body finally');
            }
          });
          group.next();
          yield* ticks(1);
          group.return(undefined);
          log.push(`closed: child cancelling()=${(child as Task<unknown>).cancelling()}`);
        })(),
      );
      yield* holder;
      yield* sleep(5);
    });
    expect(log).toEqual(['body finally', 'closed: child cancelling()=1', 'child cleanup at 0']);
    expect(contexts.map((c) => [c.message, shapeOf(c.exception)])).toEqual([
      [
        'TaskGroup <TaskGroup cancelling> was closed before a task exception could be propagated',
        'MyError: after close',
      ],
    ]);
  });
});

describe('taskGroup()', () => {
  it('is new TaskGroup().run(body), rejecting through run() like any coroutine', async () => {
    const error = await rejectionOf(
      runVirtual(function* () {
        yield* taskGroup(function* (tg) {
          tg.createTask(crashAfter(5, new MyError('top')));
          yield* sleep(100);
        });
      }),
    );
    expect(shapeOf(error)).toEqual(taskGroupShape('MyError: top'));
  });
});
