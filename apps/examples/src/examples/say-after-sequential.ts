/**
 * Awaiting coroutines one after the other: 1 s, then 2 s, about 3 s in all.
 *
 * ```python
 * async def say_after(delay, what):
 *     await asyncio.sleep(delay)
 *     print(what)
 *
 * async def main():
 *     print(f"started at {time.strftime('%X')}")
 *     await say_after(1, 'hello')
 *     await say_after(2, 'world')
 *     print(f"finished at {time.strftime('%X')}")
 * ```
 *
 * The time of every line is printed by the app in front of it.
 */
import { type Coro, sleep } from 'asyncio-ts';
import type { Output } from '../output.js';

function* sayAfter(out: Output, delayMs: number, what: string): Coro<void> {
  yield* sleep(delayMs);
  out.print(what);
}

export function* main(out: Output): Coro<void> {
  out.print('started');
  yield* sayAfter(out, 1000, 'hello');
  yield* sayAfter(out, 2000, 'world');
  out.print('finished');
}
