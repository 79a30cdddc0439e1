// spawn with Effection 4: spawn 100,000 child operations, each yields once, join them with all().
// Effection has no yield-now and its sleep(0) is a host setTimeout (at least 1 ms in Node), so
// `until(Promise.resolve())` (one microtask hop) stands in for sleep(0).
import { all, run, spawn, until } from 'effection';
import { check, report, SIZES, secondsSince, warmUp } from '../lib/report.mjs';

const N = SIZES.spawn.tasks;

function* child(i) {
  yield* until(Promise.resolve());
  return i;
}

function* main() {
  const start = process.hrtime.bigint();
  const tasks = new Array(N);
  for (let i = 0; i < N; i++) {
    const index = i;
    tasks[i] = yield* spawn(() => child(index));
  }
  const results = yield* all(tasks);
  const seconds = secondsSince(start);
  let sum = 0;
  for (const r of results) sum += r;
  check(sum === (N * (N - 1)) / 2, 'sum of indexes');
  return seconds;
}

await warmUp(() => run(main));
report('spawn', 'effection', N, await run(main));
