import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type Coro,
  type Future,
  getRunningLoop,
  setIntrospection,
  VirtualTimeLoop,
} from '@asyncio-ts/core-loop';
import { afterEach, describe, expect, it } from 'vitest';
import { createTask, run, sleep, type Task } from '../src/index.js';

function* innermost(): Coro<void> {
  yield* sleep(100);
}
function* middle(): Coro<void> {
  yield* innermost();
}
function* outermost(): Coro<void> {
  yield* middle();
}
function* failsAfterASleep(): Coro<void> {
  yield* sleep(1);
  throw new Error('boom');
}

/** The function names of `at name (file)` frames. */
function names(frames: string[]): string[] {
  return frames.map((frame) => frame.replace(/^at /, '').split(' ')[0]!);
}

function runDebug<T>(main: () => Coro<T>, debug: boolean): Promise<T> {
  return run(main, { debug, loopFactory: () => new VirtualTimeLoop() });
}

describe('Task.getStack', () => {
  it('in debug mode lists the coroutine frames of a suspended task, oldest first', async () => {
    const stack = await runDebug(function* () {
      const task = createTask(outermost());
      yield* sleep(10);
      const frames = task.getStack();
      task.cancel();
      return frames;
    }, true);
    expect(names(stack)).toEqual(['outermost', 'middle', 'innermost']);
    expect(stack[0]).toContain('stack.test.ts');
  });

  it('with a limit keeps the newest frames of a suspended task', async () => {
    const stack = await runDebug(function* () {
      const task = createTask(outermost());
      yield* sleep(10);
      const frames = task.getStack({ limit: 2 });
      task.cancel();
      return frames;
    }, true);
    expect(names(stack)).toEqual(['middle', 'innermost']);
  });

  it('outside debug mode a suspended task has no frames', async () => {
    const stack = await runDebug(function* () {
      const task = createTask(outermost());
      yield* sleep(10);
      const frames = task.getStack();
      task.cancel();
      return frames;
    }, false);
    expect(stack).toEqual([]);
  });

  it('of a failed task lists where its error was thrown, without marking it retrieved', async () => {
    let failed: Task<void> | null = null;
    const stack = await runDebug(function* () {
      failed = createTask(failsAfterASleep());
      yield* sleep(10);
      return failed.getStack();
    }, false);
    expect(names(stack)).toEqual(['failsAfterASleep']);
    // getStack did not retrieve the exception: it is still there to be read.
    expect((failed as unknown as Task<void>).exception()).toBeInstanceOf(Error);
  });

  it('in debug mode a task whose coroutine is not a generator (a sleep) has no frames', async () => {
    const stacks = await runDebug(function* () {
      const sleeping = createTask(sleep(100));
      const failing = createTask(sleep(Number.NaN));
      yield* sleep(10);
      const frames = [sleeping.getStack(), failing.getStack()];
      sleeping.cancel();
      failing.exception();
      return frames;
    }, true);
    // None of the frames under the loop are the task's: the host's, or the test runner's.
    expect(stacks).toEqual([[], []]);
  });

  it('printStack writes the task and its frames to the given file', async () => {
    const written: string[] = [];
    await runDebug(function* () {
      const task = createTask(outermost(), { name: 'printer' });
      yield* sleep(10);
      task.printStack({ file: { write: (text: string) => written.push(text) } });
      task.cancel();
    }, true);
    expect(written).toHaveLength(1);
    const lines = written[0]!.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^Stack for <Task pending name=printer .*> \(most recent call last\):$/,
    );
    expect(names(lines.slice(1))).toEqual(['outermost', 'middle', 'innermost']);
  });

  it('printStack of a task with no frames says so', async () => {
    const written: string[] = [];
    await runDebug(function* () {
      const task = createTask(outermost(), { name: 'quiet' });
      yield* sleep(10);
      task.printStack({ file: { write: (text: string) => written.push(text) } });
      task.cancel();
    }, false);
    expect(written[0]).toMatch(/^No stack for <Task pending name=quiet .*>\n$/);
  });
});

describe('Task.getStack with introspection on (outside debug mode)', () => {
  afterEach(() => setIntrospection(false));

  function* spinning(): Coro<void> {
    for (;;) yield* sleep(0); // mark:spin
  }
  function* spinner(): Coro<void> {
    yield* spinning(); // mark:spinner
  }

  it('records the frames and lines of each suspension, a bare sleep(0) included', async () => {
    setIntrospection(true);
    const stack = await runDebug(function* () {
      const task = createTask(spinner());
      yield* sleep(0);
      yield* sleep(0);
      const frames = task.getStack();
      task.cancel();
      return frames;
    }, false);
    const file = fileURLToPath(import.meta.url);
    expect(stack.map((frame) => frame.replace(/:\d+\)$/, ')'))).toEqual([
      `at spinner (${file}:${lineOf('mark:spinner')})`,
      `at spinning (${file}:${lineOf('mark:spin')})`,
    ]);
  });

  it('a bare yield takes no stack that a coroutine stepped by hand recorded', async () => {
    setIntrospection(true);
    function* steppedByHand(fut: Future<void>): Coro<void> {
      yield* fut;
    }
    function* bareYielder(): Coro<void> {
      for (;;) yield;
    }
    const stack = await runDebug(function* () {
      // From a plain callback that runs right before the task's first step.
      getRunningLoop().callSoon(() => steppedByHand(getRunningLoop().createFuture<void>()).next());
      const task = createTask(bareYielder());
      yield* sleep(0);
      const frames = task.getStack();
      task.cancel();
      return frames;
    }, false);
    expect(stack).toEqual([]);
  });

  it('records the suspension of the step that switched introspection on', async () => {
    function* switcher(): Coro<void> {
      setIntrospection(true);
      yield* sleep(100);
    }
    const stack = await runDebug(function* () {
      const task = createTask(switcher());
      yield* sleep(10);
      const frames = task.getStack();
      task.cancel();
      return frames;
    }, false);
    expect(names(stack)).toEqual(['switcher']);
  });

  it('records nothing once introspection is switched off again', async () => {
    setIntrospection(true);
    setIntrospection(false);
    const stack = await runDebug(function* () {
      const task = createTask(outermost());
      yield* sleep(10);
      const frames = task.getStack();
      task.cancel();
      return frames;
    }, false);
    expect(stack).toEqual([]);
  });

  it('a failed task lists the line that threw', async () => {
    function* thrower(): Coro<void> {
      yield* sleep(1);
      throw new Error('here'); // mark:throw
    }
    const stack = await runDebug(function* () {
      const task = createTask(thrower());
      yield* sleep(5);
      const frames = task.getStack();
      task.exception();
      return frames;
    }, false);
    const file = fileURLToPath(import.meta.url);
    expect(stack.map((frame) => frame.replace(/:\d+\)$/, ')'))).toEqual([
      `at thrower (${file}:${lineOf('mark:throw')})`,
    ]);
  });
});

/** The line of this file that ends with the comment `// <marker>`. */
function lineOf(marker: string): number {
  const source = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
  const index = source.findIndex((line) => line.trimEnd().endsWith(`// ${marker}`));
  if (index < 0) throw new Error(`no line marked ${marker}`);
  return index + 1;
}
