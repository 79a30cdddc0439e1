/**
 * Taking results in the order they come: `asCompleted()` gives one awaitable per task, and
 * awaiting the next gives the result of whichever finishes next. With a timeout, the awaitables
 * still waiting when it passes throw `TimeoutError`; the tasks themselves go on.
 *
 * ```python
 * async def fetch(name, delay):
 *     await asyncio.sleep(delay)
 *     return f'{name} after {delay} s'
 *
 * async def main():
 *     tasks = [asyncio.create_task(fetch('slow', 0.3)),
 *              asyncio.create_task(fetch('fast', 0.1)),
 *              asyncio.create_task(fetch('medium', 0.2))]
 *     for next_result in asyncio.as_completed(tasks):
 *         print(await next_result)
 *
 *     quick = asyncio.create_task(fetch('quick', 0.1))
 *     stuck = asyncio.create_task(fetch('stuck', 1))
 *     try:
 *         for next_result in asyncio.as_completed([quick, stuck], timeout=0.5):
 *             print(await next_result)
 *     except TimeoutError:
 *         print(f'timed out; stuck is done: {stuck.done()}')
 *     stuck.cancel()
 * ```
 */
import { asCompleted, type Coro, createTask, sleep, TimeoutError } from 'asyncio-ts';
import type { Output } from '../output.js';

function* fetch(name: string, delayMs: number): Coro<string> {
  yield* sleep(delayMs);
  return `${name} after ${delayMs} ms`;
}

export function* main(out: Output): Coro<void> {
  const tasks = [
    createTask(fetch('slow', 300)),
    createTask(fetch('fast', 100)),
    createTask(fetch('medium', 200)),
  ];
  for (const nextResult of asCompleted(tasks)) {
    out.print(yield* nextResult);
  }

  const quick = createTask(fetch('quick', 100));
  const stuck = createTask(fetch('stuck', 1000));
  try {
    for (const nextResult of asCompleted([quick, stuck], { timeout: 500 })) {
      out.print(yield* nextResult);
    }
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    out.print(`timed out; stuck is done: ${stuck.done()}`);
  }
  stuck.cancel();
}
