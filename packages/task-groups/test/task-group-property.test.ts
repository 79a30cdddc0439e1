/**
 * Property-based tests of TaskGroup: random trees of groups (up to three deep) whose children
 * succeed, fail, sleep, run nested groups, cancel a sibling, fail while being cancelled, or are
 * cancelled from outside, and whose bodies return, fail or stop their group with `cancel()`, all
 * at random virtual times. Whatever the tree: every child ends exactly once and its `finally` runs
 * once; a group throws exactly the errors that its children and body threw (nested groups as
 * members), or no ExceptionGroup when none did; no task is pending once a group exits; a
 * CancelledError comes out of a group only when its task really is being cancelled, and a task
 * that returns has no cancel request left (none swallowed, none leaked); and the same tree always
 * gives the same history.
 */
import { CancelledError, type Coro, getRunningLoop, type TimerHandle } from '@asyncio-ts/core-loop';
import { allTasks, createTask, currentTask, sleep, type Task } from '@asyncio-ts/tasks';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExceptionGroup } from '../src/exception-group.js';
import { type TaskGroup, taskGroup } from '../src/task-group.js';
import { runVirtual } from './utils.js';

type ChildSpec =
  | { kind: 'ok' | 'fail'; ms: number; cancelAtMs: number | null; failOnCancel: boolean }
  | {
      kind: 'cancelSibling';
      ms: number;
      target: number;
      cancelAtMs: number | null;
      failOnCancel: boolean;
    }
  | { kind: 'group'; group: GroupSpec; cancelAtMs: number | null; failOnCancel: boolean };

interface GroupSpec {
  bodyMs: number;
  /** What the body does after sleeping `bodyMs`. */
  body: 'return' | 'fail' | 'cancelGroup';
  children: ChildSpec[];
}

// Small time ranges on purpose: failures, cancels and exits that land in the same millisecond
// are the schedules where an error or a cancellation could get lost.
const msArb = fc.integer({ min: 0, max: 6 });
const cancelAtArb = fc.option(fc.integer({ min: 0, max: 8 }), { nil: null, freq: 3 });

const leafArb: fc.Arbitrary<ChildSpec> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('ok' as const, 'fail' as const),
    ms: msArb,
    cancelAtMs: cancelAtArb,
    failOnCancel: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('cancelSibling' as const),
    ms: msArb,
    target: fc.nat({ max: 5 }),
    cancelAtMs: cancelAtArb,
    failOnCancel: fc.boolean(),
  }),
);

function groupArb(depth: number): fc.Arbitrary<GroupSpec> {
  const child: fc.Arbitrary<ChildSpec> =
    depth >= 3
      ? leafArb
      : fc.oneof(
          { arbitrary: leafArb, weight: 3 },
          {
            arbitrary: fc.record({
              kind: fc.constant('group' as const),
              group: groupArb(depth + 1),
              cancelAtMs: cancelAtArb,
              failOnCancel: fc.boolean(),
            }),
            weight: 1,
          },
        );
  return fc.record({
    bodyMs: msArb,
    body: fc.constantFrom(
      'return' as const,
      'return' as const,
      'fail' as const,
      'cancelGroup' as const,
    ),
    children: fc.array(child, { maxLength: 4 }),
  });
}

const treeArb = groupArb(1);

/** An error thrown on purpose by one node of the tree. */
class NodeError extends Error {}

interface Outcome {
  log: string[];
  violations: string[];
}

/** Runs the tree on a fresh virtual-time loop and records what happened and what went wrong. */
function simulate(tree: GroupSpec, rootCancelAtMs: number | null): Promise<Outcome> {
  return runVirtual(function* (): Coro<Outcome> {
    const loop = getRunningLoop();
    const log: string[] = [];
    const violations: string[] = [];
    const starts = new Map<string, number>();
    const finallies = new Map<string, number>();
    const dones = new Map<string, number>();
    const timers: TimerHandle[] = [];
    const tasks = new Map<string, Task<unknown>>();
    const at = (): string => `${loop.time()}`;
    const bump = (counts: Map<string, number>, id: string): void => {
      counts.set(id, (counts.get(id) ?? 0) + 1);
    };

    /** Records an error (not a cancellation) that leaves `coro`, in `thrown`. */
    function* recording<T>(coro: Coro<T>, thrown: unknown[]): Coro<T> {
      try {
        return yield* coro;
      } catch (error) {
        if (!(error instanceof CancelledError)) thrown.push(error);
        throw error;
      }
    }

    function* child(id: string, spec: ChildSpec, siblings: Task<unknown>[]): Coro<string> {
      bump(starts, id);
      log.push(`${at()} ${id} starts`);
      try {
        if (spec.kind === 'group') return yield* runGroup(id, spec.group);
        yield* sleep(spec.ms);
        if (spec.kind === 'fail') throw new NodeError(id);
        if (spec.kind === 'cancelSibling') {
          const target = siblings[spec.target % siblings.length];
          if (target !== undefined && target !== currentTask()) {
            log.push(`${at()} ${id} cancels sibling ${spec.target % siblings.length}`);
            target.cancel();
          }
        }
        return `${id} ok`;
      } catch (error) {
        if (error instanceof CancelledError) {
          log.push(`${at()} ${id} cancelled`);
          if (spec.failOnCancel) throw new NodeError(`${id} cleanup`);
        }
        throw error;
      } finally {
        bump(finallies, id);
        log.push(`${at()} ${id} finally`);
      }
    }

    function* body(path: string, spec: GroupSpec, tg: TaskGroup, thrown: unknown[]): Coro<string> {
      const siblings: Task<unknown>[] = [];
      spec.children.forEach((childSpec, index) => {
        const id = `${path}.${index}`;
        const task = tg.createTask(recording(child(id, childSpec, siblings), thrown));
        siblings.push(task);
        tasks.set(id, task);
        task.addDoneCallback(() => bump(dones, id));
        if (childSpec.cancelAtMs !== null) {
          timers.push(
            loop.callLater(childSpec.cancelAtMs, () => {
              if (!task.done()) log.push(`${at()} outside cancels ${id}`);
              task.cancel();
            }),
          );
        }
      });
      yield* sleep(spec.bodyMs);
      if (spec.body === 'fail') throw new NodeError(`${path} body`);
      if (spec.body === 'cancelGroup') {
        log.push(`${at()} ${path} body cancels its group`);
        tg.cancel();
        yield* sleep(spec.bodyMs);
      }
      return `${path} value`;
    }

    function* runGroup(path: string, spec: GroupSpec): Coro<string> {
      const thrown: unknown[] = [];
      let group!: TaskGroup;
      const self = currentTask()!;
      try {
        const value = yield* taskGroup(function* (tg) {
          group = tg;
          return yield* recording(body(path, spec, tg, thrown), thrown);
        });
        checkExited(path, group);
        if (thrown.length > 0) violations.push(`${path} returned and lost ${thrown.length} errors`);
        log.push(`${at()} ${path} returns ${value}`);
        return value ?? `${path} stopped`;
      } catch (error) {
        checkExited(path, group);
        if (error instanceof ExceptionGroup) {
          if (!sameMembers(error.exceptions, thrown)) {
            violations.push(
              `${path} grouped ${listed(error.exceptions)}, thrown ${listed(thrown)}`,
            );
          }
          log.push(`${at()} ${path} raises ${listed(error.exceptions)}`);
        } else if (error instanceof CancelledError) {
          if (thrown.length > 0) violations.push(`${path} hid ${thrown.length} errors`);
          if (self.cancelling() === 0) violations.push(`${path} raised a cancel nobody asked for`);
          log.push(`${at()} ${path} cancelled`);
        } else {
          violations.push(`${path} threw ${String(error)}`);
        }
        throw error;
      }
    }

    function checkExited(path: string, group: TaskGroup | undefined): void {
      if (group !== undefined && String(group).includes('tasks=')) {
        violations.push(`${path} exited with children left: ${group}`);
      }
    }

    const main = currentTask();
    const root = createTask(runGroup('g', tree));
    tasks.set('g', root);
    if (rootCancelAtMs !== null) {
      timers.push(
        loop.callLater(rootCancelAtMs, () => {
          if (!root.done()) log.push(`${at()} outside cancels the root`);
          root.cancel();
        }),
      );
    }
    const watchdog = loop.callLater(10_000, () => {
      violations.push('stuck');
      root.cancel();
    });
    try {
      yield* root;
    } catch (error) {
      if (error instanceof CancelledError && rootCancelAtMs === null) {
        violations.push('the root was cancelled though nobody cancelled it');
      }
    }
    watchdog.cancel();
    for (const timer of timers) timer.cancel();
    // Done callbacks of the last children run in the iteration after the group's exit.
    yield* sleep(0);
    const left = [...allTasks()].filter((task) => task !== main);
    if (left.length > 0) violations.push(`${left.length} tasks left pending`);
    for (const [id, count] of starts) {
      if (count !== 1) violations.push(`${id} started ${count} times`);
      if (finallies.get(id) !== 1) violations.push(`${id} ran finally ${finallies.get(id)} times`);
    }
    for (const [id, count] of dones) if (count !== 1) violations.push(`${id} ended ${count} times`);
    // A task that returned normally has no cancel request left: a group undoes its own, and one
    // from anyone else (a sibling, a timer, an aborting parent group) must have ended the task.
    for (const [id, task] of tasks) {
      if (!task.cancelled() && task.exception() === null && task.cancelling() !== 0) {
        violations.push(`${id} returned with cancelling()=${task.cancelling()}`);
      }
    }
    return { log, violations };
  });
}

/** The same members, each as many times, compared by identity. */
function sameMembers(grouped: readonly unknown[], thrown: readonly unknown[]): boolean {
  if (grouped.length !== thrown.length) return false;
  const left = [...thrown];
  for (const member of grouped) {
    const index = left.indexOf(member);
    if (index < 0) return false;
    left.splice(index, 1);
  }
  return true;
}

function listed(errors: readonly unknown[]): string {
  return `[${errors
    .map((error) =>
      error instanceof ExceptionGroup ? `EG${listed(error.exceptions)}` : (error as Error).message,
    )
    .join(', ')}]`;
}

/** Counts the children of every kind in a tree, to check that the generator reaches them. */
function kindsIn(tree: GroupSpec, counts: Record<string, number> = {}): Record<string, number> {
  for (const child of tree.children) {
    counts[child.kind] = (counts[child.kind] ?? 0) + 1;
    if (child.kind === 'group') kindsIn(child.group, counts);
  }
  return counts;
}

describe('TaskGroup under random trees of children, failures and cancellations', () => {
  it('loses no error, leaves nothing pending, ends every child once, and repeats itself', async () => {
    const seenKinds: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(treeArb, cancelAtArb, async (tree, rootCancelAtMs) => {
        kindsIn(tree, seenKinds);
        const outcome = await simulate(tree, rootCancelAtMs);
        expect(outcome.violations).toEqual([]);
        const again = await simulate(tree, rootCancelAtMs);
        expect(again.log).toEqual(outcome.log);
      }),
      { numRuns: 200 },
    );
    for (const kind of ['ok', 'fail', 'cancelSibling', 'group']) {
      expect(seenKinds[kind] ?? 0).toBeGreaterThan(0);
    }
  });

  it('a deep tree where every leaf fails at once: the error tree mirrors the group tree', async () => {
    const leaf = (): ChildSpec => ({ kind: 'fail', ms: 1, cancelAtMs: null, failOnCancel: false });
    const inner: GroupSpec = { bodyMs: 5, body: 'return', children: [leaf(), leaf()] };
    const middle: GroupSpec = {
      bodyMs: 5,
      body: 'return',
      children: [leaf(), { kind: 'group', group: inner, cancelAtMs: null, failOnCancel: false }],
    };
    const tree: GroupSpec = {
      bodyMs: 5,
      body: 'return',
      children: [{ kind: 'group', group: middle, cancelAtMs: null, failOnCancel: false }, leaf()],
    };
    const outcome = await simulate(tree, null);
    expect(outcome.violations).toEqual([]);
    expect(outcome.log.filter((line) => line.includes(' raises '))).toEqual([
      '1 g.0.1 raises [g.0.1.0, g.0.1.1]',
      '1 g.0 raises [g.0.0, EG[g.0.1.0, g.0.1.1]]',
      '1 g raises [g.1, EG[g.0.0, EG[g.0.1.0, g.0.1.1]]]',
    ]);
  });
});
