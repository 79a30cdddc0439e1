/**
 * Running a blocking call on a worker thread with `toThread`, so the loop stays free: another
 * task keeps ticking while the call blocks, and the loop wakes the call when it is done ticking.
 *
 * ```python
 * def blocking_io():
 *     print(f"start blocking_io at {time.strftime('%X')}")
 *     # Note that time.sleep() can be replaced with any blocking
 *     # IO-bound operation, such as file operations.
 *     time.sleep(1)
 *     print(f"blocking_io complete at {time.strftime('%X')}")
 *
 * async def main():
 *     print(f"started main at {time.strftime('%X')}")
 *
 *     await asyncio.gather(
 *         asyncio.to_thread(blocking_io),
 *         asyncio.sleep(1))
 *
 *     print(f"finished main at {time.strftime('%X')}")
 * ```
 *
 * Here the blocking call is `Atomics.wait` (JavaScript's `time.sleep`, and how a thread waits for
 * a lock or a pipe): it sleeps until the loop rings a bell in shared memory, or 10 s. Run on the
 * loop's own thread it would freeze every task for those seconds.
 */

import { toThread } from '@asyncio-ts/threads';
import { type Coro, sleep } from 'asyncio-ts';
import type { Output } from '../output.js';

/**
 * Blocks its thread until `bell[0]` is rung or `limitMs` passed. It runs on a worker thread, so
 * it is self-contained: it sees only its arguments.
 */
function blockingIo(bell: Int32Array, limitMs: number): string {
  const outcome = Atomics.wait(bell, 0, 0, limitMs);
  return outcome === 'timed-out' ? `gave up after ${limitMs} ms` : 'woken by the bell';
}

function* ticker(out: Output, ticks: number): Coro<void> {
  for (let tick = 1; tick <= ticks; tick++) {
    yield* sleep(300);
    out.print(`tick ${tick}: the loop is free while blockingIo blocks`);
  }
}

export function* main(out: Output): Coro<void> {
  out.print('started main');
  const bell = new Int32Array(new SharedArrayBuffer(4));
  const blocking = toThread(blockingIo, bell, 10_000);
  out.print('blockingIo is running on a worker thread');
  yield* ticker(out, 3);
  out.print('ringing the bell');
  Atomics.store(bell, 0, 1);
  Atomics.notify(bell, 0);
  out.print(`blockingIo returned: ${yield* blocking}`);
  out.print('finished main');
}
