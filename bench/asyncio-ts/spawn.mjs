// spawn with asyncio-ts: create 100,000 tasks, each sleep(0) once and returns its index;
// gather them all; check the sum.
import { createTask, gather, run, sleep } from 'asyncio-ts';
import { check, report, SIZES, secondsSince, warmUp } from '../lib/report.mjs';

const N = SIZES.spawn.tasks;

function* child(i) {
  yield* sleep(0);
  return i;
}

function* main() {
  const start = process.hrtime.bigint();
  const tasks = new Array(N);
  for (let i = 0; i < N; i++) tasks[i] = createTask(child(i));
  const results = yield* gather(tasks);
  const seconds = secondsSince(start);
  let sum = 0;
  for (const r of results) sum += r;
  check(sum === (N * (N - 1)) / 2, 'sum of indexes');
  return seconds;
}

await warmUp(() => run(main()));
report('spawn', 'asyncio-ts', N, await run(main()));
