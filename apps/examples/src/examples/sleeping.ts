/**
 * Sleeping: `sleep()` suspends the current task and lets the others run. This coroutine prints
 * how long it has been running, on the loop's clock, every second for 5 seconds.
 *
 * ```python
 * import asyncio
 * import datetime
 *
 * async def display_date():
 *     loop = asyncio.get_running_loop()
 *     end_time = loop.time() + 5.0
 *     while True:
 *         print(datetime.datetime.now())
 *         if (loop.time() + 1.0) >= end_time:
 *             break
 *         await asyncio.sleep(1)
 *
 * asyncio.run(display_date())
 * ```
 *
 * The app already prints the wall-clock time in front of each line, so the line itself is the
 * loop's time since the start (`loop.time()` is in ms), rounded to tenths of a second.
 */
import { type Coro, getRunningLoop, sleep } from 'asyncio-ts';
import type { Output } from '../output.js';

export function* main(out: Output): Coro<void> {
  const loop = getRunningLoop();
  const start = loop.time();
  const endTime = start + 5000;
  while (true) {
    out.print(`loop time: ${((loop.time() - start) / 1000).toFixed(1)} s`);
    if (loop.time() + 1000 >= endTime) break;
    yield* sleep(1000);
  }
}
