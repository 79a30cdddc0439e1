/**
 * Where a task is suspended and which tasks await it, read from its call graph
 * ({@link captureCallGraph}), in the plain-JSON form snapshots carry.
 */
import type { Future, StackFrame } from '@asyncio-ts/core-loop';
import { Task } from '@asyncio-ts/tasks';
import { captureCallGraph, type FutureCallGraph } from '../call-graph.js';

/** One frame of a coroutine: a function and where it is in its file. */
export interface FrameInfo {
  /** The function's name, `<anonymous>` when it has none. */
  functionName: string;
  /** The file (a path for `file:` URLs); empty when unknown. */
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

/** Where a task is suspended (innermost frame first) and the tasks awaiting it. */
export interface TaskGraph {
  callStack: FrameInfo[];
  awaiters: Awaiter[];
}

/**
 * The graph of `task`, one level deep in tasks. A task awaited through a future that is not a
 * task (a gather, a shield) is shown awaited by the tasks that await that future, as
 * `asyncio ps` shows it.
 */
export function taskGraphOf(task: Task<unknown>): TaskGraph {
  const graph = captureCallGraph(task);
  if (graph === null) return { callStack: [], awaiters: [] };
  const awaiters: Awaiter[] = [];
  collectAwaitingTasks(graph.awaitedBy, awaiters, new Set());
  return { callStack: graph.callStack.map(toFrameInfo), awaiters };
}

function collectAwaitingTasks(
  graphs: readonly FutureCallGraph[],
  into: Awaiter[],
  seen: Set<Future<unknown>>,
): void {
  for (const graph of graphs) {
    if (seen.has(graph.future)) continue;
    seen.add(graph.future);
    if (graph.future instanceof Task) {
      into.push({ task: graph.future, callStack: graph.callStack.map(toFrameInfo) });
    } else {
      collectAwaitingTasks(graph.awaitedBy, into, seen);
    }
  }
}

function toFrameInfo(frame: StackFrame): FrameInfo {
  return {
    functionName: frame.functionName,
    fileName: frame.fileName ?? '',
    line: frame.lineNumber ?? 0,
    column: frame.columnNumber ?? 0,
  };
}
