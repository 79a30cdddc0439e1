import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Coro, EventLoop, getRunningLoop, run, VirtualTimeLoop } from 'asyncio-ts';
import { describe, expect, it } from 'vitest';
import type { Output } from '../src/output.js';
import { formatClock, timestampedOutput } from '../src/output.js';
import { examples, findExample } from '../src/registry.js';

/** A printed line and the loop time it was printed at, in ms from the start of the run. */
type Printed = readonly [ms: number, line: string];

interface Recording {
  readonly printed: Printed[];
  /** `loop.time()` at the end minus `loop.time()` at the start. */
  readonly elapsed: number;
}

/** Runs `main(out)` with `run()` on a VirtualTimeLoop, recording each line with its loop time. */
async function record(main: (out: Output) => Coro<void>): Promise<Recording> {
  const printed: Printed[] = [];
  let loop: VirtualTimeLoop | undefined;
  let start = 0;
  const out: Output = {
    // The loop's clock, also for lines printed from a host callback (a stream's events).
    print(line) {
      printed.push([(loop ?? getRunningLoop()).time() - start, line]);
    },
  };
  // main is the task's own coroutine, as in the app, so call graphs show no frame of this file.
  await run(() => main(out), {
    loopFactory: () => {
      loop = new VirtualTimeLoop();
      start = loop.time();
      return loop;
    },
  });
  if (loop === undefined) throw new Error('run() did not call the loopFactory');
  return { printed, elapsed: loop.time() - start };
}

const expected: Record<string, Recording> = {
  'hello-world': {
    printed: [
      [0, 'hello'],
      [1000, 'world'],
    ],
    elapsed: 1000,
  },
  'say-after-sequential': {
    printed: [
      [0, 'started'],
      [1000, 'hello'],
      [3000, 'world'],
      [3000, 'finished'],
    ],
    elapsed: 3000,
  },
  'say-after-tasks': {
    printed: [
      [0, 'started'],
      [1000, 'hello'],
      [2000, 'world'],
      [2000, 'finished'],
    ],
    elapsed: 2000,
  },
  'nested-coroutine': {
    printed: [
      [0, 'nested() gave [object Generator] and ran nothing'],
      [0, 'nested() is running'],
      [0, '42'],
    ],
    elapsed: 0,
  },
  'awaiting-a-task': {
    printed: [
      [0, 'created a task; nested() has not run yet'],
      [0, 'nested() is running'],
      [0, '42'],
    ],
    elapsed: 0,
  },
  'future-from-callback': {
    printed: [
      [0, 'hello ...'],
      [1000, '... world'],
    ],
    elapsed: 1000,
  },
  // Each done callback runs as its task finishes, before wait() (a later callback) wakes main.
  'background-tasks': {
    printed: [
      [0, '3 tasks in the set'],
      [100, 'task 0 done'],
      [100, '2 left in the set'],
      [200, 'task 1 done'],
      [200, '1 left in the set'],
      [300, 'task 2 done'],
      [300, '0 left in the set'],
      [300, 'the set is empty: true'],
    ],
    elapsed: 300,
  },
  // The lines of each Python program in the example's comment, at the same times (CPython
  // prints True/False and seconds where these print true/false and ms).
  'cancel-cleanup': {
    printed: [
      [0, 'cancel_me(): before sleep'],
      [1000, 'cancel_me(): cancel sleep'],
      [1000, 'cancel_me(): after sleep'],
      [1000, 'main(): cancel_me is cancelled now'],
      [1000, 'task.cancelled() is true'],
    ],
    elapsed: 1000,
  },
  'cancel-suppressed': {
    printed: [
      [1000, 'main: cancel() requested, cancelling() = 1'],
      [1000, 'worker: cancelled while editing, cancelling() = 1'],
      [1500, 'worker: wrote a draft'],
      [1500, 'worker: uncancel(), cancelling() = 0'],
      [1500, "main: the task returned 'saved as a draft', cancelled() = false"],
    ],
    elapsed: 1500,
  },
  'task-group': {
    printed: [
      [0, 'started'],
      [1000, 'hello'],
      [2000, 'world'],
      [2000, 'Both tasks have completed now: hello after 1 s, world after 2 s'],
    ],
    elapsed: 2000,
  },
  // c's failure cancels b and the body at once, and the group ends as soon as they are done.
  'task-group-failure': {
    printed: [
      [0, 'a: start'],
      [0, 'b: start'],
      [0, 'c: start'],
      [500, 'a: done'],
      [1000, 'b: cancelled, closing its connection'],
      [1000, 'body: cancelled'],
      [1000, 'handled: c: the server went down'],
    ],
    elapsed: 1000,
  },
  // The docs' lines; task 2 is cancelled at 1 s, when the terminating task fails.
  'terminate-task-group': {
    printed: [
      [0, 'Task 1: start'],
      [0, 'Task 2: start'],
      [500, 'Task 1: done'],
      [1000, 'the group is terminated'],
    ],
    elapsed: 1000,
  },
  // Five lines, one a second; the fifth sees that another second would reach 5 s and stops.
  sleeping: {
    printed: [
      [0, 'loop time: 0.0 s'],
      [1000, 'loop time: 1.0 s'],
      [2000, 'loop time: 2.0 s'],
      [3000, 'loop time: 3.0 s'],
      [4000, 'loop time: 4.0 s'],
    ],
    elapsed: 4000,
  },
  // The docs' output, in its order, with a step of 500 ms for the docs' 1 s.
  'running-concurrently': {
    printed: [
      [0, 'Task A: Compute factorial(2), currently i=2...'],
      [0, 'Task B: Compute factorial(3), currently i=2...'],
      [0, 'Task C: Compute factorial(4), currently i=2...'],
      [500, 'Task A: factorial(2) = 2'],
      [500, 'Task B: Compute factorial(3), currently i=3...'],
      [500, 'Task C: Compute factorial(4), currently i=3...'],
      [1000, 'Task B: factorial(3) = 6'],
      [1000, 'Task C: Compute factorial(4), currently i=4...'],
      [1500, 'Task C: factorial(4) = 24'],
      [1500, '[2, 6, 24]'],
    ],
    elapsed: 1500,
  },
  // An eager task runs inside createTask: its lines come before the line after the call.
  'eager-task-factory': {
    printed: [
      [0, 'default factory: created, done() = false'],
      [0, 'cached(a) runs'],
      [0, 'a from the cache'],
      [0, 'cached(b) runs'],
      [0, 'eager factory: created, done() = true, getCoro() = null'],
      [0, 'fetched(c) starts'],
      [0, 'eager factory: created, done() = false'],
      [0, 'b from the cache'],
      [100, 'fetched(c) resumes'],
      [100, 'c from the network'],
    ],
    elapsed: 100,
  },
  shield: {
    printed: [
      [0, 'something(): started'],
      [1000, 'caller(): cancelled while awaiting the shield'],
      [1000, 'main(): caller() is cancelled: true'],
      [1000, 'main(): something() is cancelled: false, done: false'],
      [2000, 'something(): finished'],
      [2000, "main(): something() still gave 'the result'"],
    ],
    elapsed: 2000,
  },
  timeout: {
    printed: [
      [0, 'the long operation starts; it takes an hour'],
      [10_000, "The long operation timed out, but we've handled it."],
      [10_000, "(the TimeoutError's cause is a CancelledError: true)"],
      [10_000, 'This statement will run regardless.'],
    ],
    elapsed: 10_000,
  },
  'timeout-reschedule': {
    printed: [
      [0, 'no deadline yet: when() is null'],
      [0, 'deadline set to 10 s from now'],
      [10_000, "Looks like we haven't finished on time."],
      [11_000, 'step 1 of 3 done'],
      [11_000, 'two steps left: deadline pushed to 3 s from now'],
      [12_000, 'step 2 of 3 done'],
      [13_000, 'step 3 of 3 done'],
      [13_000, 'all steps done, expired() = false'],
    ],
    elapsed: 13_000,
  },
  'wait-for': {
    printed: [[1000, 'timeout!']],
    elapsed: 1000,
  },
  wait: {
    printed: [
      [100, 'FIRST_COMPLETED: done a; pending b, c'],
      [200, 'FIRST_EXCEPTION: done a, b; pending c'],
      [300, 'ALL_COMPLETED: done a, b, c; pending -'],
      [300, 'a: done after 100 ms'],
      [300, 'b: failed after 200 ms'],
      [300, 'c: done after 300 ms'],
      [500, 'timeout 200 ms: done -; pending slow'],
    ],
    elapsed: 500,
  },
  'as-completed': {
    printed: [
      [100, 'fast after 100 ms'],
      [200, 'medium after 200 ms'],
      [300, 'slow after 300 ms'],
      [400, 'quick after 100 ms'],
      [800, 'timed out; stuck is done: false'],
    ],
    elapsed: 800,
  },
  // A worker thread really blocks; the ticks and the bell are the loop's own, on virtual time.
  'running-in-threads': {
    printed: [
      [0, 'started main'],
      [0, 'blockingIo is running on a worker thread'],
      [300, 'tick 1: the loop is free while blockingIo blocks'],
      [600, 'tick 2: the loop is free while blockingIo blocks'],
      [900, 'tick 3: the loop is free while blockingIo blocks'],
      [900, 'ringing the bell'],
      [900, 'blockingIo returned: woken by the bell'],
      [900, 'finished main'],
    ],
    elapsed: 900,
  },
  'scheduling-from-threads': {
    printed: [
      [0, 'asking a worker thread for the price list'],
      [0, 'loop: looking up apple'],
      [100, 'loop: looking up pear'],
      [200, 'loop: looking up plum'],
      [300, 'worker: 3 items cost 3.75'],
    ],
    elapsed: 300,
  },
  // The call graph the inspector task prints, as the example shortens it (file names only).
  introspection: {
    printed: [
      [100, "* Task(name='inspector', id=0x1)"],
      [100, '  + Call stack:'],
      [100, "  |   File 'introspection.ts', line 45, in async inspect()"],
      [100, '  + Awaited by:'],
      [100, "    * Task(name='fetcher', id=0x2)"],
      [100, '      + Call stack:'],
      [100, "      |   File 'introspection.ts', line 50, in async fetchPages()"],
      [100, '      + Awaited by:'],
      [100, "        * Task(name='main', id=0x3)"],
      [100, '          + Call stack:'],
      [100, "          |   File 'introspection.ts', line 59, in async main()"],
      [200, 'fetcher: done'],
      [200, 'main: done'],
    ],
    elapsed: 200,
  },
  // The done callback runs before the awaiter resumes: both are callbacks of the task, in order.
  'task-object': {
    printed: [
      [0, 'worker: done() = false, getCoro() is coro: true'],
      [0, 'result() while pending: InvalidStateError: Result is not ready.'],
      [100, 'callback: worker gave 42'],
      [100, 'worker: done() = true, cancelled() = false, result() = 42, exception() = null'],
      [200, "parser: exception() = RangeError: not a number: 'forty-two'"],
      [200, 'parser: getStack() has the frame of parse()'],
      [200, 'sleeper: cancelled() = true'],
      [200, 'sleeper: result() throws CancelledError: no longer needed'],
    ],
    elapsed: 200,
  },
  // The same lines at the same times as the Python program in the example's comment.
  'queue-pipeline': {
    printed: [
      [0, 'put job-1 (300 ms)'],
      [0, 'put job-2 (100 ms)'],
      [0, 'worker-1 starts job-1'],
      [0, 'worker-2 starts job-2'],
      [0, 'put job-3 (200 ms)'],
      [0, 'put job-4 (400 ms)'],
      [100, 'worker-2 finished job-2'],
      [100, 'worker-2 starts job-3'],
      [100, 'put job-5 (100 ms)'],
      [300, 'worker-1 finished job-1'],
      [300, 'worker-1 starts job-4'],
      [300, 'worker-2 finished job-3'],
      [300, 'worker-2 starts job-5'],
      [300, 'put job-6 (200 ms)'],
      [400, 'worker-2 finished job-5'],
      [400, 'worker-2 starts job-6'],
      [600, 'worker-2 finished job-6'],
      [700, 'worker-1 finished job-4'],
      [700, 'every job is done'],
    ],
    elapsed: 700,
  },
  'semaphore-downloads': {
    printed: [
      [0, 'a.zip starts'],
      [0, 'b.zip starts'],
      [100, 'b.zip done (100 ms)'],
      [100, 'c.zip starts'],
      [300, 'a.zip done (300 ms)'],
      [300, 'c.zip done (200 ms)'],
      [300, 'd.zip starts'],
      [300, 'e.zip starts'],
      [400, 'd.zip done (100 ms)'],
      [600, 'e.zip done (300 ms)'],
      [600, 'all downloads done'],
    ],
    elapsed: 600,
  },
  'barrier-phases': {
    printed: [
      [100, 'A finished phase 1'],
      [200, 'B finished phase 1'],
      [300, 'C finished phase 1'],
      [300, 'all 3 finished phase 1'],
      [400, 'B finished phase 2'],
      [500, 'C finished phase 2'],
      [600, 'A finished phase 2'],
      [600, 'all 3 finished phase 2'],
    ],
    elapsed: 600,
  },
  // The stream's events come from the host between the loop's turns; on a VirtualTimeLoop the
  // host gets its turn before every jump of the clock, so the lines land at the same times.
  'stream-into-queue': {
    printed: [
      [0, 'queue full: stream paused at charlie'],
      [0, 'worker-1 handles alpha'],
      [0, 'stream resumed'],
      [0, 'worker-2 handles bravo'],
      [0, 'queue full: stream paused at echo'],
      [100, 'worker-1 handles charlie'],
      [100, 'stream resumed'],
      [100, 'worker-2 handles delta'],
      [100, 'stream ended'],
      [200, 'worker-1 handles echo'],
      [200, 'worker-2 handles foxtrot'],
      [300, 'lines handled: 3 + 3 = 6'],
    ],
    elapsed: 300,
  },
};

describe('every example, run on a VirtualTimeLoop', () => {
  it.each(examples.map((example) => example.name))(
    '%s prints its lines at their times',
    async (name) => {
      const example = findExample(name)!;
      expect(await record(example.main)).toEqual(expected[name]);
    },
  );

  it('stream-into-queue prints the same lines on a real EventLoop', async () => {
    const lines: string[] = [];
    await run(() => findExample('stream-into-queue')!.main({ print: (line) => lines.push(line) }), {
      loopFactory: () => new EventLoop(),
    });
    expect(lines).toEqual(expected['stream-into-queue']!.printed.map(([, line]) => line));
  });

  it('has an expectation for every registered example and no other', () => {
    expect(Object.keys(expected).sort()).toEqual(examples.map((example) => example.name).sort());
  });
});

describe('the registry', () => {
  it('registers every file in src/examples under its file name', () => {
    const dir = fileURLToPath(new URL('../src/examples/', import.meta.url));
    const files = readdirSync(dir)
      .filter((file) => file.endsWith('.ts'))
      .map((file) => file.slice(0, -'.ts'.length));
    expect(examples.map((example) => example.name).sort()).toEqual(files.sort());
  });

  it('gives every example a one-line description', () => {
    for (const example of examples) {
      expect(example.description).toMatch(/^[^\n]{10,100}$/);
    }
  });
});

describe('the output', () => {
  it('puts the wall-clock time as HH:MM:SS in front of each line', () => {
    const written: string[] = [];
    const out = timestampedOutput(
      (text) => written.push(text),
      () => new Date(2024, 0, 1, 9, 5, 7),
    );
    out.print('hello');
    expect(written).toEqual(['09:05:07 hello\n']);
    expect(formatClock(new Date(2024, 0, 1, 23, 59, 0))).toBe('23:59:00');
  });
});

describe('dist/main.js', () => {
  const mainJs = fileURLToPath(new URL('../dist/main.js', import.meta.url));
  const node = (...args: string[]) =>
    spawnSync(process.execPath, [mainJs, ...args], { encoding: 'utf8', timeout: 30_000 });

  it('--list lists every example with its description', () => {
    const result = node('--list');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(examples.length);
    examples.forEach((example, index) => {
      expect(lines[index]).toMatch(
        new RegExp(`^${example.name} +${escapeRegExp(example.description)}$`),
      );
    });
  });

  it('runs one example by name, each line after its HH:MM:SS time', () => {
    const result = node('--', 'nested-coroutine');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /^\d\d:\d\d:\d\d nested\(\) gave \[object Generator\] and ran nothing$/,
      ),
      expect.stringMatching(/^\d\d:\d\d:\d\d nested\(\) is running$/),
      expect.stringMatching(/^\d\d:\d\d:\d\d 42$/),
    ]);
  });

  it('refuses an unknown example with exit code 2 and the list', () => {
    const result = node('no-such-example');
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('unknown example: no-such-example');
    for (const example of examples) expect(result.stderr).toContain(example.name);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
