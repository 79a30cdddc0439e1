/**
 * Which task is running, and which tasks exist (Python's `current_task`, `all_tasks` and the
 * `_enter_task` / `_leave_task` / `_swap_current_task` bookkeeping). Only one loop runs callbacks
 * at any moment in a thread, so one slot holds the current task of whichever loop is running.
 */
import { type EventLoop, getRunningLoop, RuntimeError } from '@asyncio-ts/core-loop';
import type { Task } from './task.js';

let current: Task<unknown> | null = null;
const pendingTasks = new WeakMap<EventLoop, Set<Task<unknown>>>();

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
  return new Set(tasks);
}

/** The set a task joins while it is pending; the task leaves it when it is done. */
export function pendingTasksOf(loop: EventLoop): Set<Task<unknown>> {
  let tasks = pendingTasks.get(loop);
  if (tasks === undefined) {
    tasks = new Set();
    pendingTasks.set(loop, tasks);
  }
  return tasks;
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
