import { describe, expect, it } from 'vitest';
import { captureTrace, coroutineFrames, formatStackFrame, type StackFrame } from '../src/index.js';

/** A stack as V8 writes it, from its `at ...` lines (newest first). */
function stack(...frames: string[]): string {
  return ['Error: stack', ...frames.map((frame) => `    at ${frame}`)].join('\n');
}

function frame(
  functionName: string,
  fileName: string,
  lineNumber: number,
  isCoroutine: boolean,
): StackFrame {
  return { functionName, fileName, lineNumber, columnNumber: 3, isCoroutine };
}

describe('coroutineFrames', () => {
  it('marks the frames the engine resumed with next() as coroutine frames and stops at the task', () => {
    const frames = coroutineFrames(
      stack(
        'FutureIterator.next (/app/node_modules/@asyncio-ts/core-loop/dist/future.js:400:3)',
        'helper (/app/main.js:2:3)',
        'inner (/app/main.js:5:3)',
        'inner.next (<anonymous>)',
        'outer (file:///app/main.js:9:3)',
        'outer.throw (<anonymous>)',
        'Task.#resume (/app/node_modules/@asyncio-ts/tasks/dist/task.js:300:3)',
        'caller (/app/other.js:1:3)',
        'caller.next (<anonymous>)',
        'process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      ),
    );
    expect(frames).toEqual([
      frame('helper', '/app/main.js', 2, false),
      frame('inner', '/app/main.js', 5, true),
      frame('outer', '/app/main.js', 9, true),
    ]);
  });

  it('keeps every frame of a stack without coroutines, less the library and Node internals', () => {
    const frames = coroutineFrames(
      stack(
        'async load (/app/a.js:1:3)',
        '/app/b.js:2:3',
        'Handle._run (/repo/packages/core-loop/src/handle.ts:80:3)',
        'new Widget (/app/c.js:3:3)',
        'Array.map (native)',
        'node:internal/main:1:3',
      ),
    );
    expect(frames).toEqual([
      frame('load', '/app/a.js', 1, false),
      frame('<anonymous>', '/app/b.js', 2, false),
      frame('new Widget', '/app/c.js', 3, false),
    ]);
  });

  it('reads nothing from nothing', () => {
    expect([coroutineFrames(null), coroutineFrames(undefined), coroutineFrames('')]).toEqual([
      [],
      [],
      [],
    ]);
  });

  it('formats a frame back as the engine writes it', () => {
    expect([
      formatStackFrame(frame('main', '/app/a.js', 4, true)),
      formatStackFrame(frame('<anonymous>', '/app/b.js', 5, false)),
      formatStackFrame({
        functionName: 'x',
        fileName: 'native',
        lineNumber: null,
        columnNumber: null,
        isCoroutine: false,
      }),
    ]).toEqual(['at main (/app/a.js:4:3)', 'at /app/b.js:5:3', 'at x (native)']);
  });
});

describe('captureTrace', () => {
  it('keeps deep stacks whole, past the engine default of 10 frames, and restores the limit', () => {
    const limit = Error.stackTraceLimit;
    function deep(n: number): Error {
      return n === 0 ? captureTrace() : deep(n - 1);
    }
    const trace = deep(40);
    const deepFrames = trace.stack!.split('\n').filter((line) => line.includes('at deep '));
    expect([deepFrames.length, Error.stackTraceLimit]).toEqual([41, limit]);
  });

  it('names the functions of a live generator chain as coroutine frames', () => {
    function* inner(): Generator<Error, void> {
      yield captureTrace();
    }
    function* outer(): Generator<Error, void> {
      yield* inner();
    }
    const frames = coroutineFrames(outer().next().value as Error);
    expect(frames.map((f) => [f.functionName, f.isCoroutine])).toEqual([
      ['inner', true],
      ['outer', true],
    ]);
    expect(frames[0]!.fileName).toMatch(/stack-frames\.test\.ts$/);
  });
});
