// memory with plain async/await: 100,000 async functions pending on one promise (the plain form
// of an event). The figure is the growth of the heap (after full collections, with the
// functions' promises kept alive) divided by their number.
import { check, collectGarbage, report, SIZES } from '../lib/report.mjs';

const { tasks: N, warmupTasks } = SIZES.memory;

async function waiter(event) {
  await event;
}

async function measure(n) {
  let set;
  const event = new Promise((resolve) => {
    set = resolve;
  });
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const tasks = new Array(n);
  for (let i = 0; i < n; i++) tasks[i] = waiter(event);
  await Promise.resolve(); // every function is now waiting on the event
  collectGarbage();
  const bytes = process.memoryUsage().heapUsed - before;
  check(tasks.length === n, 'every function started');
  set();
  await Promise.all(tasks);
  return bytes;
}

await measure(warmupTasks);
report('memory', 'promises', N, 0, { bytes: await measure(N) });
