// lock with Effect 4: 1,000 fibers, each 100 times: take the one permit of a semaphore
// (Semaphore.make(1), Effect 4's name for Effect.makeSemaphore), Effect.yieldNow, release it
// (withPermit releases on every exit, as a try/finally would).
import { Effect, Fiber, Semaphore } from 'effect';
import { check, report, SIZES, secondsSince, warmUp } from '../lib/report.mjs';

const { tasks: TASKS, acquisitions: ACQUISITIONS } = SIZES.lock;

const worker = (semaphore, counter) => {
  const critical = Effect.gen(function* () {
    const inside = counter.value;
    yield* Effect.yieldNow;
    counter.value = inside + 1;
  });
  const guarded = Semaphore.withPermit(semaphore, critical);
  return Effect.gen(function* () {
    for (let i = 0; i < ACQUISITIONS; i++) yield* guarded;
  });
};

const main = Effect.gen(function* () {
  const start = process.hrtime.bigint();
  const semaphore = yield* Semaphore.make(1);
  const counter = { value: 0 };
  const fibers = new Array(TASKS);
  for (let i = 0; i < TASKS; i++) fibers[i] = yield* Effect.forkChild(worker(semaphore, counter));
  yield* Fiber.joinAll(fibers);
  const seconds = secondsSince(start);
  check(counter.value === TASKS * ACQUISITIONS, 'every acquisition excluded the others');
  return seconds;
});

await warmUp(() => Effect.runPromise(main));
report('lock', 'effect', TASKS * ACQUISITIONS, await Effect.runPromise(main));
