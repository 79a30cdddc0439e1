/**
 * Tasks are awaitable: `createTask` schedules a coroutine to run soon, concurrently with the
 * caller, and awaiting the task waits for its result.
 *
 * ```python
 * async def nested():
 *     return 42
 *
 * async def main():
 *     # Schedule nested() to run soon concurrently
 *     # with "main()".
 *     task = asyncio.create_task(nested())
 *
 *     # "task" can now be used to cancel "nested()", or
 *     # can simply be awaited to wait until it is complete:
 *     print(await task)
 * ```
 */
import { type Coro, createTask } from 'asyncio-ts';
import type { Output } from '../output.js';

function* nested(out: Output): Coro<number> {
  out.print('nested() is running');
  return 42;
}

export function* main(out: Output): Coro<void> {
  // Schedule nested() to run soon, concurrently with main(): it starts at main's next wait.
  const task = createTask(nested(out));
  out.print('created a task; nested() has not run yet');

  // "task" can now be used to cancel nested(), or can simply be awaited until it is complete:
  out.print(String(yield* task)); // will print "42".
}
