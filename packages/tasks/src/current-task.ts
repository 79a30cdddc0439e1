/**
 * Which task is running, and which tasks exist (Python's `current_task`, `all_tasks` and the
 * `_enter_task` / `_leave_task` / `_swap_current_task` bookkeeping). Only one loop runs callbacks
 * at any moment in a thread, so one slot holds the current task of whichever loop is running.
 */
import { type EventLoop, getRunningLoop, RuntimeError } from '@asyncio-ts/core-loop';
import type { Task } from './task.js';

let current: Task<unknown> | null = null;
const pendingTasks = new WeakMap<EventLoop, PendingTasks>();
let lastLoop: EventLoop | null = null;
let lastPending: PendingTasks | null = null;

/**
 * The pending tasks of one loop, as a list threaded through the tasks themselves: joining and
 * leaving allocate nothing, which matters when a program spawns tasks by the hundred thousand.
 */
export class PendingTasks {
  /** @internal */
  _first: Task<unknown> | null = null;
  /** @internal New tasks join at the end, so `allTasks()` lists them in creation order. */
  _last: Task<unknown> | null = null;

  add(task: Task<unknown>): void {
    const last = this._last;
    task._pendingPrev = last;
    task._pendingNext = null;
    if (last === null) this._first = task;
    else last._pendingNext = task;
    this._last = task;
  }

  delete(task: Task<unknown>): void {
    const { _pendingPrev: prev, _pendingNext: next } = task;
    if (prev === null) {
      if (this._first !== task) return;
      this._first = next;
    } else {
      prev._pendingNext = next;
    }
    if (next === null) this._last = prev;
    else next._pendingPrev = prev;
    task._pendingPrev = null;
    task._pendingNext = null;
  }

  toSet(): Set<Task<unknown>> {
    const tasks = new Set<Task<unknown>>();
    for (let t = this._first; t !== null; t = t._pendingNext) tasks.add(t);
    return tasks;
  }
}

/**
 * The task running now on `loop` (default: the running loop), or null between tasks.
 * @throws RuntimeError "no running event loop" when no loop is given and none is running.
 */
export function currentTask(loop?: EventLoop): Task<unknown> | null {
  const target = loop ?? getRunningLoop();
  return current !== null && current.getLoop() === target ? current : null;
}

/**
 * The tasks of `loop` (default: the running loop) that are not done yet.
 * @throws RuntimeError "no running event loop" when no loop is given and none is running.
 */
export function allTasks(loop?: EventLoop): Set<Task<unknown>> {
  const tasks = pendingTasks.get(loop ?? getRunningLoop());
  return tasks === undefined ? new Set() : tasks.toSet();
}

/** The set a task joins while it is pending; the task leaves it when it is done. */
export function pendingTasksOf(loop: EventLoop): PendingTasks {
  if (loop === lastLoop) return lastPending!;
  let tasks = pendingTasks.get(loop);
  if (tasks === undefined) {
    tasks = new PendingTasks();
    pendingTasks.set(loop, tasks);
  }
  lastLoop = loop;
  lastPending = tasks;
  return tasks;
}

/** Whether `task` is the one running a step now (on whichever loop). */
export function isStepping(task: Task<unknown>): boolean {
  return current === task;
}

/** Marks `task` as running. @throws RuntimeError when another task is running. */
export function enterTask(task: Task<unknown>): void {
  if (current !== null) {
    throw new RuntimeError(
      `Cannot enter into task ${task} while another task ${current} is being executed.`,
    );
  }
  current = task;
}

/** Marks `task` as no longer running. @throws RuntimeError when it is not the running one. */
export function leaveTask(task: Task<unknown>): void {
  if (current !== task) {
    throw new RuntimeError(`Leaving task ${task} does not match the current task ${current}.`);
  }
  current = null;
}

/** Makes `task` current and returns the one it replaced (an eager start inside another task). */
export function swapCurrentTask(task: Task<unknown> | null): Task<unknown> | null {
  const previous = current;
  current = task;
  return previous;
}
