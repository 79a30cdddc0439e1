export {
  type Awaitable,
  type Coro,
  ensureFuture,
  isCoroutine,
  isCoroutineFunction,
  KeyboardInterrupt,
  wrapFuture,
} from '@asyncio-ts/core-loop';
export { abortable } from './abortable.js';
export { aiter, type CoroIterator } from './aiter.js';
export {
  TASK_CANCELLED_CHANNEL,
  TASK_CREATED_CHANNEL,
  TASK_DONE_CHANNEL,
  type TaskLifecycleMessage,
} from './channels.js';
export { allTasks, currentTask } from './current-task.js';
export { createEagerTaskFactory, eagerTaskFactory, type TaskClass } from './eager-task-factory.js';
export {
  type AwaitableLike,
  type AwaitedValue,
  GatheringFuture,
  gather,
  isAwaitableCollection,
  toAwaitableArray,
} from './gather.js';
export { Runner, type RunnerOptions, run } from './runner.js';
export { sleep } from './sleep.js';
export { createTask, Task, type TaskConstructorOptions } from './task.js';
