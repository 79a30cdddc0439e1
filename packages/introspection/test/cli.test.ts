/**
 * `asyncio-ts ps PID` and `asyncio-ts pstree PID`, end to end: the real CLI against a live child
 * process running a tree of tasks.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  type Coro,
  type Future,
  futureAddToAwaitedBy,
  getRunningLoop,
  wrapFuture,
} from '@asyncio-ts/core-loop';
import { createTask, sleep } from '@asyncio-ts/tasks';
import { runVirtual } from '@asyncio-ts/test-utils';
import { afterEach, describe, expect, test } from 'vitest';
import { main as cli } from '../src/cli.js';
import { enableLiveView } from '../src/index.js';
import { type Child, GATHER_PROGRAM, runCli, startChild, withoutDir } from './server-fixture.js';

const OPT_IN_HINT =
  'Start it with `node --import @asyncio-ts/introspection/live ...`, ' +
  'or call enableLiveView() from @asyncio-ts/introspection in it.';

let child: Child | null = null;

afterEach(async () => {
  if (child !== null && child.process.exitCode === null && child.process.signalCode === null) {
    child.process.kill('SIGKILL');
    await child.exited;
  }
  child = null;
});

describe('asyncio-ts against a process that opted in', () => {
  test('pstree prints the await tree: main awaiting both workers, each where it is suspended', async () => {
    child = await startChild(GATHER_PROGRAM, { optIn: 'import' });
    const result = runCli(['pstree', String(child.pid)], child.env);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(withoutDir(result.stdout, child).split('\n')).toEqual([
      '└── (T) Task-1',
      '    └──  main child.mjs:19',
      '        ├── (T) worker-a',
      '        │   └──  worker child.mjs:8',
      '        │       └──  fetchItem child.mjs:5',
      '        └── (T) worker-b',
      '            └──  worker child.mjs:8',
      '                └──  fetchItem child.mjs:5',
      '',
    ]);
  });

  test('ps prints one row per task and awaiter', async () => {
    child = await startChild(GATHER_PROGRAM, { optIn: 'import' });
    const result = runCli(['ps', String(child.pid)], child.env);
    expect([result.code, result.stderr]).toEqual([0, '']);
    const rows = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split(/ {2,}/));
    expect(rows).toEqual([
      [
        'loop',
        'task id',
        'task name',
        'state',
        'coroutine stack',
        'awaiter chain',
        'awaiter name',
        'awaiter id',
      ],
      [expect.stringMatching(/^-+$/)],
      ['1', '0x1', 'Task-1', 'pending', 'main'],
      ['1', '0x2', 'worker-a', 'pending', 'fetchItem -> worker', 'main', 'Task-1', '0x1'],
      ['1', '0x3', 'worker-b', 'pending', 'fetchItem -> worker', 'main', 'Task-1', '0x1'],
    ]);
  });

  test('the process goes on undisturbed and ends by itself after being looked at', async () => {
    child = await startChild(GATHER_PROGRAM, { optIn: 'import' });
    expect(runCli(['ps', String(child.pid)], child.env).code).toBe(0);
    expect(runCli(['pstree', String(child.pid)], child.env).code).toBe(0);
    child.process.stdin!.end();
    expect(await child.exited).toEqual({
      code: 0,
      signal: null,
      stdout: 'ready\nreleased released\n',
      stderr: '',
    });
  });
});

describe('asyncio-ts against a process it cannot read', () => {
  test('a process that did not opt in gets a message saying how to opt in, and status 1', async () => {
    child = await startChild(GATHER_PROGRAM, { optIn: 'none' });
    for (const command of ['ps', 'pstree']) {
      expect(runCli([command, String(child.pid)], child.env)).toEqual({
        code: 1,
        signal: null,
        stdout: '',
        stderr: `Error retrieving tasks: Process ${child.pid} does not serve a live view of its tasks. ${OPT_IN_HINT}\n`,
      });
    }
  });

  test('a socket left behind by a dead process of the same PID is named as such, status 1', async () => {
    child = await startChild(GATHER_PROGRAM, { optIn: 'none' });
    const stale = path.join(child.runtimeDir, `asyncio-ts-${child.pid}.sock`);
    const killed = spawnSync(process.execPath, [
      '-e',
      `require('node:net').createServer().listen(${JSON.stringify(stale)}, () => process.kill(process.pid, 'SIGKILL'))`,
    ]);
    expect([killed.signal, fs.statSync(stale).isSocket()]).toEqual(['SIGKILL', true]);
    expect(runCli(['pstree', String(child.pid)], child.env)).toEqual({
      code: 1,
      signal: null,
      stdout: '',
      stderr: `Error retrieving tasks: Process ${child.pid} does not serve a live view of its tasks (${stale} is left from an earlier process). ${OPT_IN_HINT}\n`,
    });
  });

  test('a PID that names no process gets a message saying so, and status 1', () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const pid = gone.stdout;
    expect(runCli(['ps', pid])).toEqual({
      code: 1,
      signal: null,
      stdout: '',
      stderr: `Error retrieving tasks: No process with PID ${pid}.\n`,
    });
  });

  test('a missing or malformed PID or an unknown command is a usage error, status 2', () => {
    const usage = runCli([]);
    expect([usage.code, usage.stdout]).toEqual([2, '']);
    expect(usage.stderr.split('\n').slice(0, 5)).toEqual([
      'usage: asyncio-ts <command> PID',
      '',
      'commands:',
      '  ps PID       table of the pending tasks of process PID',
      '  pstree PID   await tree of the pending tasks of process PID',
    ]);
    expect(runCli(['top', '1']).code).toBe(2);
    expect(runCli(['ps', '1', '2']).code).toBe(2);
    expect(runCli(['ps', '12ab'])).toEqual({
      code: 2,
      signal: null,
      stdout: '',
      stderr: "asyncio-ts ps: PID must be a positive integer, got '12ab'\n",
    });
  });

  test('--help prints the usage on standard output, status 0', () => {
    const help = runCli(['--help']);
    expect([help.code, help.stderr, help.stdout.split('\n')[0]]).toEqual([
      0,
      '',
      'usage: asyncio-ts <command> PID',
    ]);
  });
});

/** Runs the CLI in this process, from a coroutine: this process's own live view answers. */
function* runCliHere(args: string[]): Coro<[number, string, string]> {
  let stdout = '';
  let stderr = '';
  const output = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  };
  const code = yield* wrapFuture(cli(args, output));
  return [code, stdout, stderr];
}

describe('asyncio-ts against tasks that await each other', () => {
  test('pstree names the cycle on standard error with status 1; ps still prints the table', async () => {
    const savedRuntimeDir = process.env.XDG_RUNTIME_DIR;
    process.env.XDG_RUNTIME_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncio-ts-live-'));
    const view = await enableLiveView();
    try {
      function* waitOn<T>(awaited: Future<T>): Coro<T> {
        return yield* awaited;
      }
      const [tree, table] = await runVirtual(function* () {
        const gate = getRunningLoop().createFuture<void>();
        const a = createTask(waitOn(gate), { name: 'a' });
        const b = createTask(waitOn(a), { name: 'b' });
        futureAddToAwaitedBy(b, a);
        yield* sleep(0);
        const results = [
          yield* runCliHere(['pstree', String(process.pid)]),
          yield* runCliHere(['ps', String(process.pid)]),
        ];
        gate.setResult(undefined);
        yield* b;
        return results;
      });
      expect(tree).toEqual([
        1,
        '',
        'ERROR: await-graph contains cycles - cannot print a tree!\n\ncycle: b → a → b\n',
      ]);
      expect([table![0], table![2]]).toEqual([0, '']);
      const rows = table![1]
        .trimEnd()
        .split('\n')
        .slice(2)
        .map((line) => line.split(/ {2,}/));
      // Each of a and b is awaited by the other; main waits on the CLI, not on them.
      expect(rows.map((cells) => [cells[2], cells[3], cells.length === 8 ? cells[6] : ''])).toEqual(
        [
          [expect.stringMatching(/^Task-\d+$/), 'pending', ''],
          ['a', 'pending', 'b'],
          ['b', 'pending', 'a'],
        ],
      );
    } finally {
      await view.close();
      if (savedRuntimeDir === undefined) delete process.env.XDG_RUNTIME_DIR;
      else process.env.XDG_RUNTIME_DIR = savedRuntimeDir;
    }
  });
});
