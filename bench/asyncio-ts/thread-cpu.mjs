// thread-cpu with asyncio-ts: fib(30) eight times in turn on the loop thread, then, after
// warming the pool (one fib(30) per worker), eight toThread calls of it at once, gathered. The
// figure is the speed-up: the median time in turn over the median time at once, of five rounds
// that alternate the two (one round is under 0.1 s: a single one is at the mercy of the machine).
// Each round at once runs on a new pool, warmed first.

import { availableParallelism } from 'node:os';
import { gather, run, toThread } from 'asyncio-ts';
import { check, FIB_30, fib, median, report, SIZES, secondsSince } from '../lib/report.mjs';

const { calls: N, fibN, rounds: ROUNDS } = SIZES['thread-cpu'];

function inTurn() {
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) check(fib(fibN) === FIB_30, 'fib on the loop thread');
  return secondsSince(start);
}

function* atOnce() {
  const warm = [];
  for (let i = 0; i < availableParallelism(); i++) warm.push(toThread(fib, fibN));
  yield* gather(warm);
  const start = process.hrtime.bigint();
  const futures = [];
  for (let i = 0; i < N; i++) futures.push(toThread(fib, fibN));
  const results = yield* gather(futures);
  const seconds = secondsSince(start);
  check(
    results.every((r) => r === FIB_30),
    'fib on the workers',
  );
  return seconds;
}

inTurn();
await run(atOnce());
const inTurnTimes = [];
const atOnceTimes = [];
for (let round = 0; round < ROUNDS; round++) {
  inTurnTimes.push(inTurn());
  atOnceTimes.push(await run(atOnce()));
}
const sequentialSeconds = median(inTurnTimes);
const seconds = median(atOnceTimes);
report('thread-cpu', 'asyncio-ts', N, seconds, { sequentialSeconds });
