// group with Effect 4: each group is `Effect.forEach` over 10 children with
// `{ concurrency: 'unbounded' }`, Effect's structured form of a task group: the children run as
// fibers of the forEach, the first failure interrupts the rest, and it returns when every child
// is done. Each child does Effect.yieldNow once and returns its index.
import { Effect } from 'effect';
import { check, report, SIZES, secondsSince, warmUp } from '../lib/report.mjs';

const { groups: GROUPS, children: CHILDREN } = SIZES.group;

const INDEXES = Array.from({ length: CHILDREN }, (_, i) => i);

const child = (i) =>
  Effect.gen(function* () {
    yield* Effect.yieldNow;
    return i;
  });

const main = Effect.gen(function* () {
  const start = process.hrtime.bigint();
  let total = 0;
  for (let g = 0; g < GROUPS; g++) {
    const results = yield* Effect.forEach(INDEXES, child, { concurrency: 'unbounded' });
    for (const r of results) total += r;
  }
  const seconds = secondsSince(start);
  check(total === (GROUPS * CHILDREN * (CHILDREN - 1)) / 2, "sum of every child's index");
  return seconds;
});

await warmUp(() => Effect.runPromise(main));
report('group', 'effect', GROUPS * CHILDREN, await Effect.runPromise(main));
