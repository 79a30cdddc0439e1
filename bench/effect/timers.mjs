// timers with Effect 4: 100,000 fibers, each Effect.sleep of a seeded 0-50 ms.
import { Effect, Fiber } from 'effect';
import { check, report, SIZES, secondsSince, timerDelays, warmUp } from '../lib/report.mjs';

const { tasks: N, maxMs } = SIZES.timers;
const DELAYS = timerDelays(N, maxMs);
const EXPECTED = DELAYS.reduce((a, b) => a + b, 0);

const child = (delay) => Effect.as(Effect.sleep(delay), delay);

const main = Effect.gen(function* () {
  const start = process.hrtime.bigint();
  const fibers = new Array(N);
  for (let i = 0; i < N; i++) fibers[i] = yield* Effect.forkChild(child(DELAYS[i]));
  const results = yield* Fiber.joinAll(fibers);
  const seconds = secondsSince(start);
  check(results.reduce((a, b) => a + b, 0) === EXPECTED, 'every timer fired');
  return seconds;
});

await warmUp(() => Effect.runPromise(main));
report('timers', 'effect', N, await Effect.runPromise(main), {
  maxDelayMs: DELAYS.reduce((a, b) => Math.max(a, b), 0),
});
