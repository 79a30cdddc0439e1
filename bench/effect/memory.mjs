// memory with Effect 4: 100,000 fibers pending on one closed Latch (Effect's event). The figure
// is the growth of the heap (after full collections, with the fibers kept alive) divided by
// the number of fibers.
import { Effect, Fiber, Latch } from 'effect';
import { check, collectGarbage, report, SIZES } from '../lib/report.mjs';

const { tasks: N, warmupTasks } = SIZES.memory;

const measure = (n) =>
  Effect.gen(function* () {
    const latch = yield* Latch.make(false);
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    const fibers = new Array(n);
    for (let i = 0; i < n; i++) fibers[i] = yield* Effect.forkChild(latch.await);
    yield* Effect.yieldNow; // every fiber is now waiting on the latch
    collectGarbage();
    const bytes = process.memoryUsage().heapUsed - before;
    check(
      fibers.every((f) => f.pollUnsafe() === undefined),
      'every fiber pending',
    );
    yield* latch.open;
    yield* Fiber.joinAll(fibers);
    return bytes;
  });

await Effect.runPromise(measure(warmupTasks));
const bytes = await Effect.runPromise(measure(N));
report('memory', 'effect', N, 0, { bytes });
