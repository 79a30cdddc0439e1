/**
 * A program that uses run() ends by itself: once main is done, the loop holds no host handle
 * (timer, immediate, listener) that would keep Node alive.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const tasksEntry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

/** Runs `body` as an ES module in a fresh node process, with run/sleep/createTask imported. */
function runProgram(body: string): {
  status: number | null;
  signal: NodeJS.Signals | null;
  error: Error | undefined;
  stdout: string;
  stderr: string;
} {
  const source = `
import { createTask, run, sleep } from ${JSON.stringify(tasksEntry)};
import { getRunningLoop } from '@asyncio-ts/core-loop';
${body}
`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', source], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    encoding: 'utf8',
    timeout: 10_000,
  });
  return {
    status: result.status,
    signal: result.signal,
    error: result.error,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

describe('a program that calls run()', () => {
  test('exits by itself with status 0 once main is done', () => {
    const result = runProgram(`
function* main() {
  yield* sleep(50);
  console.log('done');
}
await run(main());
`);
    expect(result).toEqual({
      status: 0,
      signal: null,
      error: undefined,
      stdout: 'done\n',
      stderr: '',
    });
  });

  test('exits by itself when main left a pending task behind, which is cancelled at shutdown', () => {
    const result = runProgram(`
function* forever() {
  try {
    yield* sleep(3_600_000);
  } finally {
    console.log('leftover cancelled');
  }
}
function* main() {
  createTask(forever());
  yield* sleep(50);
  console.log('done');
}
await run(main());
console.log('after run');
`);
    expect(result).toEqual({
      status: 0,
      signal: null,
      error: undefined,
      stdout: 'done\nleftover cancelled\nafter run\n',
      stderr: '',
    });
  });

  test('exits by itself when main cancelled a long callLater timer it had started', () => {
    const result = runProgram(`
function* main() {
  const timer = getRunningLoop().callLater(3_600_000, () => console.log('timer fired'));
  yield* sleep(50);
  timer.cancel();
  console.log('done');
}
await run(main());
`);
    expect(result).toEqual({
      status: 0,
      signal: null,
      error: undefined,
      stdout: 'done\n',
      stderr: '',
    });
  });

  test('exits by itself when main left a long callLater timer scheduled', () => {
    const result = runProgram(`
function* main() {
  getRunningLoop().callLater(3_600_000, () => console.log('timer fired'));
  yield* sleep(50);
  console.log('done');
}
await run(main());
`);
    expect(result).toEqual({
      status: 0,
      signal: null,
      error: undefined,
      stdout: 'done\n',
      stderr: '',
    });
  });

  test('exits by itself after run() rejected with main error', () => {
    const result = runProgram(`
function* main() {
  yield* sleep(10);
  throw new RangeError('main failed');
}
try {
  await run(main());
} catch (error) {
  console.log(error.constructor.name + ': ' + error.message);
}
`);
    expect(result).toEqual({
      status: 0,
      signal: null,
      error: undefined,
      stdout: 'RangeError: main failed\n',
      stderr: '',
    });
  });

  test('exits by itself after two runs one after the other', () => {
    const result = runProgram(`
console.log(await run(sleep(20, 'first')));
console.log(await run(sleep(20, 'second')));
`);
    expect(result).toEqual({
      status: 0,
      signal: null,
      error: undefined,
      stdout: 'first\nsecond\n',
      stderr: '',
    });
  });
});
