// switch with asyncio-ts: 1,000 tasks, each doing 1,000 sleep(0).
import { createTask, gather, run, sleep } from 'asyncio-ts';
import { check, report, SIZES, secondsSince, warmUp } from '../lib/report.mjs';

const { tasks: TASKS, switches: SWITCHES } = SIZES.switch;

function* child() {
  let n = 0;
  for (let i = 0; i < SWITCHES; i++) {
    yield* sleep(0);
    n++;
  }
  return n;
}

function* main() {
  const start = process.hrtime.bigint();
  const tasks = new Array(TASKS);
  for (let i = 0; i < TASKS; i++) tasks[i] = createTask(child());
  const results = yield* gather(tasks);
  const seconds = secondsSince(start);
  check(results.reduce((a, b) => a + b, 0) === TASKS * SWITCHES, 'every switch happened');
  return seconds;
}

await warmUp(() => run(main()));
report('switch', 'asyncio-ts', TASKS * SWITCHES, await run(main()));
