/**
 * Futures are awaitable: a low-level Future made by the loop is resolved from a plain callback
 * one second later, and the coroutine awaiting it with `yield*` gets its value.
 *
 * ```python
 * async def main():
 *     loop = asyncio.get_running_loop()
 *     fut = loop.create_future()
 *     loop.call_later(1, fut.set_result, '... world')
 *     print('hello ...')
 *     print(await fut)
 * ```
 */
import { type Coro, getRunningLoop } from 'asyncio-ts';
import type { Output } from '../output.js';

export function* main(out: Output): Coro<void> {
  const loop = getRunningLoop();
  const fut = loop.createFuture<string>();

  // A callback, not a coroutine, resolves the future one second from now.
  loop.callLater(1000, (value: string) => fut.setResult(value), '... world');

  out.print('hello ...');
  out.print(yield* fut);
}
