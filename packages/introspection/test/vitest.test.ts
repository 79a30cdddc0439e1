/**
 * runWithDump: a test whose loop hangs fails with the await tree of its pending tasks (who
 * waits on what, and where), instead of a bare timeout.
 */
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CancelledError,
  type Coro,
  type EventLoop,
  type Future,
  futureAddToAwaitedBy,
  getRunningLoop,
  TimeoutError,
  VirtualTimeLoop,
} from '@asyncio-ts/core-loop';
import { createTask, gather, sleep } from '@asyncio-ts/tasks';
import { expectError, hostTurn, rejectionOf } from '@asyncio-ts/test-utils';
import { describe, expect, test } from 'vitest';
import { formatTaskDump, runWithDump } from '../src/vitest.js';

const thisFile = fileURLToPath(import.meta.url);
const sourceLines = fs.readFileSync(thisFile, 'utf8').split('\n');

/** The line of this file that ends with `marker`, as a frame reads it: `name vitest.test.ts:N`. */
function at(name: string, marker: string): string {
  const index = sourceLines.findIndex((line) => line.endsWith(marker));
  expect(index).toBeGreaterThanOrEqual(0);
  return `${name} vitest.test.ts:${index + 1}`;
}

/** The dump with this file's path shortened and task numbers left out. */
function normalised(text: string): string[] {
  return text
    .replaceAll(thisFile, 'vitest.test.ts')
    .replace(/Task-\d+/g, 'Task-N')
    .split('\n');
}

async function closedSoon(loop: EventLoop): Promise<boolean> {
  for (let turn = 0; turn < 20 && !loop.isClosed(); turn++) await hostTurn();
  return loop.isClosed();
}

function* waitForSignal(signal: Future<string>): Coro<string> {
  return yield* signal; // waitForSignal
}

function* consumer(signal: Future<string>, log: string[]): Coro<string> {
  try {
    return yield* waitForSignal(signal); // consumer
  } catch (error) {
    log.push(error instanceof CancelledError ? 'consumer cancelled' : 'consumer failed');
    throw error;
  }
}

describe('runWithDump', () => {
  test('a loop that hangs on a signal nobody sends fails with the tree of its waiting tasks', async () => {
    const log: string[] = [];
    const loop = new VirtualTimeLoop();
    function* main(): Coro<string[]> {
      const signal = getRunningLoop().createFuture<string>();
      const first = createTask(consumer(signal, log), { name: 'consumer-1' });
      const second = createTask(consumer(signal, log), { name: 'consumer-2' });
      yield* sleep(1500);
      return yield* gather([first, second]); // main
    }
    const error = await rejectionOf(runWithDump(main, { timeoutMs: 20, loopFactory: () => loop }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(normalised((error as Error).message)).toEqual([
      'main did not finish within 20 ms; 3 pending tasks at loop time 1500 ms:',
      '└── (T) Task-N',
      `    └──  ${at('main', '// main')}`,
      '        ├── (T) consumer-1',
      `        │   └──  ${at('consumer', '// consumer')}`,
      `        │       └──  ${at('waitForSignal', '// waitForSignal')}`,
      '        └── (T) consumer-2',
      `            └──  ${at('consumer', '// consumer')}`,
      `                └──  ${at('waitForSignal', '// waitForSignal')}`,
    ]);
    expect(await closedSoon(loop)).toBe(true);
    expect(log).toEqual(['consumer cancelled', 'consumer cancelled']);
  });

  test('settles with the result of a main that finishes in time; the deadline is real time, not loop time', async () => {
    const loop = new VirtualTimeLoop();
    function* main(): Coro<string> {
      yield* sleep(60_000);
      return `done at ${getRunningLoop().time()}`;
    }
    expect(await runWithDump(main, { timeoutMs: 5000, loopFactory: () => loop })).toBe(
      'done at 60000',
    );
    expect(loop.isClosed()).toBe(true);
  });

  test('rejects with what main throws, and closes the loop', async () => {
    const loop = new VirtualTimeLoop();
    function* main(): Coro<never> {
      yield* sleep(10);
      throw new RangeError('bad input');
    }
    const error = await rejectionOf(runWithDump(main, { loopFactory: () => loop }));
    expectError(error, RangeError, 'bad input');
    expect(loop.isClosed()).toBe(true);
  });

  test("when the test's signal aborts, the dump is written at once and the run rejects with it", async () => {
    const log: string[] = [];
    const written: string[] = [];
    const controller = new AbortController();
    function* main(): Coro<string> {
      const signal = getRunningLoop().createFuture<string>();
      setImmediate(() => controller.abort());
      return yield* consumer(signal, log); // aborted main
    }
    const error = await rejectionOf(
      runWithDump(main, {
        loopFactory: () => new VirtualTimeLoop(),
        context: { signal: controller.signal },
        output: { write: (text: string) => written.push(text) },
      }),
    );
    const expected = [
      'main was aborted by the test runner; 1 pending task at loop time 0 ms:',
      '└── (T) Task-N',
      `    └──  ${at('main', '// aborted main')}`,
      `        └──  ${at('consumer', '// consumer')}`,
      `            └──  ${at('waitForSignal', '// waitForSignal')}`,
    ];
    expect(error).toBeInstanceOf(TimeoutError);
    expect(normalised((error as Error).message)).toEqual(expected);
    expect(written.map(normalised)).toEqual([[...expected, '']]);
  });

  test('does not hang on a main that ignores its cancellation', async () => {
    const log: string[] = [];
    function* stubborn(): Coro<void> {
      const never = getRunningLoop().createFuture<void>();
      try {
        yield* never;
      } catch {
        log.push('ignored the cancellation');
      }
      yield* getRunningLoop().createFuture<void>();
    }
    const error = await rejectionOf(
      runWithDump(stubborn, { timeoutMs: 10, loopFactory: () => new VirtualTimeLoop() }),
    );
    expect([(error as Error).constructor, normalised((error as Error).message)[0]]).toEqual([
      TimeoutError,
      'main did not finish within 10 ms; 1 pending task at loop time 0 ms:',
    ]);
    await hostTurn();
    expect(log).toEqual(['ignored the cancellation']);
  });
});

describe('formatTaskDump', () => {
  test('names tasks that await each other as a cycle and shows the task table instead of a tree', async () => {
    function* waitOn<T>(awaited: Future<T>): Coro<T> {
      return yield* awaited;
    }
    function* main(): Coro<void> {
      const gate = getRunningLoop().createFuture<void>();
      const a = createTask(waitOn(gate), { name: 'a' });
      const b = createTask(waitOn(a), { name: 'b' });
      // a also awaits b, as a combinator working for a would record it: a deadlock.
      futureAddToAwaitedBy(b, a);
      yield* b;
    }
    const error = await rejectionOf(
      runWithDump(main, { timeoutMs: 10, loopFactory: () => new VirtualTimeLoop() }),
    );
    const lines = normalised((error as Error).message);
    expect(lines.slice(0, 6)).toEqual([
      'main did not finish within 10 ms; 3 pending tasks at loop time 0 ms:',
      'await-graph contains cycles - cannot print a tree!',
      '',
      'cycle: b → a → b',
      '',
      'loop  task id  task name  state    coroutine stack  awaiter chain  awaiter name  awaiter id',
    ]);
    expect(lines.slice(7).map((line) => line.split(/ {2,}/).slice(2))).toEqual([
      ['Task-N', 'pending', 'main'],
      ['a', 'pending', 'waitOn', 'waitOn', 'b', expect.stringMatching(/^0x[0-9a-f]+$/)],
      ['b', 'pending', 'waitOn', 'waitOn', 'a', expect.stringMatching(/^0x[0-9a-f]+$/)],
      ['b', 'pending', 'waitOn', 'main', 'Task-N', expect.stringMatching(/^0x[0-9a-f]+$/)],
    ]);
  });

  test('of a loop with no pending task is one line', () => {
    expect(formatTaskDump(new VirtualTimeLoop())).toBe('0 pending tasks at loop time 0 ms:');
  });
});
