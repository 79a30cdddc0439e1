// thread-burst with piscina: after one call to warm the pool, 10,000 pool.run calls of a
// function adding two numbers, all submitted at once and awaited with Promise.all.
import { check, report, SIZES, secondsSince } from '../lib/report.mjs';
import { createPool } from './pool.mjs';

const N = SIZES['thread-burst'].calls;

async function once() {
  const pool = createPool();
  check((await pool.run({ a: 1, b: 2 }, { name: 'add' })) === 3, 'warm-up call');
  const start = process.hrtime.bigint();
  const promises = new Array(N);
  for (let i = 0; i < N; i++) promises[i] = pool.run({ a: i, b: 1 }, { name: 'add' });
  const results = await Promise.all(promises);
  const seconds = secondsSince(start);
  let sum = 0;
  for (const r of results) sum += r;
  check(sum === (N * (N + 1)) / 2, 'sum of results');
  await pool.destroy();
  return seconds;
}

await once();
report('thread-burst', 'piscina', N, await once());
