/**
 * Hello world: a coroutine prints, sleeps one second, prints again.
 *
 * ```python
 * async def main():
 *     print('hello')
 *     await asyncio.sleep(1)
 *     print('world')
 *
 * asyncio.run(main())
 * ```
 */
import { type Coro, sleep } from 'asyncio-ts';
import type { Output } from '../output.js';

export function* main(out: Output): Coro<void> {
  out.print('hello');
  yield* sleep(1000);
  out.print('world');
}
