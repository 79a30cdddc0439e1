/**
 * Stack frames of coroutines, read from the engine's stack traces. A JavaScript generator that is
 * suspended keeps no frames to inspect, so a coroutine's frames are known only while it runs: the
 * stack captured then shows every `yield*` level, each generator frame followed by the engine's
 * `name.next (<anonymous>)` frame that resumed it, which is how a coroutine frame is told apart
 * from a plain function's.
 */
import { fileURLToPath } from 'node:url';

/** One frame of a stack: a coroutine's (a `function*`) or a plain function's. */
export interface StackFrame {
  /** The function's name as the engine reports it (`main`, `Worker.run`), or `<anonymous>`. */
  readonly functionName: string;
  /** The file (a path for `file:` URLs), or null when the engine gave no location. */
  readonly fileName: string | null;
  /** 1-based line, or null. */
  readonly lineNumber: number | null;
  /** 1-based column, or null. */
  readonly columnNumber: number | null;
  /** Whether it is a coroutine (generator) frame rather than a plain function's. */
  readonly isCoroutine: boolean;
}

/** How many frames a capture keeps: deep `yield*` chains take two frames a level. */
const MAX_CAPTURED_FRAMES = 200;

/** The engine's frame that resumed a generator: `name.next (<anonymous>)`. */
const RESUME_FRAME = /\.(next|throw|return) \(<anonymous>\)$/;
const NAMED_FRAME = /^(.*?) \((.*)\)$/;
const LOCATION = /^(.*?):(\d+):(\d+)$/;

/**
 * Frames of the library itself (the loop, futures, the Task that drives the coroutines) and of
 * Node's internals, left out of what users are shown.
 */
const LIBRARY_FILE = /[\\/](core-loop|tasks)[\\/](dist|src)[\\/]|^node:|^<anonymous>$|^native$/;

/**
 * Captures the current stack, deep enough for long `yield*` chains. The Error's `stack` is only
 * formatted when first read, so keeping the Error costs far less than keeping its text.
 */
export function captureTrace(): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = MAX_CAPTURED_FRAMES;
  const trace = new Error('stack');
  Error.stackTraceLimit = limit;
  return trace;
}

interface MutableFrame {
  functionName: string;
  fileName: string | null;
  lineNumber: number | null;
  columnNumber: number | null;
  isCoroutine: boolean;
}

function parseFrame(text: string): MutableFrame {
  const named = NAMED_FRAME.exec(text);
  let functionName = '<anonymous>';
  let location = text;
  if (named !== null) {
    functionName = named[1]!.replace(/^async /, '');
    location = named[2]!;
  }
  const place = LOCATION.exec(location);
  if (place === null) {
    return {
      functionName,
      fileName: location,
      lineNumber: null,
      columnNumber: null,
      isCoroutine: false,
    };
  }
  const file = place[1]!;
  return {
    functionName,
    fileName: file.startsWith('file://') ? fileURLToPath(file) : file,
    lineNumber: Number(place[2]),
    columnNumber: Number(place[3]),
    isCoroutine: false,
  };
}

/**
 * The frames of a stack trace, newest first, each marked as a coroutine frame or not, cut where
 * the coroutine chain of one task ends (CPython's rule: the oldest coroutine frame whose caller is
 * not a coroutine is the task's own coroutine; what called it is the loop). Frames of the library
 * and of Node's internals are left out.
 */
export function coroutineFrames(trace: Error | string | null | undefined): StackFrame[] {
  const stack = typeof trace === 'string' ? trace : trace?.stack;
  if (stack === undefined || stack === null) return [];
  const all: MutableFrame[] = [];
  for (const line of stack.split('\n')) {
    const text = line.trim();
    if (!text.startsWith('at ')) continue;
    const frameText = text.slice(3);
    if (RESUME_FRAME.test(frameText)) {
      const resumed = all.at(-1);
      if (resumed !== undefined) resumed.isCoroutine = true;
      continue;
    }
    all.push(parseFrame(frameText));
  }
  let end = all.length;
  for (let i = 0; i < all.length; i++) {
    if (all[i]!.isCoroutine && all[i + 1]?.isCoroutine !== true) {
      end = i + 1;
      break;
    }
  }
  return all.slice(0, end).filter((frame) => !isLibraryFrame(frame));
}

function isLibraryFrame(frame: StackFrame): boolean {
  return frame.fileName === null || LIBRARY_FILE.test(frame.fileName);
}

/** A frame as the engine writes it: `at name (file:line:column)`. */
export function formatStackFrame(frame: StackFrame): string {
  const location =
    frame.lineNumber === null
      ? (frame.fileName ?? '<unknown>')
      : `${frame.fileName}:${frame.lineNumber}:${frame.columnNumber}`;
  return frame.functionName === '<anonymous>'
    ? `at ${location}`
    : `at ${frame.functionName} (${location})`;
}
