/**
 * Coroutines are awaitable: calling a coroutine function only makes a coroutine object, and
 * nothing in it runs until it is awaited with `yield*`.
 *
 * ```python
 * async def nested():
 *     return 42
 *
 * async def main():
 *     # Nothing happens if we just call "nested()".
 *     # A coroutine object is created but not awaited,
 *     # so it *won't run at all*.
 *     nested()
 *
 *     # Let's do it differently now and await it:
 *     print(await nested())  # will print "42".
 * ```
 */
import type { Coro } from 'asyncio-ts';
import type { Output } from '../output.js';

function* nested(out: Output): Coro<number> {
  out.print('nested() is running');
  return 42;
}

export function* main(out: Output): Coro<void> {
  // Nothing happens if we just call nested(): a coroutine object (a generator) is created but
  // not awaited, so it won't run at all.
  const coro = nested(out);
  out.print(`nested() gave ${Object.prototype.toString.call(coro)} and ran nothing`);

  // Let's do it differently now and await it:
  out.print(String(yield* nested(out))); // will print "42".
}
