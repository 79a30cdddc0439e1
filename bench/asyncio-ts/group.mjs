// group with asyncio-ts: 10,000 task groups of 10 children each (each child sleep(0) and returns
// its index), run one after another; check the sum of every child's result.
import { run, sleep, taskGroup } from 'asyncio-ts';
import { check, report, SIZES, secondsSince } from '../lib/report.mjs';

const { groups: GROUPS, children: CHILDREN } = SIZES.group;

function* child(i) {
  yield* sleep(0);
  return i;
}

function* main() {
  const start = process.hrtime.bigint();
  let total = 0;
  const tasks = new Array(CHILDREN);
  for (let g = 0; g < GROUPS; g++) {
    yield* taskGroup(function* (tg) {
      for (let i = 0; i < CHILDREN; i++) tasks[i] = tg.createTask(child(i));
    });
    for (const t of tasks) total += t.result();
  }
  const seconds = secondsSince(start);
  check(total === (GROUPS * CHILDREN * (CHILDREN - 1)) / 2, "sum of every child's index");
  return seconds;
}

await run(main());
report('group', 'asyncio-ts', GROUPS * CHILDREN, await run(main()));
