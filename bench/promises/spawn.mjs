// spawn with plain async/await: `await Promise.resolve()` stands in for sleep(0) (one microtask
// hop; plain promises have no event-loop-level yield that costs less than a host macrotask).
import { check, report, SIZES, secondsSince, warmUp } from '../lib/report.mjs';

const N = SIZES.spawn.tasks;

async function child(i) {
  await Promise.resolve();
  return i;
}

async function once() {
  const start = process.hrtime.bigint();
  const promises = new Array(N);
  for (let i = 0; i < N; i++) promises[i] = child(i);
  const results = await Promise.all(promises);
  const seconds = secondsSince(start);
  let sum = 0;
  for (const r of results) sum += r;
  check(sum === (N * (N - 1)) / 2, 'sum of indexes');
  return seconds;
}

await warmUp(() => once());
report('spawn', 'promises', N, await once());
