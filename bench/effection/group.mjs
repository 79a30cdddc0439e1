// group with Effection 4: each group is a `scoped` operation that spawns 10 children and joins
// each of them before the scope ends (a scope halts whatever is still running when it exits, so
// joining is what makes it wait, as a task group does). Each child takes one microtask hop
// (`until(Promise.resolve())` stands in for sleep(0), see spawn.mjs) and returns its index.
import { run, scoped, spawn, until } from 'effection';
import { check, report, SIZES, secondsSince, warmUp } from '../lib/report.mjs';

const { groups: GROUPS, children: CHILDREN } = SIZES.group;

function* child(i) {
  yield* until(Promise.resolve());
  return i;
}

// The scope's body is defined once, as in the asyncio-ts script (see there).
function* spawnAndJoinChildren() {
  const tasks = new Array(CHILDREN);
  for (let i = 0; i < CHILDREN; i++) {
    const index = i;
    tasks[i] = yield* spawn(() => child(index));
  }
  let sum = 0;
  for (const task of tasks) sum += yield* task;
  return sum;
}

function* main() {
  const start = process.hrtime.bigint();
  let total = 0;
  for (let g = 0; g < GROUPS; g++) {
    total += yield* scoped(spawnAndJoinChildren);
  }
  const seconds = secondsSince(start);
  check(total === (GROUPS * CHILDREN * (CHILDREN - 1)) / 2, "sum of every child's index");
  return seconds;
}

await warmUp(() => run(main));
report('group', 'effection', GROUPS * CHILDREN, await run(main));
