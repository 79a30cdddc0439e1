/**
 * Shielding a task from cancellation: awaiting `shield(task)` waits for the task, but when the
 * awaiting coroutine is cancelled only the wait ends; the shielded task keeps running and can
 * still be awaited for its result.
 *
 * ```python
 * async def something():
 *     print('something(): started')
 *     await asyncio.sleep(2)
 *     print('something(): finished')
 *     return 'the result'
 *
 * async def caller(inner):
 *     try:
 *         return await asyncio.shield(inner)
 *     except asyncio.CancelledError:
 *         print('caller(): cancelled while awaiting the shield')
 *         raise
 *
 * async def main():
 *     inner = asyncio.create_task(something())
 *     outer = asyncio.create_task(caller(inner))
 *     await asyncio.sleep(1)
 *
 *     outer.cancel()
 *     try:
 *         await outer
 *     except asyncio.CancelledError:
 *         print(f'main(): caller() is cancelled: {outer.cancelled()}')
 *     print(f'main(): something() is cancelled: {inner.cancelled()}, done: {inner.done()}')
 *
 *     print(f'main(): something() still gave {await inner!r}')
 * ```
 */
import { CancelledError, type Coro, createTask, shield, sleep, type Task } from 'asyncio-ts';
import type { Output } from '../output.js';

function* something(out: Output): Coro<string> {
  out.print('something(): started');
  yield* sleep(2000);
  out.print('something(): finished');
  return 'the result';
}

function* caller(out: Output, inner: Task<string>): Coro<string> {
  try {
    return yield* shield(inner);
  } catch (error) {
    if (error instanceof CancelledError) out.print('caller(): cancelled while awaiting the shield');
    throw error;
  }
}

export function* main(out: Output): Coro<void> {
  const inner = createTask(something(out));
  const outer = createTask(caller(out, inner));
  yield* sleep(1000);

  outer.cancel();
  try {
    yield* outer;
  } catch (error) {
    if (!(error instanceof CancelledError)) throw error;
    out.print(`main(): caller() is cancelled: ${outer.cancelled()}`);
  }
  out.print(`main(): something() is cancelled: ${inner.cancelled()}, done: ${inner.done()}`);

  out.print(`main(): something() still gave '${yield* inner}'`);
}
