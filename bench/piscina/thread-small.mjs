// thread-small with piscina: after one call to warm the pool, 10,000 pool.run calls of a
// function adding two numbers, one after another (each awaited before the next).
import { check, report, SIZES, secondsSince } from '../lib/report.mjs';
import { createPool } from './pool.mjs';

const N = SIZES['thread-small'].calls;

async function once() {
  const pool = createPool();
  check((await pool.run({ a: 1, b: 2 }, { name: 'add' })) === 3, 'warm-up call');
  const start = process.hrtime.bigint();
  let sum = 0;
  for (let i = 0; i < N; i++) sum += await pool.run({ a: i, b: 1 }, { name: 'add' });
  const seconds = secondsSince(start);
  check(sum === (N * (N + 1)) / 2, 'sum of results');
  await pool.destroy();
  return seconds;
}

await once();
report('thread-small', 'piscina', N, await once());
