// thread-burst with asyncio-ts: after one call to warm the pool, 10,000 toThread calls of a
// function adding two numbers, all submitted at once and gathered: the pool's throughput.
import { gather, run, toThread } from 'asyncio-ts';
import { check, report, SIZES, secondsSince } from '../lib/report.mjs';

const N = SIZES['thread-burst'].calls;

function add(a, b) {
  return a + b;
}

function* main() {
  check((yield* toThread(add, 1, 2)) === 3, 'warm-up call');
  const start = process.hrtime.bigint();
  const futures = new Array(N);
  for (let i = 0; i < N; i++) futures[i] = toThread(add, i, 1);
  const results = yield* gather(futures);
  const seconds = secondsSince(start);
  let sum = 0;
  for (const r of results) sum += r;
  check(sum === (N * (N + 1)) / 2, 'sum of results');
  return seconds;
}

await run(main());
report('thread-burst', 'asyncio-ts', N, await run(main()));
