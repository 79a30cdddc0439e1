/**
 * Terminating a task group: a task that throws an error of its own class makes the group cancel
 * the others and end; `splitGroup` (Python's `except*`) takes that error out of the group's
 * ExceptionGroup, so it goes no further.
 *
 * ```python
 * class TerminateTaskGroup(Exception):
 *     """Exception raised to terminate a task group."""
 *
 * async def force_terminate_task_group():
 *     """Used to force termination of a task group."""
 *     raise TerminateTaskGroup()
 *
 * async def job(task_id, sleep_time):
 *     print(f'Task {task_id}: start')
 *     await asyncio.sleep(sleep_time)
 *     print(f'Task {task_id}: done')
 *
 * async def main():
 *     try:
 *         async with asyncio.TaskGroup() as group:
 *             # spawn some tasks
 *             group.create_task(job(1, 0.5))
 *             group.create_task(job(2, 1.5))
 *             # sleep for 1 second
 *             await asyncio.sleep(1)
 *             # add an exception-raising task to force the group to terminate
 *             group.create_task(force_terminate_task_group())
 *     except* TerminateTaskGroup:
 *         pass
 * ```
 *
 * Task 2 never prints "done": it is cancelled at 1 s. (`tg.cancel()`, Python 3.15's
 * `TaskGroup.cancel()`, does the same without an error class.) The last line is not in the
 * docs' program; it shows when the group ended.
 */
import { type Coro, sleep, splitGroup, taskGroup } from 'asyncio-ts';
import type { Output } from '../output.js';

/** Thrown to terminate a task group. */
class TerminateTaskGroup extends Error {}

/** Used to force the termination of a task group. */
function* forceTerminateTaskGroup(): Coro<void> {
  throw new TerminateTaskGroup();
}

function* job(out: Output, taskId: number, sleepMs: number): Coro<void> {
  out.print(`Task ${taskId}: start`);
  yield* sleep(sleepMs);
  out.print(`Task ${taskId}: done`);
}

export function* main(out: Output): Coro<void> {
  try {
    yield* taskGroup(function* (group) {
      // spawn some tasks
      group.createTask(job(out, 1, 500));
      group.createTask(job(out, 2, 1500));
      // sleep for 1 second
      yield* sleep(1000);
      // add an exception-raising task to force the group to terminate
      group.createTask(forceTerminateTaskGroup());
    });
  } catch (error) {
    // `except* TerminateTaskGroup: pass` — any other error goes on up.
    const [, rest] = splitGroup(error, TerminateTaskGroup);
    if (rest !== null) throw rest;
  }
  out.print('the group is terminated');
}
