/**
 * Bounding a block with a timeout: when the delay passes, the block is cancelled where it waits
 * and `timeout()` throws `TimeoutError` (its `cause` is the `CancelledError` that stopped the
 * block), which the caller handles to go on.
 *
 * ```python
 * async def long_running_task():
 *     print('the long operation starts; it takes an hour')
 *     await asyncio.sleep(3600)
 *
 * async def main():
 *     try:
 *         async with asyncio.timeout(10):
 *             await long_running_task()
 *     except TimeoutError:
 *         print("The long operation timed out, but we've handled it.")
 *
 *     print("This statement will run regardless.")
 * ```
 */
import { CancelledError, type Coro, sleep, TimeoutError, timeout } from 'asyncio-ts';
import type { Output } from '../output.js';

function* longRunningTask(out: Output): Coro<void> {
  out.print('the long operation starts; it takes an hour');
  yield* sleep(3_600_000);
}

export function* main(out: Output): Coro<void> {
  try {
    yield* timeout(10_000, function* () {
      yield* longRunningTask(out);
    });
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    out.print("The long operation timed out, but we've handled it.");
    out.print(
      `(the TimeoutError's cause is a CancelledError: ${error.cause instanceof CancelledError})`,
    );
  }

  out.print('This statement will run regardless.');
}
