/**
 * Eager task factories: tasks that start running synchronously inside `createTask`, until their
 * first real suspension (Python's `eager_task_factory`). A coroutine that finishes without
 * suspending never touches the loop's queue.
 */
import type { Coro, EventLoop, TaskFactory, TaskOptions } from '@asyncio-ts/core-loop';
import { Task, type TaskConstructorOptions } from './task.js';

/** A Task class, called as `new TaskClass(coro, options)`. */
export type TaskClass = new (coro: Coro<unknown>, options: TaskConstructorOptions) => Task<unknown>;

/**
 * A task factory that builds tasks with `TaskClass` and starts them eagerly, unless the caller
 * passes `eagerStart: false`.
 * @example
 * ```ts
 * getRunningLoop().setTaskFactory(createEagerTaskFactory(Task));
 * ```
 */
export function createEagerTaskFactory(TaskClass: TaskClass): TaskFactory {
  if (typeof TaskClass !== 'function') {
    throw new TypeError('createEagerTaskFactory() expects a Task class');
  }
  return (loop: EventLoop, coro: Coro<unknown>, options: TaskOptions) =>
    new TaskClass(coro, { eagerStart: true, ...options, loop });
}

/** The eager task factory for the standard {@link Task}: `loop.setTaskFactory(eagerTaskFactory)`. */
export const eagerTaskFactory: TaskFactory = createEagerTaskFactory(Task);
