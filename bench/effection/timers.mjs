// timers with Effection 4: each child operation runs Effection's sleep(ms).
import { all, run, sleep, spawn } from 'effection';
import { check, report, SIZES, secondsSince, timerDelays, warmUp } from '../lib/report.mjs';

const { tasks: N, maxMs } = SIZES.timers;
const DELAYS = timerDelays(N, maxMs);
const EXPECTED = DELAYS.reduce((a, b) => a + b, 0);

function* child(delay) {
  yield* sleep(delay);
  return delay;
}

function* main() {
  const start = process.hrtime.bigint();
  const tasks = new Array(N);
  for (let i = 0; i < N; i++) {
    const delay = DELAYS[i];
    tasks[i] = yield* spawn(() => child(delay));
  }
  const results = yield* all(tasks);
  const seconds = secondsSince(start);
  check(results.reduce((a, b) => a + b, 0) === EXPECTED, 'every timer fired');
  return seconds;
}

await warmUp(() => run(main));
report('timers', 'effection', N, await run(main), {
  maxDelayMs: DELAYS.reduce((a, b) => Math.max(a, b), 0),
});
