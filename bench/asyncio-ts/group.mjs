// group with asyncio-ts: 10,000 task groups of 10 children each (each child sleep(0) and returns
// its index), run one after another; check the sum of every child's result.
import { run, sleep, taskGroup } from 'asyncio-ts';
import { check, report, SIZES, secondsSince, warmUp } from '../lib/report.mjs';

const { groups: GROUPS, children: CHILDREN } = SIZES.group;

function* child(i) {
  yield* sleep(0);
  return i;
}

// The group's body is defined once, as Python's `async with` makes no function per group: V8
// makes a prototype object and a map for a new generator closure the first time it is called,
// about 1.2 µs, which an inline `function* (tg) { ... }` would pay for every group.
function* spawnChildren(tg) {
  const tasks = new Array(CHILDREN);
  for (let i = 0; i < CHILDREN; i++) tasks[i] = tg.createTask(child(i));
  return tasks;
}

function* main() {
  const start = process.hrtime.bigint();
  let total = 0;
  for (let g = 0; g < GROUPS; g++) {
    const tasks = yield* taskGroup(spawnChildren);
    for (const t of tasks) total += t.result();
  }
  const seconds = secondsSince(start);
  check(total === (GROUPS * CHILDREN * (CHILDREN - 1)) / 2, "sum of every child's index");
  return seconds;
}

await warmUp(() => run(main()));
report('group', 'asyncio-ts', GROUPS * CHILDREN, await run(main()));
