/**
 * What debug mode says about tasks: where a task's coroutine runs (in its `toString()`), and the
 * warning for a task that swallowed a cancellation.
 */
import { type Future, logger, type StackFrame } from '@asyncio-ts/core-loop';

/**
 * The task's own coroutine and the line it is suspended at, as CPython's task repr shows it
 * (`<main() running at /app/main.ts:12>`), from the frames of its recorded suspension (oldest
 * last); null when none was recorded.
 */
export function describeCoroutine(frames: readonly StackFrame[]): string | null {
  const own = frames.at(-1);
  if (own === undefined) return null;
  return `<${own.functionName}() running at ${own.fileName}:${own.lineNumber}>`;
}

/** Where a future was created, from its debug-mode source traceback: the newest user frame. */
export function createdAt(sourceTraceback: string | undefined): string | null {
  if (sourceTraceback === undefined) return null;
  const first = sourceTraceback.split('\n').find((line) => line.trim().startsWith('at '));
  if (first === undefined) return null;
  const frame = first.trim().slice(3);
  const location = /\((.*)\)$/.exec(frame);
  return location === null ? frame : location[1]!;
}

/**
 * In debug mode, warns that `task` returned normally although a cancellation was requested and
 * never undone: its coroutine caught the CancelledError and went on without `uncancel()`, so
 * whoever cancelled it (a timeout, a TaskGroup, a caller) will wait in vain for it to end
 * cancelled. Called once, as the task finishes.
 */
export function warnSwallowedCancellation(task: Future<unknown> & { cancelling(): number }): void {
  if (!task.getLoop().getDebug()) return;
  logger.warning(
    `${task} was cancelled but returned normally (cancelling() is ${task.cancelling()}): ` +
      'its coroutine caught CancelledError without calling uncancel()',
  );
}
