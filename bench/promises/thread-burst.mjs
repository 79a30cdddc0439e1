// thread-burst with plain worker_threads: after one call to warm the workers, 10,000 calls of a
// function adding two numbers, all sent at once (in turn to each worker) and awaited with
// Promise.all (see workers.mjs).
import { check, report, SIZES, secondsSince } from '../lib/report.mjs';
import { startWorkers } from './workers.mjs';

const N = SIZES['thread-burst'].calls;

async function once() {
  const workers = startWorkers();
  check((await workers.call('add', 1, 2)) === 3, 'warm-up call');
  const start = process.hrtime.bigint();
  const promises = new Array(N);
  for (let i = 0; i < N; i++) promises[i] = workers.call('add', i, 1);
  const results = await Promise.all(promises);
  const seconds = secondsSince(start);
  let sum = 0;
  for (const r of results) sum += r;
  check(sum === (N * (N + 1)) / 2, 'sum of results');
  await workers.close();
  return seconds;
}

await once();
report('thread-burst', 'promises', N, await once());
