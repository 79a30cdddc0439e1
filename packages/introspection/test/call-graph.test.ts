import {
  type Coro,
  Future,
  getRunningLoop,
  RuntimeError,
  setIntrospection,
  VirtualTimeLoop,
} from '@asyncio-ts/core-loop';
import { shield, taskGroup } from '@asyncio-ts/task-groups';
import { createTask, currentTask, gather, run, sleep, Task } from '@asyncio-ts/tasks';
import { expectError, thrownBy } from '@asyncio-ts/test-utils';
import { timeout } from '@asyncio-ts/timeouts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  captureCallGraph,
  type FutureCallGraph,
  formatCallGraph,
  futureAddToAwaitedBy,
  printCallGraph,
} from '../src/index.js';

/** A graph as CPython's test_graph.py walks it: label, frames, awaiters sorted by label. */
type Walked = [string, string[], Walked[]];

function walk(graph: FutureCallGraph): Walked {
  const future = graph.future;
  let label = 'F';
  if (future instanceof Task) {
    const name = future.getName();
    label = name.includes('-') ? 'T<anon>' : `T<${name}>`;
  }
  const frames = graph.callStack.map(
    (frame) => `${frame.isCoroutine ? 'a' : 's'} ${frame.functionName}`,
  );
  const awaiters = graph.awaitedBy
    .map(walk)
    .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  return [label, frames, awaiters];
}

/** CPython's capture_test_stack: the walked graph of the current task and its printed text. */
function captureTestStack(options?: {
  future?: Future<unknown>;
  depth?: number;
}): [Walked, string] {
  const depth = options?.depth ?? 1;
  let printed = '';
  printCallGraph(options?.future, {
    depth,
    file: { write: (text: string) => (printed += text) },
  });
  const graph = captureCallGraph(options?.future, { depth });
  return [walk(graph!), printed];
}

function runLoop<T>(main: () => Coro<T>): Promise<T> {
  return run(main, { loopFactory: () => new VirtualTimeLoop() });
}

/** The frames the task running a group shows while the group waits for its children. */
const GROUP_EXIT = [
  'a TaskGroup.#waitForChildren',
  'a TaskGroup.#finish',
  'a TaskGroup.#exit',
  'a TaskGroup.run',
];

describe('captureCallGraph (CPython test_graph.py)', () => {
  beforeEach(() => setIntrospection(true));
  afterEach(() => setIntrospection(false));

  it('through a TaskGroup: the child is awaited by the group task and by the tasks awaiting it', async () => {
    let stackForC5: [Walked, string] | null = null;
    function c5(): void {
      stackForC5 = captureTestStack({ depth: 2 });
    }
    function* c4(): Coro<void> {
      yield* sleep(0);
      c5();
    }
    function* c3(): Coro<void> {
      yield* c4();
    }
    function* c2(): Coro<void> {
      yield* c3();
    }
    function* c1(task: Task<void>): Coro<void> {
      yield* task;
    }
    function* main(): Coro<void> {
      yield* taskGroup(function* (tg) {
        const task = tg.createTask(c2(), { name: 'c2_root' });
        tg.createTask(c1(task), { name: 'sub_main_1' });
        tg.createTask(c1(task), { name: 'sub_main_2' });
      });
    }
    await runLoop(main);
    const groupTask: Walked = ['T<anon>', [...GROUP_EXIT, 'a main'], []];
    expect(stackForC5![0]).toEqual([
      'T<c2_root>',
      ['s c5', 'a c4', 'a c3', 'a c2'],
      [
        groupTask,
        ['T<sub_main_1>', ['a c1'], [groupTask]],
        ['T<sub_main_2>', ['a c1'], [groupTask]],
      ],
    ]);
    expect(stackForC5![1]).toContain(', in async TaskGroup.run()\n');
  });

  it('through gather: a child is awaited by the task that gathers', async () => {
    let stackForDeep: [Walked, string] | null = null;
    function* deep(): Coro<void> {
      yield* sleep(0);
      stackForDeep = captureTestStack();
    }
    function* c1(): Coro<void> {
      yield* sleep(0);
      yield* deep();
    }
    function* c2(): Coro<void> {
      yield* sleep(0);
    }
    function* main(): Coro<void> {
      yield* gather([c1(), c2()]);
    }
    await runLoop(main);
    expect(stackForDeep![0]).toEqual([
      'T<anon>',
      ['s captureTestStack', 'a deep', 'a c1'],
      [['T<anon>', ['a main'], []]],
    ]);
  });

  it('through shield: the shielded task is awaited by the task behind the shield', async () => {
    let stackForShield: [Walked, string] | null = null;
    function* deep(): Coro<void> {
      yield* sleep(0);
      stackForShield = captureTestStack();
    }
    function* c1(): Coro<void> {
      yield* sleep(0);
      yield* deep();
    }
    function* main(): Coro<void> {
      yield* shield(c1());
    }
    await runLoop(main);
    expect(stackForShield![0]).toEqual([
      'T<anon>',
      ['s captureTestStack', 'a deep', 'a c1'],
      [['T<anon>', ['a main'], []]],
    ]);
  });

  it('through a timeout inside a shielded task', async () => {
    let stackForInner: [Walked, string] | null = null;
    function* inner(): Coro<void> {
      yield* sleep(0);
      stackForInner = captureTestStack();
    }
    function* c1(): Coro<void> {
      yield* timeout(1000, function* body() {
        yield* sleep(0);
        yield* inner();
      });
    }
    function* main(): Coro<void> {
      yield* shield(c1());
    }
    await runLoop(main);
    const [label, frames, awaiters] = stackForInner![0];
    expect([label, frames.slice(0, 3), frames.at(-1), awaiters]).toEqual([
      'T<anon>',
      ['s captureTestStack', 'a inner', 'a body'],
      'a c1',
      [['T<anon>', ['a main'], []]],
    ]);
  });

  it('through a task awaited directly', async () => {
    let stackForInner: [Walked, string] | null = null;
    function* inner(): Coro<void> {
      yield* sleep(0);
      stackForInner = captureTestStack();
    }
    function* c1(): Coro<void> {
      yield* inner();
    }
    function* c2(): Coro<void> {
      yield* createTask(c1(), { name: 'there there' });
    }
    function* main(): Coro<void> {
      yield* c2();
    }
    await runLoop(main);
    expect(stackForInner![0]).toEqual([
      'T<there there>',
      ['s captureTestStack', 'a inner', 'a c1'],
      [['T<anon>', ['a c2', 'a main'], []]],
    ]);
  });

  it('of a plain future awaited by two tasks of a group', async () => {
    let stackForFut: [Walked, string] | null = null;
    function* a2(fut: Future<void>): Coro<void> {
      yield* fut;
    }
    function* a1(fut: Future<void>): Coro<void> {
      yield* a2(fut);
    }
    function* b1(fut: Future<void>): Coro<void> {
      yield* fut;
    }
    function* main(): Coro<void> {
      const fut = getRunningLoop().createFuture<void>();
      yield* taskGroup(function* body(tg) {
        tg.createTask(a1(fut), { name: 'task A' });
        tg.createTask(b1(fut), { name: 'task B' });
        for (let i = 0; i < 5; i++) yield* sleep(0);
        stackForFut = captureTestStack({ future: fut });
        fut.setResult();
      });
    }
    await runLoop(main);
    // The task running the group is in the group's body, not yet at its exit.
    const groupTask: Walked = ['T<anon>', ['a body', 'a TaskGroup.run', 'a main'], []];
    expect(stackForFut![0]).toEqual([
      'F',
      [],
      [
        ['T<task A>', ['a a2', 'a a1'], [groupTask]],
        ['T<task B>', ['a b1'], [groupTask]],
      ],
    ]);
    expect(stackForFut![1]).toMatch(/^\* Future\(id=0x[0-9a-f]+\)\n {2}\+ Awaited by:\n/);
  });
});

/** Three coroutine levels under the task's own: outer -> middle -> inner, suspended in inner. */
function* inner(): Coro<void> {
  yield* sleep(100);
}
function* middle(): Coro<void> {
  yield* inner();
}
function* outer(): Coro<void> {
  yield* middle();
}

function frameNames(graph: FutureCallGraph | null): string[] {
  return graph!.callStack.map((frame) => frame.functionName);
}

describe('captureCallGraph arguments', () => {
  beforeEach(() => setIntrospection(true));
  afterEach(() => setIntrospection(false));

  it('limit keeps the oldest frames when positive, the newest when negative, none at 0', async () => {
    const seen = await runLoop(function* () {
      const task = createTask(outer());
      yield* sleep(10);
      const result = [null, 2, -2, 0].map((limit) => frameNames(captureCallGraph(task, { limit })));
      task.cancel();
      return result;
    });
    expect(seen).toEqual([
      ['inner', 'middle', 'outer'],
      ['middle', 'outer'],
      ['inner', 'middle'],
      [],
    ]);
  });

  it('limit applies to the live stack of the current task and to every awaiter', async () => {
    function* leaf(): Coro<string[][]> {
      yield* sleep(0);
      const whole = captureCallGraph();
      const limited = captureCallGraph(null, { limit: 1 });
      const newest = captureCallGraph(null, { limit: -1 });
      const none = captureCallGraph(null, { limit: 0 });
      return [
        frameNames(whole),
        frameNames(limited),
        frameNames(limited!.awaitedBy[0]!),
        frameNames(newest),
        frameNames(none),
        frameNames(none!.awaitedBy[0]!),
        [String(none!.awaitedBy.length)],
      ];
    }
    function* branch(): Coro<string[][]> {
      return yield* leaf();
    }
    const seen = await runLoop(function* trunk() {
      return yield* createTask(branch());
    });
    expect(seen).toEqual([['leaf', 'branch'], ['branch'], ['trunk'], ['leaf'], [], [], ['1']]);
  });

  it('depth skips frames of the current task from the top, counting the caller as 1', async () => {
    function helper(depth: number): string[] {
      return frameNames(captureCallGraph(null, { depth }));
    }
    const seen = await runLoop(function* main() {
      yield* sleep(0);
      return [helper(1), helper(2), helper(3)];
    });
    expect(seen).toEqual([['helper', 'main'], ['main'], []]);
  });

  it('a suspended task not introspected while it suspended has no frames, but its awaiters', async () => {
    setIntrospection(false);
    const seen = await runLoop(function* main() {
      const task = createTask(outer());
      yield* sleep(10);
      const graph = captureCallGraph(task);
      const awaited = captureCallGraph(createTask(outer()));
      task.cancel();
      return [graph!.callStack.length, graph!.awaitedBy.length, awaited!.callStack.length];
    });
    expect(seen).toEqual([0, 0, 0]);
    const live = await runLoop(function* main() {
      const child = createTask(
        (function* waited(): Coro<number> {
          yield* sleep(1);
          const graph = captureCallGraph();
          return graph!.awaitedBy.length;
        })(),
      );
      const awaiters = yield* child;
      return [awaiters, frameNames(captureCallGraph())];
    });
    expect(live).toEqual([1, ['main']]);
  });

  it('a done task has no frames', async () => {
    const seen = await runLoop(function* () {
      const task = createTask(sleep(1, 'x'));
      yield* task;
      return captureCallGraph(task)!.callStack.length;
    });
    expect(seen).toBe(0);
  });

  it('is null with no future and no current task; formatCallGraph is then empty', async () => {
    const seen = await runLoop(function* () {
      const loop = getRunningLoop();
      const outside = loop.createFuture<[unknown, string]>();
      loop.callSoon(() => outside.setResult([captureCallGraph(), formatCallGraph()]));
      return yield* outside;
    });
    expect(seen).toEqual([null, '']);
  });

  it('needs a future outside a running loop, and refuses what is not a Future', () => {
    expectError(
      thrownBy(() => captureCallGraph()),
      RuntimeError,
      'captureCallGraph() is called outside of a running event loop and no future to introspect was provided',
    );
    expectError(
      thrownBy(() => captureCallGraph({} as Future<unknown>)),
      TypeError,
      '{} object does not appear to be compatible with Future',
    );
    const fut = new Future({ loop: new VirtualTimeLoop() });
    expectError(
      thrownBy(() => captureCallGraph(fut, { depth: 0 })),
      RangeError,
      'depth must be at least 1, got 0',
    );
    expectError(
      thrownBy(() => captureCallGraph(fut, { depth: 1.5 })),
      TypeError,
      'depth must be an integer, got 1.5',
    );
    expectError(
      thrownBy(() => captureCallGraph(fut, { limit: '2' as unknown as number })),
      TypeError,
      "limit must be an integer or null, got '2'",
    );
    const graph = captureCallGraph(fut)!;
    expect([graph.future === fut, graph.callStack, graph.awaitedBy]).toEqual([true, [], []]);
  });

  it('stops at a cycle of awaits instead of recursing without end', async () => {
    const loop = new VirtualTimeLoop();
    const a = new Future({ loop });
    const b = new Future({ loop });
    futureAddToAwaitedBy(a, b);
    futureAddToAwaitedBy(b, a);
    const graph = captureCallGraph(a)!;
    expect([graph.future === a, graph.awaitedBy.length, graph.awaitedBy[0]!.future === b]).toEqual([
      true,
      1,
      true,
    ]);
    expect(graph.awaitedBy[0]!.awaitedBy).toEqual([]);
  });

  it('names the current task from a nested plain function through the task that awaits it', async () => {
    const seen = await runLoop(function* () {
      return currentTask() === captureCallGraph()!.future;
    });
    expect(seen).toBe(true);
  });
});

describe('call stacks of eager tasks', () => {
  beforeEach(() => setIntrospection(true));
  afterEach(() => setIntrospection(false));

  it('end at the eager task’s own coroutine, not in the task that created it', async () => {
    function* eagerLeaf(): Coro<void> {
      yield* sleep(10);
    }
    function* eagerRoot(): Coro<void> {
      yield* eagerLeaf();
    }
    const seen = await runLoop(function* creator() {
      const task = createTask(eagerRoot(), { eagerStart: true });
      const frames = frameNames(captureCallGraph(task));
      task.cancel();
      return frames;
    });
    expect(seen).toEqual(['eagerLeaf', 'eagerRoot']);
  });
});
