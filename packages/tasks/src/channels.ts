/**
 * Task lifecycle events on `node:diagnostics_channel`, for tools that watch a process (tracers,
 * profilers, the live view of `@asyncio-ts/introspection`). A task publishes only when its
 * channel has subscribers, so an unwatched process pays one property read per event.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import type { Future } from '@asyncio-ts/core-loop';

/** Channel of tasks being created: `{ task }`, published by the Task constructor. */
export const TASK_CREATED_CHANNEL = 'asyncio-ts:task:created';
/** Channel of tasks that finished cancelled: `{ task }`, published just before its done event. */
export const TASK_CANCELLED_CHANNEL = 'asyncio-ts:task:cancelled';
/**
 * Channel of tasks that are done, whatever the outcome (a result, an error, cancelled): `{ task }`,
 * published before the task's done callbacks are scheduled.
 */
export const TASK_DONE_CHANNEL = 'asyncio-ts:task:done';

/** What every task lifecycle channel carries. */
export interface TaskLifecycleMessage {
  task: Future<unknown>;
}

const created = diagnosticsChannel.channel(TASK_CREATED_CHANNEL);
const cancelled = diagnosticsChannel.channel(TASK_CANCELLED_CHANNEL);
const done = diagnosticsChannel.channel(TASK_DONE_CHANNEL);

/** @internal */
export function publishTaskCreated(task: Future<unknown>): void {
  if (created.hasSubscribers) created.publish({ task } satisfies TaskLifecycleMessage);
}

/** @internal */
export function publishTaskDone(task: Future<unknown>): void {
  if (cancelled.hasSubscribers && task.cancelled()) {
    cancelled.publish({ task } satisfies TaskLifecycleMessage);
  }
  if (done.hasSubscribers) done.publish({ task } satisfies TaskLifecycleMessage);
}
