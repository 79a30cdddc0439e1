/**
 * Creating tasks: the loop keeps only weak references to its tasks, so a task started "in the
 * background" is kept in a set of its own and removes itself from the set when it is done.
 *
 * ```python
 * background_tasks = set()
 *
 * for i in range(10):
 *     task = asyncio.create_task(some_coro(param=i))
 *
 *     # Add task to the set. This creates a strong reference.
 *     background_tasks.add(task)
 *
 *     # To prevent keeping references to finished tasks forever,
 *     # make each task remove its own reference from the set after
 *     # completion:
 *     task.add_done_callback(background_tasks.discard)
 * ```
 *
 * Here three tasks, done after 100, 200 and 300 ms; the set tells how many still run.
 */
import { type Coro, createTask, sleep, type Task, wait } from 'asyncio-ts';
import type { Output } from '../output.js';

function* someCoro(out: Output, param: number): Coro<void> {
  yield* sleep(100 * (param + 1));
  out.print(`task ${param} done`);
}

export function* main(out: Output): Coro<void> {
  const backgroundTasks = new Set<Task<void>>();
  for (let i = 0; i < 3; i++) {
    const task = createTask(someCoro(out, i));
    // Add the task to the set: a strong reference.
    backgroundTasks.add(task);
    // Each task removes its own reference once done, so finished tasks are not kept forever.
    task.addDoneCallback((done) => {
      backgroundTasks.delete(done as Task<void>);
      out.print(`${backgroundTasks.size} left in the set`);
    });
  }
  out.print(`${backgroundTasks.size} tasks in the set`);
  // main waits for them here only so that the program ends after them.
  yield* wait([...backgroundTasks]);
  out.print(`the set is empty: ${backgroundTasks.size === 0}`);
}
