// memory with asyncio-ts: 100,000 tasks pending on one Event. The figure is the growth of the
// heap (after full collections, with the tasks kept alive) divided by the number of tasks.
// A small round first, so the code and the loop's own structures exist before measuring.
import { createTask, Event, gather, run, sleep } from 'asyncio-ts';
import { check, collectGarbage, report, SIZES } from '../lib/report.mjs';

const { tasks: N, warmupTasks } = SIZES.memory;

function* waiter(event) {
  yield* event.wait();
}

function* main(n) {
  const event = new Event();
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const tasks = new Array(n);
  for (let i = 0; i < n; i++) tasks[i] = createTask(waiter(event));
  yield* sleep(0); // every task is now waiting on the event
  collectGarbage();
  const bytes = process.memoryUsage().heapUsed - before;
  check(
    tasks.every((t) => !t.done()),
    'every task pending',
  );
  event.set();
  yield* gather(tasks);
  return bytes;
}

await run(main(warmupTasks));
const bytes = await run(main(N));
report('memory', 'asyncio-ts', N, 0, { bytes });
