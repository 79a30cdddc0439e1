/**
 * Child processes for the end-to-end tests of the live view: a program written to a temporary
 * file (so its frames name a real file and known lines), run by `node` against the built dist of
 * the packages, and the real `asyncio-ts` CLI run against it.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const distUrl = (pkg: string, file = 'index.js'): string =>
  pathToFileURL(path.join(packageDir, '..', pkg, 'dist', file)).href;

/** The built entry points a child program imports, by the names its source uses. */
export const ENTRY = {
  tasks: distUrl('tasks'),
  coreLoop: distUrl('core-loop'),
  introspection: distUrl('introspection'),
  live: distUrl('introspection', 'live.js'),
  taskGroups: distUrl('task-groups'),
};

/** The CLI, as installed: `bin/asyncio-ts.js`. */
export const CLI = path.join(packageDir, 'bin', 'asyncio-ts.js');

/** How a child opts in to the live view. */
export type OptIn = 'import' | 'none';

export interface ChildOptions {
  /** `import`: started with `--import @asyncio-ts/introspection/live`; `none`: not at all. */
  optIn: OptIn;
  /** Extra environment. */
  env?: Record<string, string>;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running child program. */
export interface Child {
  pid: number;
  /** The program's file. */
  file: string;
  /** The `XDG_RUNTIME_DIR` it runs with: a fresh private directory, where its socket goes. */
  runtimeDir: string;
  /** The environment it runs with (the CLI is run with the same). */
  env: NodeJS.ProcessEnv;
  process: ChildProcess;
  /** Resolves when it exits, with all it wrote. */
  exited: Promise<Exit>;
}

/** Whole-test failsafe: a child that never says `ready` fails the test instead of hanging it. */
const READY_FAILSAFE_MS = 10_000;

/**
 * Writes `source` (its `$TASKS`, `$CORE_LOOP`, ... replaced by the built entry points) to a
 * temporary file, runs it, and resolves once it wrote `ready` on a line of its own.
 */
export async function startChild(source: string, options: ChildOptions): Promise<Child> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncio-ts-live-'));
  const runtimeDir = path.join(dir, 'run');
  fs.mkdirSync(runtimeDir, { mode: 0o700 });
  const file = path.join(dir, 'child.mjs');
  fs.writeFileSync(file, withEntries(source));
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_RUNTIME_DIR: runtimeDir, ...options.env };
  delete env.NODE_OPTIONS;
  const args = options.optIn === 'import' ? ['--import', ENTRY.live, file] : [file];
  const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<Exit>((resolve) => {
    child.on('exit', (code, signal) => {
      // 'exit' can come before the last output: 'close' follows once the pipes are drained.
      child.on('close', () => resolve({ code, signal, stdout, stderr }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    const failsafe = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the child never got ready; stderr: ${stderr}`));
    }, READY_FAILSAFE_MS);
    const onData = (): void => {
      if (/^ready$/m.test(stdout)) {
        clearTimeout(failsafe);
        child.stdout!.off('data', onData);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((exit) => {
      clearTimeout(failsafe);
      reject(new Error(`the child exited before it got ready: ${JSON.stringify(exit)}`));
    });
  });
  return { pid: child.pid!, file, runtimeDir, env, process: child, exited };
}

/** Runs the real CLI (`node bin/asyncio-ts.js ...args`) with `env`. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = process.env): Exit {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    env,
    encoding: 'utf8',
    timeout: 10_000,
  });
  return {
    code: result.status,
    signal: result.signal,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

function withEntries(source: string): string {
  return source
    .replaceAll('$TASKS', JSON.stringify(ENTRY.tasks))
    .replaceAll('$CORE_LOOP', JSON.stringify(ENTRY.coreLoop))
    .replaceAll('$INTROSPECTION', JSON.stringify(ENTRY.introspection))
    .replaceAll('$TASK_GROUPS', JSON.stringify(ENTRY.taskGroups));
}

/**
 * A tree of tasks: main gathers two workers, each suspended two coroutines deep on a future that
 * is released when the test closes the child's standard input. Not in debug mode: the frames
 * come from the live view's own recording. Line numbers matter: the tests read them in the
 * frames (main waits at line 19, worker at 8, fetchItem at 5).
 */
export const GATHER_PROGRAM = `import { createTask, gather, run, sleep } from $TASKS;
import { getRunningLoop } from $CORE_LOOP;

function* fetchItem(release) {
  return yield* release;
}
function* worker(release) {
  return yield* fetchItem(release);
}
function* main() {
  const loop = getRunningLoop();
  const release = loop.createFuture();
  process.stdin.on('end', () => loop.callSoonThreadsafe(() => release.setResult('released')));
  process.stdin.resume();
  const a = createTask(worker(release), { name: 'worker-a' });
  const b = createTask(worker(release), { name: 'worker-b' });
  yield* sleep(0);
  process.stdout.write('ready\\n');
  const results = yield* gather([a, b]);
  process.stdout.write(\`\${results.join(' ')}\\n\`);
}
await run(main());
`;

/** Replaces the child's file path by `child.mjs` in `text`. */
export function withoutDir(text: string, child: Child): string {
  return text.replaceAll(child.file, 'child.mjs');
}
