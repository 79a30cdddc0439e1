// thread-small with plain worker_threads: after one call to warm the workers, 10,000 calls of
// a function adding two numbers, one after another, each a postMessage round trip awaited
// before the next (see workers.mjs).
import { check, report, SIZES, secondsSince } from '../lib/report.mjs';
import { startWorkers } from './workers.mjs';

const N = SIZES['thread-small'].calls;

async function once() {
  const workers = startWorkers();
  check((await workers.call('add', 1, 2)) === 3, 'warm-up call');
  const start = process.hrtime.bigint();
  let sum = 0;
  for (let i = 0; i < N; i++) sum += await workers.call('add', i, 1);
  const seconds = secondsSince(start);
  check(sum === (N * (N + 1)) / 2, 'sum of results');
  await workers.close();
  return seconds;
}

await once();
report('thread-small', 'promises', N, await once());
