/**
 * A task group runs its tasks concurrently and waits for all of them when its body ends: the
 * await is implicit when the group exits, so after it every task is done and has its result.
 *
 * ```python
 * async def say_after(delay, what):
 *     await asyncio.sleep(delay)
 *     print(what)
 *     return f'{what} after {delay} s'
 *
 * async def main():
 *     async with asyncio.TaskGroup() as tg:
 *         task1 = tg.create_task(say_after(1, 'hello'))
 *         task2 = tg.create_task(say_after(2, 'world'))
 *
 *         print('started')
 *
 *     # The await is implicit when the context manager exits.
 *
 *     print(f"Both tasks have completed now: {task1.result()}, {task2.result()}")
 * ```
 */
import { type Coro, sleep, taskGroup } from 'asyncio-ts';
import type { Output } from '../output.js';

function* sayAfter(out: Output, delayMs: number, what: string): Coro<string> {
  yield* sleep(delayMs);
  out.print(what);
  return `${what} after ${delayMs / 1000} s`;
}

export function* main(out: Output): Coro<void> {
  // `async with asyncio.TaskGroup() as tg:` is a body the group runs; it hands back the tasks.
  const [task1, task2] = yield* taskGroup(function* (tg) {
    const task1 = tg.createTask(sayAfter(out, 1000, 'hello'));
    const task2 = tg.createTask(sayAfter(out, 2000, 'world'));

    out.print('started');
    return [task1, task2] as const;
  });

  // The await is implicit when the group exits.

  out.print(`Both tasks have completed now: ${task1.result()}, ${task2.result()}`);
}
