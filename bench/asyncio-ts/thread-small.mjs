// thread-small with asyncio-ts: after warming the pool (one call per worker), 10,000 toThread
// calls of a function adding two numbers, one after another (each awaited before the next): the
// round trip.
// The function is self-contained, toThread's fast path: its source goes to the worker once,
// then only its id travels with each call.
import { availableParallelism } from 'node:os';
import { gather, run, toThread } from 'asyncio-ts';
import { check, report, SIZES, secondsSince } from '../lib/report.mjs';

const N = SIZES['thread-small'].calls;

function add(a, b) {
  return a + b;
}

function* main() {
  // Warm-up: one call per worker at once, so that every worker of the pool is started, as
  // piscina's threads are (started with its pool).
  const warmUp = yield* gather(
    Array.from({ length: availableParallelism() }, () => toThread(add, 1, 2)),
  );
  check(
    warmUp.every((r) => r === 3),
    'warm-up calls',
  );
  const start = process.hrtime.bigint();
  let sum = 0;
  for (let i = 0; i < N; i++) sum += yield* toThread(add, i, 1);
  const seconds = secondsSince(start);
  check(sum === (N * (N + 1)) / 2, 'sum of results');
  return seconds;
}

await run(main());
report('thread-small', 'asyncio-ts', N, await run(main()));
