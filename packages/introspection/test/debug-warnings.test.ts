import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CancelledError,
  type Coro,
  type ExceptionContext,
  getRunningLoop,
  logger,
  VirtualTimeLoop,
} from '@asyncio-ts/core-loop';
import { taskGroup } from '@asyncio-ts/task-groups';
import { createTask, currentTask, run, sleep, type Task } from '@asyncio-ts/tasks';
import { hostTurn } from '@asyncio-ts/test-utils';
import { timeout } from '@asyncio-ts/timeouts';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';

const FILE = fileURLToPath(import.meta.url);
const SOURCE = readFileSync(FILE, 'utf8').split('\n');

/** The line of this file that ends with the comment `// <marker>`. */
function lineOf(marker: string): number {
  const index = SOURCE.findIndex((line) => line.trimEnd().endsWith(`// ${marker}`));
  if (index < 0) throw new Error(`no line marked ${marker}`);
  return index + 1;
}

function runDebug<T>(main: () => Coro<T>, debug = true): Promise<T> {
  return run(main, { debug, loopFactory: () => new VirtualTimeLoop() });
}

/** Collects garbage until `done()` holds, giving finalizers host turns to run. */
async function collectUntil(done: () => boolean, rounds = 20): Promise<boolean> {
  for (let i = 0; i < rounds && !done(); i++) {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return done();
}

let warnings: string[];
let warning: MockInstance<(message: string) => void>;

beforeEach(() => {
  warnings = [];
  warning = vi.spyOn(logger, 'warning').mockImplementation((message) => {
    warnings.push(message);
  });
});
afterEach(() => warning.mockRestore());

/** Catches the cancellation and returns: the cancellation is swallowed. */
function* swallower(undo: boolean): Coro<string> {
  try {
    yield* sleep(1000);
  } catch (error) {
    if (!(error instanceof CancelledError)) throw error;
    if (undo) currentTask()!.uncancel();
  }
  return 'went on';
}

describe('debug mode: a task that swallowed a cancellation', () => {
  it('is reported once, when it returns, naming the task', async () => {
    const result = await runDebug(function* () {
      const task = createTask(swallower(false), { name: 'stubborn' });
      yield* sleep(10);
      task.cancel();
      const value = yield* task;
      yield* sleep(10);
      return [value, task.cancelling()];
    });
    expect(result).toEqual(['went on', 1]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^<Task cancelling name=stubborn coro=<swallower\(\) running at .*> cb=\[Task.wakeup\(\)\] created at .*> was cancelled but returned normally \(cancelling\(\) is 1\): its coroutine caught CancelledError without calling uncancel\(\)$/,
    );
  });

  it('is not reported when the coroutine undid the request with uncancel()', async () => {
    await runDebug(function* () {
      const task = createTask(swallower(true));
      yield* sleep(10);
      task.cancel();
      yield* task;
    });
    expect(warnings).toEqual([]);
  });

  it('is not reported for a timeout that expired and was handled, nor for a task that ended cancelled', async () => {
    const outcome = await runDebug(function* () {
      let expired = false;
      try {
        yield* timeout(5, function* () {
          yield* sleep(1000);
        });
      } catch {
        expired = true;
      }
      const cancelled = createTask(sleep(1000));
      yield* sleep(1);
      cancelled.cancel();
      yield* sleep(1);
      return [expired, cancelled.cancelled()];
    });
    expect(outcome).toEqual([true, true]);
    expect(warnings).toEqual([]);
  });

  it('is not reported when a task group cancelled its children and they ended cancelled', async () => {
    await runDebug(function* () {
      try {
        yield* taskGroup(function* (tg) {
          tg.createTask(sleep(1000));
          tg.createTask(sleep(1000));
          yield* sleep(1);
          throw new Error('body failed');
        });
      } catch {
        // the group's ExceptionGroup
      }
    });
    expect(warnings).toEqual([]);
  });

  it('is not reported outside debug mode', async () => {
    await runDebug(function* () {
      const task = createTask(swallower(false));
      yield* sleep(10);
      task.cancel();
      yield* task;
    }, false);
    expect(warnings).toEqual([]);
  });
});

describe('debug mode: where tasks are', () => {
  it("a task's toString names its coroutine, the line it waits at and where it was created", async () => {
    function* waiting(): Coro<void> {
      yield* sleep(1000); // mark:waits
    }
    const text = await runDebug(function* () {
      const task = createTask(waiting(), { name: 'w' }); // mark:created
      yield* sleep(1);
      const shown = String(task);
      task.cancel();
      return shown;
    });
    expect(text).toMatch(
      new RegExp(
        `^<Task pending name=w coro=<waiting\\(\\) running at ${FILE}:${lineOf('mark:waits')}> ` +
          `wait_for=<Future pending cb=\\[Task.wakeup\\(\\)\\]> created at (file://)?${FILE}:${lineOf('mark:created')}:\\d+>$`,
      ),
    );
  });

  it('outside debug mode a task shows neither', async () => {
    const text = await runDebug(function* () {
      const task = createTask(sleep(1000), { name: 'quiet' });
      yield* sleep(1);
      const shown = String(task);
      task.cancel();
      return shown;
    }, false);
    expect(text).toBe('<Task pending name=quiet wait_for=<Future pending cb=[Task.wakeup()]>>');
  });

  it('a slow step is reported with the task, the line it suspended at next and where it was created', async () => {
    function* slowpoke(): Coro<void> {
      yield* sleep(0);
      yield* sleep(5); // mark:after-slow
    }
    await runDebug(function* () {
      getRunningLoop().slowCallbackDuration = 0;
      yield* createTask(slowpoke(), { name: 'slowpoke' }); // mark:slow-created
    });
    const about = warnings.filter((text) => text.includes('name=slowpoke'));
    const pattern = new RegExp(
      `^Executing <Task pending name=slowpoke coro=<slowpoke\\(\\) running at ${FILE}:${lineOf(
        'mark:after-slow',
      )}> .*created at (file://)?${FILE}:${lineOf('mark:slow-created')}:\\d+> took \\d+\\.\\d{3} seconds$`,
    );
    expect(about.some((text) => pattern.test(text))).toBe(true);
  });

  it('"Task exception was never retrieved" carries the stack where the task was created', async () => {
    const reports: ExceptionContext[] = [];
    function* failing(): Coro<void> {
      yield* sleep(1);
      throw new Error('nobody looks');
    }
    function spawnFailing(): void {
      createTask(failing()); // mark:failing-created
    }
    await runDebug(function* () {
      getRunningLoop().setExceptionHandler((_loop, context) => reports.push(context));
      spawnFailing();
      yield* sleep(10);
      for (let turn = 0; turn < 100 && reports.length === 0; turn++) {
        (globalThis as { gc?: () => void }).gc?.();
        yield hostTurn();
      }
    });
    expect(reports).toHaveLength(1);
    const report = reports[0]!;
    expect([report.message, (report.exception as Error).message]).toEqual([
      'Task exception was never retrieved',
      'nobody looks',
    ]);
    const firstFrame = String(report.sourceTraceback).split('\n')[0]!.trim();
    expect(firstFrame).toMatch(
      new RegExp(
        `^at spawnFailing \\((file://)?${FILE}:${lineOf('mark:failing-created')}:\\d+\\)$`,
      ),
    );
  });
});

describe('debug mode: a coroutine that was never awaited', () => {
  it('a sleep() made and dropped is reported once, with where it was made', async () => {
    function dropSleep(): void {
      sleep(100); // mark:dropped
    }
    await runDebug(function* () {
      dropSleep();
      yield* sleep(1);
    });
    expect(await collectUntil(() => warnings.some((text) => text.includes('never awaited')))).toBe(
      true,
    );
    await collectUntil(() => false, 3);
    const reported = warnings.filter((text) => text.includes('never awaited'));
    expect(reported).toHaveLength(1);
    const lines = reported[0]!.split('\n');
    expect(lines.slice(0, 2)).toEqual([
      "coroutine 'sleep' was never awaited",
      'Coroutine created at (most recent call first):',
    ]);
    expect(lines[2]!.trim()).toMatch(
      new RegExp(`^at dropSleep \\((file://)?${FILE}:${lineOf('mark:dropped')}:\\d+\\)$`),
    );
  });

  it('a sleep(0) made and dropped is reported too', async () => {
    await runDebug(function* () {
      sleep(0);
      yield* sleep(1);
    });
    expect(await collectUntil(() => warnings.some((text) => text.includes('never awaited')))).toBe(
      true,
    );
    expect(warnings.filter((text) => text.includes('never awaited'))).toHaveLength(1);
  });

  it('a sleep(0) that was awaited, thrown into or closed is not reported', async () => {
    await runDebug(function* () {
      yield* sleep(0);
      sleep(0).return(undefined);
      try {
        sleep(0).throw(new Error('into it'));
      } catch {
        // thrown back out, as a generator does
      }
    });
    await collectUntil(() => false, 4);
    expect(warnings.filter((text) => text.includes('never awaited'))).toEqual([]);
  });

  it('a sleep() that was awaited, thrown into or closed is not reported', async () => {
    await runDebug(function* () {
      yield* sleep(1);
      const closed = sleep(5);
      closed.return(undefined);
      const thrown = sleep(5);
      try {
        thrown.throw(new Error('into it'));
      } catch {
        // thrown back out, as a generator does
      }
    });
    await collectUntil(() => false, 4);
    expect(warnings.filter((text) => text.includes('never awaited'))).toEqual([]);
  });

  it('is not watched outside debug mode', async () => {
    await runDebug(function* () {
      sleep(100);
      yield* sleep(1);
    }, false);
    await collectUntil(() => false, 4);
    expect(warnings.filter((text) => text.includes('never awaited'))).toEqual([]);
  });
});

/** Keeps the type import used: tasks are what these tests look at. */
export type { Task };
