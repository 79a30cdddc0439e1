/**
 * Snapshots of the pending tasks of a process: what `asyncio-ts ps` / `pstree` print and what a
 * task dump shows (the data of CPython's `_remote_debugging.get_all_awaited_by`). A snapshot is
 * plain JSON, so it can cross a socket.
 *
 * A snapshot is taken synchronously, from a host callback or from inside a loop callback, never
 * in the middle of one: a loop runs its callbacks back to back in one synchronous stretch, and
 * no other JavaScript runs in that thread meanwhile, so every task is seen between two steps.
 */
import type { EventLoop } from '@asyncio-ts/core-loop';
import { allTasks, type Task } from '@asyncio-ts/tasks';
import { futureId } from './future-id.js';
import { type FrameInfo, taskGraphOf } from './internal/task-graph.js';
import { liveLoops, loopIdOf } from './loop-registry.js';

export type { FrameInfo } from './internal/task-graph.js';

/** A task that awaits another, and the frames of its coroutine at the await. */
export interface AwaiterInfo {
  /** The awaiting task's {@link TaskInfo.id}. */
  taskId: number;
  /** The awaiting task's name. */
  taskName: string;
  /** Where the awaiting task waits, innermost frame first. */
  callStack: FrameInfo[];
}

/** One pending task. */
export interface TaskInfo {
  /** The task's {@link futureId}: the id its call graphs print (in hex). */
  id: number;
  /** `task.getName()`. */
  name: string;
  /** `cancelling` once a cancellation was requested and not undone (`task.cancelling() > 0`). */
  state: 'pending' | 'cancelling';
  /**
   * Where the task is suspended, innermost frame first: every `yield*` level in debug mode,
   * the names the call graph knows otherwise (possibly none).
   */
  coroutineStack: FrameInfo[];
  /** The tasks that await this one (directly, or through a gather or a task group). */
  awaitedBy: AwaiterInfo[];
}

/** The pending tasks of one loop, in creation order. */
export interface LoopSnapshot {
  /** A number naming the loop in this process, given in the order loops are first seen. */
  id: number;
  /** Whether the loop is running (`runForever` / `runUntilComplete` in progress). */
  running: boolean;
  /** The loop's clock when the snapshot was taken, in ms. */
  time: number;
  tasks: TaskInfo[];
}

/** The pending tasks of every loop a process shows. */
export interface ProcessSnapshot {
  pid: number;
  /** The command line, `process.argv`. */
  argv: string[];
  loops: LoopSnapshot[];
}

/**
 * The pending tasks of `loop`: who they are, where each is suspended and who awaits it.
 * @example
 * ```ts
 * import { snapshotLoop } from '@asyncio-ts/introspection';
 * import { getRunningLoop } from '@asyncio-ts/core-loop';
 * for (const task of snapshotLoop(getRunningLoop()).tasks) console.log(task.id, task.name);
 * ```
 */
export function snapshotLoop(loop: EventLoop): LoopSnapshot {
  const tasks: TaskInfo[] = [];
  for (const task of allTasks(loop)) tasks.push(describeTask(task));
  return { id: loopIdOf(loop), running: loop.isRunning(), time: loop.time(), tasks };
}

/**
 * A snapshot of this process: the pending tasks of `loops` (default: every loop the process
 * shows, see {@link trackLoop}).
 */
export function takeSnapshot(loops: Iterable<EventLoop> = liveLoops()): ProcessSnapshot {
  const loopSnapshots: LoopSnapshot[] = [];
  for (const loop of loops) loopSnapshots.push(snapshotLoop(loop));
  return { pid: process.pid, argv: [...process.argv], loops: loopSnapshots };
}

function describeTask(task: Task<unknown>): TaskInfo {
  const graph = taskGraphOf(task);
  const awaitedBy: AwaiterInfo[] = [];
  for (const awaiter of graph.awaiters) {
    awaitedBy.push({
      taskId: futureId(awaiter.task),
      taskName: awaiter.task.getName(),
      callStack: awaiter.callStack,
    });
  }
  return {
    id: futureId(task),
    name: task.getName(),
    state: task.cancelling() > 0 ? 'cancelling' : 'pending',
    coroutineStack: graph.callStack,
    awaitedBy,
  };
}
