// cancel with Effect 4: 100,000 fibers waiting forever (Effect.never); interrupt every one
// (Fiber.interruptAll waits until they have all stopped); collect their exits (Fiber.awaitAll,
// Effect's gather with return_exceptions).
import { Effect, Exit, Fiber } from 'effect';
import { check, report, SIZES, secondsSince, warmUp } from '../lib/report.mjs';

const N = SIZES.cancel.tasks;

const main = Effect.gen(function* () {
  const start = process.hrtime.bigint();
  const fibers = new Array(N);
  for (let i = 0; i < N; i++) fibers[i] = yield* Effect.forkChild(Effect.never);
  yield* Effect.yieldNow; // every fiber is now waiting
  yield* Fiber.interruptAll(fibers);
  const exits = yield* Fiber.awaitAll(fibers);
  const seconds = secondsSince(start);
  check(
    exits.every((e) => Exit.isFailure(e)),
    'every fiber interrupted',
  );
  return seconds;
});

await warmUp(() => Effect.runPromise(main));
report('cancel', 'effect', N, await Effect.runPromise(main));
