// thread-cpu with piscina: fib(30) eight times in turn on the main thread, then, after warming
// the pool (one fib(30) per thread), eight pool.run calls of it at once. The figure is the
// speed-up: the median time in turn over the median time at once, of five rounds that
// alternate the two (one round is under 0.1 s: a single one is at the mercy of the machine).
import { availableParallelism } from 'node:os';
import { check, FIB_30, fib, median, report, SIZES, secondsSince } from '../lib/report.mjs';
import { createPool } from './pool.mjs';

const { calls: N, fibN, rounds: ROUNDS } = SIZES['thread-cpu'];

function inTurn() {
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) check(fib(fibN) === FIB_30, 'fib on the main thread');
  return secondsSince(start);
}

async function atOnce() {
  const pool = createPool();
  const warm = [];
  for (let i = 0; i < availableParallelism(); i++) warm.push(pool.run(fibN, { name: 'fib' }));
  await Promise.all(warm);
  const start = process.hrtime.bigint();
  const promises = [];
  for (let i = 0; i < N; i++) promises.push(pool.run(fibN, { name: 'fib' }));
  const results = await Promise.all(promises);
  const seconds = secondsSince(start);
  check(
    results.every((r) => r === FIB_30),
    'fib on the workers',
  );
  await pool.destroy();
  return seconds;
}

inTurn();
await atOnce();
const inTurnTimes = [];
const atOnceTimes = [];
for (let round = 0; round < ROUNDS; round++) {
  inTurnTimes.push(inTurn());
  atOnceTimes.push(await atOnce());
}
const sequentialSeconds = median(inTurnTimes);
const seconds = median(atOnceTimes);
report('thread-cpu', 'piscina', N, seconds, { sequentialSeconds });
