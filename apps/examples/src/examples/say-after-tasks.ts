/**
 * Running coroutines concurrently as tasks: both wait at once, about 2 s in all.
 *
 * ```python
 * async def main():
 *     task1 = asyncio.create_task(say_after(1, 'hello'))
 *     task2 = asyncio.create_task(say_after(2, 'world'))
 *
 *     print(f"started at {time.strftime('%X')}")
 *
 *     # Wait until both tasks are completed (should take around 2 seconds.)
 *     await task1
 *     await task2
 *
 *     print(f"finished at {time.strftime('%X')}")
 * ```
 */
import { type Coro, createTask, sleep } from 'asyncio-ts';
import type { Output } from '../output.js';

function* sayAfter(out: Output, delayMs: number, what: string): Coro<void> {
  yield* sleep(delayMs);
  out.print(what);
}

export function* main(out: Output): Coro<void> {
  const task1 = createTask(sayAfter(out, 1000, 'hello'));
  const task2 = createTask(sayAfter(out, 2000, 'world'));

  out.print('started');

  // Wait until both tasks are completed (should take around 2 seconds).
  yield* task1;
  yield* task2;

  out.print('finished');
}
