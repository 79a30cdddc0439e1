/**
 * Waiting for one awaitable with a time limit: `waitFor` cancels it when the limit passes, waits
 * for it to be cancelled, and throws `TimeoutError`.
 *
 * ```python
 * async def eternity():
 *     # Sleep for one hour
 *     await asyncio.sleep(3600)
 *     print('yay!')
 *
 * async def main():
 *     # Wait for at most 1 second
 *     try:
 *         await asyncio.wait_for(eternity(), timeout=1.0)
 *     except TimeoutError:
 *         print('timeout!')
 *
 * asyncio.run(main())
 *
 * # Expected output:
 * #
 * #     timeout!
 * ```
 */
import { type Coro, sleep, TimeoutError, waitFor } from 'asyncio-ts';
import type { Output } from '../output.js';

function* eternity(out: Output): Coro<void> {
  // Sleep for one hour.
  yield* sleep(3_600_000);
  out.print('yay!');
}

export function* main(out: Output): Coro<void> {
  // Wait for at most 1 second.
  try {
    yield* waitFor(eternity(out), 1000);
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    out.print('timeout!');
  }
}
