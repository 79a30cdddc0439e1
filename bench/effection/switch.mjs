// switch with Effection 4: `until(Promise.resolve())` stands in for sleep(0) (see spawn.mjs).
import { all, run, spawn, until } from 'effection';
import { check, report, SIZES, secondsSince, warmUp } from '../lib/report.mjs';

const { tasks: TASKS, switches: SWITCHES } = SIZES.switch;

function* child() {
  let n = 0;
  for (let i = 0; i < SWITCHES; i++) {
    yield* until(Promise.resolve());
    n++;
  }
  return n;
}

function* main() {
  const start = process.hrtime.bigint();
  const tasks = new Array(TASKS);
  for (let i = 0; i < TASKS; i++) tasks[i] = yield* spawn(child);
  const results = yield* all(tasks);
  const seconds = secondsSince(start);
  check(results.reduce((a, b) => a + b, 0) === TASKS * SWITCHES, 'every switch happened');
  return seconds;
}

await warmUp(() => run(main));
report('switch', 'effection', TASKS * SWITCHES, await run(main));
