// timers with plain async/await: each task awaits a promise resolved by setTimeout.
import { check, report, SIZES, secondsSince, timerDelays, warmUp } from '../lib/report.mjs';

const { tasks: N, maxMs } = SIZES.timers;
const DELAYS = timerDelays(N, maxMs);
const EXPECTED = DELAYS.reduce((a, b) => a + b, 0);

async function child(delay) {
  await new Promise((resolve) => setTimeout(resolve, delay));
  return delay;
}

async function once() {
  const start = process.hrtime.bigint();
  const results = await Promise.all(DELAYS.map(child));
  const seconds = secondsSince(start);
  check(results.reduce((a, b) => a + b, 0) === EXPECTED, 'every timer fired');
  return seconds;
}

await warmUp(() => once());
report('timers', 'promises', N, await once(), {
  maxDelayMs: DELAYS.reduce((a, b) => Math.max(a, b), 0),
});
