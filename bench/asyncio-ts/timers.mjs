// timers with asyncio-ts: 100,000 tasks each sleeping a seeded pseudo-random 0-50 ms.
import { createTask, gather, run, sleep } from 'asyncio-ts';
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
  for (let i = 0; i < N; i++) tasks[i] = createTask(child(DELAYS[i]));
  const results = yield* gather(tasks);
  const seconds = secondsSince(start);
  check(results.reduce((a, b) => a + b, 0) === EXPECTED, 'every timer fired');
  return seconds;
}

await warmUp(() => run(main()));
report('timers', 'asyncio-ts', N, await run(main()), {
  maxDelayMs: DELAYS.reduce((a, b) => Math.max(a, b), 0),
});
