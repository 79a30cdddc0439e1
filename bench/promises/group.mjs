// group with plain async/await: each group is a Promise.all of 10 async functions, each awaiting
// one microtask hop (`await Promise.resolve()` stands in for sleep(0), see spawn.mjs) and
// returning its index. Promise.all is the plain form of a group: it waits for every child but
// neither cancels the others on a failure nor collects every error.
import { check, report, SIZES, secondsSince, warmUp } from '../lib/report.mjs';

const { groups: GROUPS, children: CHILDREN } = SIZES.group;

async function child(i) {
  await Promise.resolve();
  return i;
}

async function once() {
  const start = process.hrtime.bigint();
  let total = 0;
  const promises = new Array(CHILDREN);
  for (let g = 0; g < GROUPS; g++) {
    for (let i = 0; i < CHILDREN; i++) promises[i] = child(i);
    const results = await Promise.all(promises);
    for (const r of results) total += r;
  }
  const seconds = secondsSince(start);
  check(total === (GROUPS * CHILDREN * (CHILDREN - 1)) / 2, "sum of every child's index");
  return seconds;
}

await warmUp(() => once());
report('group', 'promises', GROUPS * CHILDREN, await once());
