import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type Coro,
  getRunningLoop,
  setIntrospection,
  VirtualTimeLoop,
} from '@asyncio-ts/core-loop';
import { createTask, currentTask, run, sleep, type Task } from '@asyncio-ts/tasks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  captureCallGraph,
  formatCallGraph,
  futureId,
  printCallGraph,
  pythonRepr,
  renderCallGraph,
} from '../src/index.js';

const FILE = fileURLToPath(import.meta.url);
const SOURCE = readFileSync(FILE, 'utf8').split('\n');

/** The line of this file that ends with the comment `// <marker>`. */
function lineOf(marker: string): number {
  const index = SOURCE.findIndex((line) => line.trimEnd().endsWith(`// ${marker}`));
  if (index < 0) throw new Error(`no line marked ${marker}`);
  return index + 1;
}

function hexId(task: object): string {
  return `0x${futureId(task as Task<unknown>).toString(16)}`;
}

function runLoop<T>(main: () => Coro<T>): Promise<T> {
  return run(main, { loopFactory: () => new VirtualTimeLoop() });
}

describe('formatCallGraph', () => {
  beforeEach(() => setIntrospection(true));
  afterEach(() => setIntrospection(false));

  it('lays the graph out as CPython does: call stacks, then awaiters indented four spaces a level', async () => {
    let text = '';
    let worker: Task<void> | null = null;
    let root: Task<unknown> | null = null;
    function describeHere(): string {
      return formatCallGraph(); // mark:describe
    }
    function* leaf(): Coro<void> {
      yield* sleep(0);
      text = describeHere(); // mark:leaf
    }
    function* work(): Coro<void> {
      yield* leaf(); // mark:work
    }
    await runLoop(function* main() {
      root = currentTask();
      worker = createTask(work(), { name: 'worker' });
      yield* worker; // mark:main
    });
    const file = `'${FILE}'`;
    expect(text).toBe(
      [
        `* Task(name='worker', id=${hexId(worker!)})`,
        '  + Call stack:',
        `  |   File ${file}, line ${lineOf('mark:describe')}, in describeHere()`,
        `  |   File ${file}, line ${lineOf('mark:leaf')}, in async leaf()`,
        `  |   File ${file}, line ${lineOf('mark:work')}, in async work()`,
        '  + Awaited by:',
        `    * Task(name='${root!.getName()}', id=${hexId(root!)})`,
        '      + Call stack:',
        `      |   File ${file}, line ${lineOf('mark:main')}, in async main()`,
      ].join('\n'),
    );
  });

  it('shows a plain Future by id, and renders a graph captured earlier', async () => {
    const lines = await runLoop(function* () {
      const fut = getRunningLoop().createFuture<void>();
      const graph = captureCallGraph(fut)!;
      const rendered = renderCallGraph(graph);
      fut.setResult();
      return [rendered, `* Future(id=${hexId(fut)})`];
    });
    expect(lines[0]).toBe(lines[1]);
  });

  it('printCallGraph writes the text and a newline, to standard output by default', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const written: string[] = [];
    const file = { write: (text: string) => written.push(text) };
    let task: Task<unknown> | null = null;
    try {
      await runLoop(function* main() {
        task = currentTask();
        for (const target of [undefined, file]) printCallGraph(null, target && { file: target }); // mark:print
      });
      const expected = [
        `* Task(name='${task!.getName()}', id=${hexId(task!)})`,
        '  + Call stack:',
        `  |   File '${FILE}', line ${lineOf('mark:print')}, in async main()`,
        '',
      ].join('\n');
      expect([write.mock.calls.map((call) => call[0]), written]).toEqual([[expected], [expected]]);
    } finally {
      write.mockRestore();
    }
  });
});

describe('pythonRepr', () => {
  it('quotes as Python repr() does', () => {
    expect([
      pythonRepr('worker'),
      pythonRepr("it's"),
      pythonRepr('say "hi"'),
      pythonRepr(`both ' and "`),
      pythonRepr('back\\slash\nline\ttab'),
    ]).toEqual([
      "'worker'",
      `"it's"`,
      `'say "hi"'`,
      `'both \\' and "'`,
      "'back\\\\slash\\nline\\ttab'",
    ]);
  });
});
