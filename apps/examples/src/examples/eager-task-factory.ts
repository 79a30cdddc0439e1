/**
 * The eager task factory: with `setTaskFactory(eagerTaskFactory)`, `createTask` runs the
 * coroutine at once, inside the call, up to its first real wait. A coroutine that finishes
 * without waiting is done when `createTask` returns and is never scheduled on the loop; one that
 * waits goes on as an ordinary task. With the default factory nothing runs before the creator
 * gives up the loop.
 *
 * The docs have no program for this section; this one shows the order:
 *
 * ```python
 * async def cached(key):
 *     print(f'cached({key}) runs')
 *     return f'{key} from the cache'
 *
 * async def fetched(key):
 *     print(f'fetched({key}) starts')
 *     await asyncio.sleep(0.1)
 *     print(f'fetched({key}) resumes')
 *     return f'{key} from the network'
 *
 * async def main():
 *     lazy = asyncio.create_task(cached('a'))
 *     print(f'default factory: created, done() = {lazy.done()}')
 *     print(await lazy)
 *
 *     asyncio.get_running_loop().set_task_factory(asyncio.eager_task_factory)
 *     quick = asyncio.create_task(cached('b'))
 *     print(f'eager factory: created, done() = {quick.done()}, get_coro() = {quick.get_coro()}')
 *     slow = asyncio.create_task(fetched('c'))
 *     print(f'eager factory: created, done() = {slow.done()}')
 *     print(await quick)
 *     print(await slow)
 * ```
 */
import { type Coro, createTask, eagerTaskFactory, getRunningLoop, sleep } from 'asyncio-ts';
import type { Output } from '../output.js';

function* cached(out: Output, key: string): Coro<string> {
  out.print(`cached(${key}) runs`);
  return `${key} from the cache`;
}

function* fetched(out: Output, key: string): Coro<string> {
  out.print(`fetched(${key}) starts`);
  yield* sleep(100);
  out.print(`fetched(${key}) resumes`);
  return `${key} from the network`;
}

export function* main(out: Output): Coro<void> {
  const lazy = createTask(cached(out, 'a'));
  out.print(`default factory: created, done() = ${lazy.done()}`);
  out.print(yield* lazy);

  const loop = getRunningLoop();
  loop.setTaskFactory(eagerTaskFactory);
  try {
    const quick = createTask(cached(out, 'b'));
    out.print(`eager factory: created, done() = ${quick.done()}, getCoro() = ${quick.getCoro()}`);
    const slow = createTask(fetched(out, 'c'));
    out.print(`eager factory: created, done() = ${slow.done()}`);
    out.print(yield* quick);
    out.print(yield* slow);
  } finally {
    loop.setTaskFactory(null);
  }
}
