import { type Coro, VirtualTimeLoop } from '@asyncio-ts/core-loop';
import { describe, expect, it } from 'vitest';
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
