/**
 * Waiting for a set of tasks until a condition holds: `wait()` returns the tasks that are done
 * and those still pending, after the first one finished (`FIRST_COMPLETED`), the first one
 * failed (`FIRST_EXCEPTION`) or all finished (`ALL_COMPLETED`, the default). It never throws
 * the tasks' errors and never cancels them.
 *
 * ```python
 * async def job(delay, fail=False):
 *     await asyncio.sleep(delay)
 *     if fail:
 *         raise ValueError(f'failed after {delay} s')
 *     return f'done after {delay} s'
 *
 * def names_in(futures, tasks):
 *     return ', '.join(task.get_name() for task in tasks if task in futures) or '-'
 *
 * async def main():
 *     tasks = [asyncio.create_task(job(0.1), name='a'),
 *              asyncio.create_task(job(0.2, fail=True), name='b'),
 *              asyncio.create_task(job(0.3), name='c')]
 *     for return_when in (asyncio.FIRST_COMPLETED, asyncio.FIRST_EXCEPTION,
 *                         asyncio.ALL_COMPLETED):
 *         done, pending = await asyncio.wait(tasks, return_when=return_when)
 *         print(f'{return_when}: done {names_in(done, tasks)}; pending {names_in(pending, tasks)}')
 *     for task in tasks:
 *         error = task.exception()
 *         print(f'{task.get_name()}: {error if error else task.result()}')
 *
 *     slow = asyncio.create_task(job(1), name='slow')
 *     done, pending = await asyncio.wait([slow], timeout=0.2)
 *     print(f'timeout 0.2 s: done {names_in(done, [slow])}; pending {names_in(pending, [slow])}')
 *     slow.cancel()
 * ```
 */
import {
  ALL_COMPLETED,
  type Coro,
  createTask,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  type Future,
  sleep,
  type Task,
  wait,
} from 'asyncio-ts';
import type { Output } from '../output.js';

function* job(delayMs: number, fail = false): Coro<string> {
  yield* sleep(delayMs);
  if (fail) throw new RangeError(`failed after ${delayMs} ms`);
  return `done after ${delayMs} ms`;
}

/** The names of those `tasks` that are in `futures`, in the tasks' order. */
function namesIn(futures: Set<Future<string>>, tasks: readonly Task<string>[]): string {
  const names = tasks.filter((task) => futures.has(task)).map((task) => task.getName());
  return names.length > 0 ? names.join(', ') : '-';
}

export function* main(out: Output): Coro<void> {
  const tasks = [
    createTask(job(100), { name: 'a' }),
    createTask(job(200, true), { name: 'b' }),
    createTask(job(300), { name: 'c' }),
  ];
  for (const returnWhen of [FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED] as const) {
    const [done, pending] = yield* wait(tasks, { returnWhen });
    out.print(`${returnWhen}: done ${namesIn(done, tasks)}; pending ${namesIn(pending, tasks)}`);
  }
  for (const task of tasks) {
    const error = task.exception();
    out.print(`${task.getName()}: ${error instanceof Error ? error.message : task.result()}`);
  }

  // With a timeout, wait() returns what is done by then and leaves the rest running.
  const slow = createTask(job(1000), { name: 'slow' });
  const [done, pending] = yield* wait([slow], { timeout: 200 });
  out.print(`timeout 200 ms: done ${namesIn(done, [slow])}; pending ${namesIn(pending, [slow])}`);
  slow.cancel();
}
