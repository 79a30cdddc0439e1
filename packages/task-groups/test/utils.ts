/**
 * Fixtures for the tests of @asyncio-ts/task-groups: the shared ones, and those of this package.
 */
import { CancelledError, type Coro, getRunningLoop, TimeoutError } from '@asyncio-ts/core-loop';
import { currentTask } from '@asyncio-ts/tasks';
import { ExceptionGroup } from '../src/exception-group.js';

export * from '@asyncio-ts/test-utils';

/**
 * A stand-in for `timeout(ms, body)` with asyncio's mechanics (the timeouts package is a sibling,
 * not a dependency): at the deadline the current task is cancelled; on the way out that request
 * is undone, and a CancelledError that was the deadline's alone becomes a TimeoutError whose
 * `cause` is the CancelledError.
 */
export function* withTimeout<T>(ms: number, body: () => Coro<T>): Coro<T> {
  const loop = getRunningLoop();
  const task = currentTask(loop)!;
  const cancellingAtEntry = task.cancelling();
  let expired = false;
  const expire = (): void => {
    expired = true;
    task.cancel();
  };
  // As asyncio's timeout, a deadline already passed is acted on soon, not through the timers.
  const handle = ms <= 0 ? loop.callSoon(expire) : loop.callLater(ms, expire);
  try {
    return yield* body();
  } catch (error) {
    if (expired) {
      expired = false;
      if (task.uncancel() <= cancellingAtEntry && error instanceof CancelledError) {
        throw new TimeoutError('', { cause: error });
      }
    }
    throw error;
  } finally {
    handle.cancel();
    if (expired) task.uncancel();
  }
}

/** A readable shape of an error: `"Class: message"`, and for a group its members, nested. */
export type ErrorShape = string | { [group: string]: ErrorShape[] };

/** The {@link ErrorShape} of `error`, to compare a whole tree of grouped errors at once. */
export function shapeOf(error: unknown): ErrorShape {
  if (error instanceof ExceptionGroup) {
    return { [`${error.constructor.name}: ${error.message}`]: error.exceptions.map(shapeOf) };
  }
  if (error instanceof Error) return `${error.constructor.name}: ${error.message}`;
  return `${typeof error}: ${String(error)}`;
}

/** The ErrorShape of the group a TaskGroup raises, holding `members`. */
export function taskGroupShape(...members: ErrorShape[]): ErrorShape {
  return { 'ExceptionGroup: unhandled errors in a TaskGroup': members };
}
