// switch with plain async/await: `await Promise.resolve()` stands in for sleep(0).
import { check, report, SIZES, secondsSince, warmUp } from '../lib/report.mjs';

const { tasks: TASKS, switches: SWITCHES } = SIZES.switch;

async function child() {
  let n = 0;
  for (let i = 0; i < SWITCHES; i++) {
    await Promise.resolve();
    n++;
  }
  return n;
}

async function once() {
  const start = process.hrtime.bigint();
  const promises = new Array(TASKS);
  for (let i = 0; i < TASKS; i++) promises[i] = child();
  const results = await Promise.all(promises);
  const seconds = secondsSince(start);
  check(results.reduce((a, b) => a + b, 0) === TASKS * SWITCHES, 'every switch happened');
  return seconds;
}

await warmUp(() => once());
report('switch', 'promises', TASKS * SWITCHES, await once());
