/**
 * The live view's server: where its socket is, who may read it, that it goes away with the
 * process, and that it never keeps a process alive or changes what the program does.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RuntimeError } from '@asyncio-ts/core-loop';
import { expectError, rejectionOf } from '@asyncio-ts/test-utils';
import { afterEach, describe, expect, test } from 'vitest';
import { enableLiveView, liveViewSocketPath } from '../src/index.js';
import {
  type Child,
  ENTRY,
  GATHER_PROGRAM,
  runCli,
  startChild,
  withoutDir,
} from './server-fixture.js';

let child: Child | null = null;

afterEach(async () => {
  if (child !== null && child.process.exitCode === null && child.process.signalCode === null) {
    child.process.kill('SIGKILL');
    await child.exited;
  }
  child = null;
});

function socketOf(c: Child): string {
  return path.join(c.runtimeDir, `asyncio-ts-${c.pid}.sock`);
}

describe('a process started with --import @asyncio-ts/introspection/live', () => {
  test('serves its socket in $XDG_RUNTIME_DIR, named by its PID, readable by its user only', async () => {
    child = await startChild(GATHER_PROGRAM, { optIn: 'import' });
    const stats = fs.statSync(socketOf(child));
    expect([stats.isSocket(), stats.mode & 0o777, stats.uid]).toEqual([
      true,
      0o600,
      process.getuid!(),
    ]);
    expect(fs.readdirSync(child.runtimeDir)).toEqual([`asyncio-ts-${child.pid}.sock`]);
  });

  test('ends by itself when its work is done, and the socket is removed', async () => {
    child = await startChild(GATHER_PROGRAM, { optIn: 'import' });
    expect(fs.existsSync(socketOf(child))).toBe(true);
    child.process.stdin!.end();
    const exit = await child.exited;
    expect([exit.code, exit.signal, exit.stderr]).toEqual([0, null, '']);
    expect(fs.readdirSync(child.runtimeDir)).toEqual([]);
  });

  test('killed by SIGTERM, it removes the socket and still dies of SIGTERM', async () => {
    child = await startChild(GATHER_PROGRAM, { optIn: 'import' });
    child.process.kill('SIGTERM');
    const exit = await child.exited;
    expect([exit.code, exit.signal]).toEqual([null, 'SIGTERM']);
    expect(fs.readdirSync(child.runtimeDir)).toEqual([]);
  });

  test('serves nothing when ASYNCIO_TS_LIVE=0', async () => {
    child = await startChild(GATHER_PROGRAM, {
      optIn: 'import',
      env: { ASYNCIO_TS_LIVE: '0' },
    });
    expect(fs.readdirSync(child.runtimeDir)).toEqual([]);
    expect(runCli(['ps', String(child.pid)], child.env).code).toBe(1);
  });

  test('puts the socket in the temporary directory when XDG_RUNTIME_DIR is unset', async () => {
    child = await startChild(GATHER_PROGRAM, { optIn: 'import', env: { XDG_RUNTIME_DIR: '' } });
    const socket = path.join(os.tmpdir(), `asyncio-ts-${child.pid}.sock`);
    expect(fs.statSync(socket).mode & 0o777).toBe(0o600);
    const env = { ...child.env, XDG_RUNTIME_DIR: '' };
    expect(runCli(['ps', String(child.pid)], env).code).toBe(0);
    child.process.stdin!.end();
    expect((await child.exited).code).toBe(0);
    expect(fs.existsSync(socket)).toBe(false);
  });
});

/** Main on a loop of its own, which no run() makes current; workers in a task group. */
const FACTORY_LOOP_PROGRAM = `import { createTask, run } from $TASKS;
import { EventLoop, getRunningLoop } from $CORE_LOOP;
import { taskGroup } from $TASK_GROUPS;

function* worker(release) {
  return yield* release;
}
function* main() {
  const loop = getRunningLoop();
  const release = loop.createFuture();
  process.stdin.on('end', () => loop.callSoonThreadsafe(() => release.setResult('released')));
  process.stdin.resume();
  loop.callSoon(() => process.stdout.write('ready\\n'));
  yield* taskGroup(function* (group) {
    group.createTask(worker(release), { name: 'worker' });
  });
}
await run(main(), { loopFactory: () => new EventLoop() });
`;

describe('the loops a live view shows', () => {
  test('include a loop no run() made current, found through its tasks being created', async () => {
    child = await startChild(FACTORY_LOOP_PROGRAM, { optIn: 'import' });
    const tree = runCli(['pstree', String(child.pid)], child.env);
    expect([tree.code, tree.stderr]).toEqual([0, '']);
    // The task group's own frames show between main and the worker, as CPython's pstree shows
    // taskgroups.py's __aexit__; which ones is the task group's business.
    const lines = withoutDir(tree.stdout, child).split('\n');
    const taskGroupFrame = /^[ │]*└── {2}\S+ \S*[\\/]task-groups[\\/]dist[\\/]task-group\.js:\d+$/;
    const groupFrames = lines.filter((line) => taskGroupFrame.test(line));
    expect(groupFrames.length).toBeGreaterThan(0);
    const depth = groupFrames.length * 4;
    expect(lines.filter((line) => !taskGroupFrame.test(line))).toEqual([
      '└── (T) Task-1',
      '    └──  main child.mjs:14',
      `${' '.repeat(8 + depth)}└── (T) worker`,
      `${' '.repeat(12 + depth)}└──  worker child.mjs:6`,
      '',
    ]);
  });

  test('with ASYNCIO_TS_INTROSPECT=0 show who awaits whom, without frames', async () => {
    child = await startChild(GATHER_PROGRAM, {
      optIn: 'import',
      env: { ASYNCIO_TS_INTROSPECT: '0' },
    });
    const tree = runCli(['pstree', String(child.pid)], child.env);
    expect([tree.code, tree.stderr, tree.stdout.split('\n')]).toEqual([
      0,
      '',
      ['└── (T) Task-1', '    ├── (T) worker-a', '    └── (T) worker-b', ''],
    ]);
  });
});

/** A program that opts in itself, from inside a coroutine on a loop of its own. */
const CALLING_PROGRAM = `import { run } from $TASKS;
import { EventLoop, getRunningLoop, wrapFuture } from $CORE_LOOP;
import { enableLiveView } from $INTROSPECTION;

function* waitForInput(release) {
  return yield* release;
}
function* main() {
  const loop = getRunningLoop();
  const release = loop.createFuture();
  process.stdin.on('end', () => loop.callSoonThreadsafe(() => release.setResult('released')));
  process.stdin.resume();
  const umaskBefore = process.umask();
  const view = yield* wrapFuture(enableLiveView());
  const again = yield* wrapFuture(enableLiveView());
  process.stdout.write(\`umask kept \${umaskBefore === process.umask()}, same view \${view === again}\\n\`);
  process.stdout.write('ready\\n');
  process.stdout.write(\`\${yield* waitForInput(release)}\\n\`);
}
await run(main(), { loopFactory: () => new EventLoop() });
`;

describe('enableLiveView() called by the program', () => {
  test('shows the loop it was called from, even one no run() made current', async () => {
    child = await startChild(CALLING_PROGRAM, { optIn: 'none' });
    const ps = runCli(['ps', String(child.pid)], child.env);
    expect([ps.code, ps.stderr]).toEqual([0, '']);
    expect(
      ps.stdout
        .trimEnd()
        .split('\n')
        .slice(2)
        .map((line) => line.split(/ {2,}/).slice(0, 4)),
    ).toEqual([['1', '0x1', 'Task-1', 'pending']]);
    expect(fs.statSync(socketOf(child)).mode & 0o777).toBe(0o600);
    child.process.stdin!.end();
    expect(await child.exited).toEqual({
      code: 0,
      signal: null,
      stdout: 'umask kept true, same view true\nready\nreleased\n',
      stderr: '',
    });
    expect(fs.readdirSync(child.runtimeDir)).toEqual([]);
  });
});

describe('enableLiveView() in this process', () => {
  test('refuses a path that exists and is not a socket', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncio-ts-live-'));
    const file = path.join(dir, 'taken');
    fs.writeFileSync(file, 'not a socket');
    const error = await rejectionOf(enableLiveView({ path: file }));
    expectError(
      error,
      RuntimeError,
      `cannot serve the live view: ${file} exists and is not a socket`,
    );
    expect(fs.readFileSync(file, 'utf8')).toBe('not a socket');
  });

  test('replaces a socket left by a dead process, returns the same view when called again, and close() removes it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncio-ts-live-'));
    const socket = path.join(dir, 'stale.sock');
    const killed = spawnSync(
      process.execPath,
      [
        '-e',
        `require('node:net').createServer().listen(${JSON.stringify(socket)}, () => process.kill(process.pid, 'SIGKILL'))`,
      ],
      { encoding: 'utf8' },
    );
    expect([killed.signal, fs.statSync(socket).isSocket()]).toEqual(['SIGKILL', true]);
    const view = await enableLiveView({ path: socket });
    expect([view.path, await enableLiveView()]).toEqual([socket, view]);
    expect(fs.statSync(socket).mode & 0o777).toBe(0o600);
    await view.close();
    expect(fs.existsSync(socket)).toBe(false);
    await view.close();
  });

  test('names its socket asyncio-ts-<pid>.sock in the first live-view directory', () => {
    expect(liveViewSocketPath(1234, '/run/user/1000')).toBe('/run/user/1000/asyncio-ts-1234.sock');
    expect(path.basename(liveViewSocketPath())).toBe(`asyncio-ts-${process.pid}.sock`);
    expect(ENTRY.live.endsWith('/introspection/dist/live.js')).toBe(true);
  });
});
