/**
 * Call graphs of tasks: where a task is suspended and who awaits it, transitively (Python 3.14's
 * `asyncio.capture_call_graph`, CPython's `graph.py`).
 *
 * A task's call stack comes from the stack recorded when it last suspended (debug mode, or
 * `setIntrospection(true)`): a suspended generator keeps no frames to walk, unlike a Python
 * coroutine. Without a record a suspended task has an empty call stack; the current task always
 * has one, read from the live stack. The awaited-by edges are always there: tasks waiting on a
 * future, and what gather, TaskGroup and shield record with `futureAddToAwaitedBy`.
 */
import {
  captureTrace,
  coroutineFrames,
  Future,
  futureAwaitedBy,
  inspectValue,
  RuntimeError,
  type StackFrame,
  tryGetRunningLoop,
} from '@asyncio-ts/core-loop';
import { currentTask, Task } from '@asyncio-ts/tasks';

/**
 * One frame of a call stack (CPython's `FrameCallGraphEntry`): a coroutine's frame (a `function*`
 * suspended in a `yield*`) or, for the current task, a plain function's.
 */
export type FrameCallGraphEntry = StackFrame;

/**
 * A future in a call graph (CPython's `FutureCallGraph`): the future, the frames it is suspended
 * in (newest first; empty for a plain Future, a done task, or a task whose suspension was not
 * recorded), and the graphs of the futures that await it.
 */
export interface FutureCallGraph {
  readonly future: Future<unknown>;
  readonly callStack: readonly FrameCallGraphEntry[];
  readonly awaitedBy: readonly FutureCallGraph[];
}

/** Options of {@link captureCallGraph}, {@link formatCallGraph} and {@link printCallGraph}. */
export interface CallGraphOptions {
  /**
   * For the current task: how many frames to skip from the top of its live stack, counting the
   * caller of the introspection function as 1 (the introspection functions' own frames are never
   * shown). Default 1: start at the caller.
   */
  depth?: number;
  /**
   * Keeps at most `|limit|` frames of each call stack: a positive limit keeps the oldest (closest
   * to the task's own coroutine), a negative one the newest; 0 leaves every call stack empty and
   * keeps only the awaited-by edges. Default: every frame.
   */
  limit?: number | null;
}

/** This package's own frames, left out of a live stack. */
const OWN_FRAME = /[\\/]introspection[\\/](dist|src)[\\/]/;

function checkOptions(options: CallGraphOptions | undefined): {
  depth: number;
  limit: number | null;
} {
  const depth = options?.depth ?? 1;
  const limit = options?.limit ?? null;
  if (typeof depth !== 'number' || !Number.isInteger(depth)) {
    throw new TypeError(`depth must be an integer, got ${inspectValue(depth)}`);
  }
  if (depth < 1) throw new RangeError(`depth must be at least 1, got ${depth}`);
  if (limit !== null && (typeof limit !== 'number' || !Number.isInteger(limit))) {
    throw new TypeError(`limit must be an integer or null, got ${inspectValue(limit)}`);
  }
  return { depth, limit };
}

function checkFuture(value: unknown): asserts value is Future<unknown> {
  if (!(value instanceof Future)) {
    throw new TypeError(
      `${inspectValue(value)} object does not appear to be compatible with Future`,
    );
  }
}

/** Frames ordered newest first, cut to `limit` as CPython does. */
function limitFrames(frames: StackFrame[], limit: number | null): StackFrame[] {
  if (limit === null) return frames;
  if (limit > 0) return frames.slice(Math.max(0, frames.length - limit));
  return frames.slice(0, -limit);
}

function buildGraph(
  future: Future<unknown>,
  limit: number | null,
  path: Set<Future<unknown>>,
): FutureCallGraph {
  const frames = limit !== 0 && future instanceof Task ? future._suspendedFrames() : [];
  return {
    future,
    callStack: limitFrames(frames, limit),
    awaitedBy: awaitersOf(future, limit, path),
  };
}

/**
 * The graphs of the futures awaiting `future`. A cycle of awaits (a deadlock: two tasks awaiting
 * each other) is cut where it closes, instead of recursing without end.
 */
function awaitersOf(
  future: Future<unknown>,
  limit: number | null,
  path: Set<Future<unknown>>,
): FutureCallGraph[] {
  const waiters = futureAwaitedBy(future);
  if (waiters.length === 0) return [];
  path.add(future);
  const graphs: FutureCallGraph[] = [];
  for (const waiter of waiters) {
    if (path.has(waiter)) continue;
    graphs.push(buildGraph(waiter, limit, path));
  }
  path.delete(future);
  return graphs;
}

/**
 * Captures the call graph of `future`, or of the current task when none is given: where it is
 * suspended and who awaits it, transitively (Python's `asyncio.capture_call_graph`).
 *
 * For the current task the call stack is read live, from the caller down to the task's own
 * coroutine; for any other task it is the stack recorded when the task last suspended, which
 * exists only in debug mode or after `setIntrospection(true)` (otherwise it is empty, and the
 * awaited-by edges are still complete).
 * @example
 * ```ts
 * import { captureCallGraph } from '@asyncio-ts/introspection';
 * function* worker() {
 *   const graph = captureCallGraph(); // this task, its frames, and who awaits it
 *   console.log(graph?.callStack[0]?.functionName); // 'worker'
 * }
 * ```
 * @returns null when no future is given and no task is running.
 * @throws RuntimeError when no future is given and no loop is running; TypeError when `future`
 * is not a Future; TypeError/RangeError for a bad `depth` or `limit`.
 */
export function captureCallGraph(
  future?: Future<unknown> | null,
  options?: CallGraphOptions,
): FutureCallGraph | null {
  const { depth, limit } = checkOptions(options);
  const loop = tryGetRunningLoop();
  let target: Future<unknown> | null;
  if (future !== undefined && future !== null) {
    checkFuture(future);
    if (loop === null || future !== currentTask(loop)) return buildGraph(future, limit, new Set());
    target = future;
  } else {
    if (loop === null) {
      throw new RuntimeError(
        'captureCallGraph() is called outside of a running event loop and no future to ' +
          'introspect was provided',
      );
    }
    target = currentTask(loop);
    if (target === null) return null;
  }
  let frames: StackFrame[] = [];
  if (limit !== 0) {
    frames = coroutineFrames(captureTrace())
      .filter((frame) => frame.fileName === null || !OWN_FRAME.test(frame.fileName))
      .slice(depth - 1);
  }
  return {
    future: target,
    callStack: limitFrames(frames, limit),
    awaitedBy: awaitersOf(target, limit, new Set()),
  };
}
