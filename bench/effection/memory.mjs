// memory with Effection 4: 100,000 tasks pending on one withResolvers() operation (Effection's
// one-shot event). The figure is the growth of the heap (after full collections, with the
// tasks kept alive) divided by the number of tasks.
import { run, spawn, until, withResolvers } from 'effection';
import { check, collectGarbage, report, SIZES } from '../lib/report.mjs';

const { tasks: N, warmupTasks } = SIZES.memory;

function measure(n) {
  return function* () {
    const event = withResolvers();
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    const tasks = new Array(n);
    for (let i = 0; i < n; i++) {
      tasks[i] = yield* spawn(function* () {
        yield* event.operation;
      });
    }
    yield* until(Promise.resolve()); // every task is now waiting on the event
    collectGarbage();
    const bytes = process.memoryUsage().heapUsed - before;
    check(tasks.length === n, 'every task spawned');
    event.resolve();
    for (const task of tasks) yield* task;
    return bytes;
  };
}

await run(measure(warmupTasks));
const bytes = await run(measure(N));
report('memory', 'effection', N, 0, { bytes });
