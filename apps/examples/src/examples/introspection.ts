/**
 * Call graph introspection: a task prints who it is, where it runs, and which tasks await it,
 * up to the program's main task, while they all run.
 *
 * ```python
 * import asyncio
 *
 * async def test():
 *     asyncio.print_call_graph()
 *
 * async def main():
 *     async with asyncio.TaskGroup() as g:
 *         g.create_task(test(), name='test')
 *
 * asyncio.run(main())
 * ```
 *
 * Here the task that prints is two levels down: `main` runs a task group with a `fetcher`, and
 * the fetcher gathers an `inspector` with a download. A JavaScript generator keeps no frames
 * while it is suspended, so the awaiting tasks show their frames only because introspection is
 * switched on (`setIntrospection`, or debug mode) before they suspend. `limit: 1` keeps one frame
 * of each task, its own coroutine's (the task group's internals are left out), and file names
 * are shortened to keep the lines short.
 */
import {
  isIntrospectionEnabled,
  printCallGraph,
  setIntrospection,
} from '@asyncio-ts/introspection';
import { type Coro, createTask, currentTask, gather, sleep, taskGroup } from 'asyncio-ts';
import type { Output } from '../output.js';

/** A `file` for printCallGraph that prints each line it is given, file names without folders. */
function linesTo(out: Output): { write(text: string): void } {
  return {
    write(text) {
      const short = text.replace(/File '[^']*[\\/]/g, "File '");
      for (const line of short.trimEnd().split('\n')) out.print(line);
    },
  };
}

function* inspect(out: Output): Coro<void> {
  yield* sleep(100);
  printCallGraph(null, { limit: 1, file: linesTo(out) });
}

function* fetchPages(out: Output): Coro<void> {
  const inspector = createTask(inspect(out), { name: 'inspector' });
  yield* gather([inspector, sleep(200)]);
  out.print('fetcher: done');
}

export function* main(out: Output): Coro<void> {
  currentTask()!.setName('main');
  const wasOn = isIntrospectionEnabled();
  setIntrospection(true);
  try {
    yield* taskGroup(function* (tg) {
      tg.createTask(fetchPages(out), { name: 'fetcher' });
    });
  } finally {
    setIntrospection(wasOn);
  }
  out.print('main: done');
}
