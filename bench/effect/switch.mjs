// switch with Effect 4: 1,000 fibers, each 1,000 Effect.yieldNow.
import { Effect, Fiber } from 'effect';
import { check, report, SIZES, secondsSince, warmUp } from '../lib/report.mjs';

const { tasks: TASKS, switches: SWITCHES } = SIZES.switch;

const child = Effect.gen(function* () {
  let n = 0;
  for (let i = 0; i < SWITCHES; i++) {
    yield* Effect.yieldNow;
    n++;
  }
  return n;
});

const main = Effect.gen(function* () {
  const start = process.hrtime.bigint();
  const fibers = new Array(TASKS);
  for (let i = 0; i < TASKS; i++) fibers[i] = yield* Effect.forkChild(child);
  const results = yield* Fiber.joinAll(fibers);
  const seconds = secondsSince(start);
  check(results.reduce((a, b) => a + b, 0) === TASKS * SWITCHES, 'every switch happened');
  return seconds;
});

await warmUp(() => Effect.runPromise(main));
report('switch', 'effect', TASKS * SWITCHES, await Effect.runPromise(main));
