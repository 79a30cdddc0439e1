// cancel with asyncio-ts: 100,000 tasks each waiting on a future that is never set (what
// Event.wait() does inside); cancel all; gather with returnExceptions.
import { CancelledError, createTask, gather, getRunningLoop, run, sleep } from 'asyncio-ts';
import { check, report, SIZES, secondsSince, warmUp } from '../lib/report.mjs';

const N = SIZES.cancel.tasks;

function* waiter(loop) {
  yield* loop.createFuture();
}

function* main() {
  const loop = getRunningLoop();
  const start = process.hrtime.bigint();
  const tasks = new Array(N);
  for (let i = 0; i < N; i++) tasks[i] = createTask(waiter(loop));
  yield* sleep(0); // every task is now waiting
  for (const t of tasks) t.cancel();
  const results = yield* gather(tasks, { returnExceptions: true });
  const seconds = secondsSince(start);
  check(
    results.every((r) => r instanceof CancelledError),
    'every task cancelled',
  );
  return seconds;
}

await warmUp(() => run(main()));
report('cancel', 'asyncio-ts', N, await run(main()));
