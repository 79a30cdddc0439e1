/**
 * Cancelling a task: `cancel()` throws a `CancelledError` into the coroutine where it waits, so
 * its `catch` and `finally` blocks run their cleanup; re-thrown, the error ends the task as
 * cancelled, and awaiting the task throws it in the caller.
 *
 * ```python
 * async def cancel_me():
 *     print('cancel_me(): before sleep')
 *
 *     try:
 *         # Wait for 1 hour
 *         await asyncio.sleep(3600)
 *     except asyncio.CancelledError:
 *         print('cancel_me(): cancel sleep')
 *         raise
 *     finally:
 *         print('cancel_me(): after sleep')
 *
 * async def main():
 *     # Create a "cancel_me" Task
 *     task = asyncio.create_task(cancel_me())
 *
 *     # Wait for 1 second
 *     await asyncio.sleep(1)
 *
 *     task.cancel()
 *     try:
 *         await task
 *     except asyncio.CancelledError:
 *         print("main(): cancel_me is cancelled now")
 * ```
 */
import { CancelledError, type Coro, createTask, sleep } from 'asyncio-ts';
import type { Output } from '../output.js';

function* cancelMe(out: Output): Coro<void> {
  out.print('cancel_me(): before sleep');
  try {
    // Wait for 1 hour.
    yield* sleep(3_600_000);
  } catch (error) {
    if (error instanceof CancelledError) out.print('cancel_me(): cancel sleep');
    // Re-thrown, so the task ends cancelled rather than finished.
    throw error;
  } finally {
    out.print('cancel_me(): after sleep');
  }
}

export function* main(out: Output): Coro<void> {
  // Create a "cancel_me" task.
  const task = createTask(cancelMe(out));

  // Wait for 1 second.
  yield* sleep(1000);

  task.cancel();
  try {
    yield* task;
  } catch (error) {
    if (!(error instanceof CancelledError)) throw error;
    out.print('main(): cancel_me is cancelled now');
  }
  out.print(`task.cancelled() is ${task.cancelled()}`);
}
