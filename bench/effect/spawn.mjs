// spawn with Effect 4: fork 100,000 fibers (Effect.forkChild), each Effect.yieldNow once and
// returns its index; Fiber.joinAll; check the sum.
import { Effect, Fiber } from 'effect';
import { check, report, SIZES, secondsSince, warmUp } from '../lib/report.mjs';

const N = SIZES.spawn.tasks;

const child = (i) =>
  Effect.gen(function* () {
    yield* Effect.yieldNow;
    return i;
  });

const main = Effect.gen(function* () {
  const start = process.hrtime.bigint();
  const fibers = new Array(N);
  for (let i = 0; i < N; i++) fibers[i] = yield* Effect.forkChild(child(i));
  const results = yield* Fiber.joinAll(fibers);
  const seconds = secondsSince(start);
  let sum = 0;
  for (const r of results) sum += r;
  check(sum === (N * (N - 1)) / 2, 'sum of indexes');
  return seconds;
});

await warmUp(() => Effect.runPromise(main));
report('spawn', 'effect', N, await Effect.runPromise(main));
